"""The uploaded file, read safely, and the refusal that names each bad cell.

A workbook is a zip: its size is checked packed (``MAX_FILE_BYTES``) and
unpacked (``MAX_UNPACKED_BYTES``, against a zip bomb) before openpyxl opens
it, and a sheet's rows are read up to ``MAX_ROWS``.
"""

from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planportal.errors import Refusal

from . import layout

MAX_LISTED = 200


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None and not self.sheet:
            return self.message
        if self.row is None:
            return _("Sheet “%(sheet)s”: %(message)s") % {
                "sheet": self.sheet,
                "message": self.message,
            }
        return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "text": str(self),
        }


class WorkbookInvalid(Refusal):
    """The workbook cannot be imported; ``errors`` names each bad cell."""

    code = "invalid_workbook"

    def __init__(self, errors: list[CellError]) -> None:
        super().__init__(
            ngettext(
                "The workbook has %(count)s error; nothing was imported.",
                "The workbook has %(count)s errors; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)}
        )
        # In reading order: the file, then each sheet from its top (a
        # missing parent is found after the sheet's last row).
        rank = {"": 0, layout.PLAN_SHEET: 1, layout.INDICATOR_SHEET: 2}
        self.errors = sorted(errors, key=lambda e: (rank.get(e.sheet, 3), e.row or 0))

    def details(self) -> dict:
        return {"errors": [error.as_dict() for error in self.errors[:MAX_LISTED]]}


def upload_bytes(upload) -> bytes:
    """The bytes of an uploaded file, refusing a missing or too large one unread."""
    if upload is None:
        raise WorkbookInvalid([CellError("", None, "", _("Choose the XLSX file to import."))])
    if upload.size > layout.MAX_FILE_BYTES:
        raise WorkbookInvalid([_too_large()])
    return upload.read()


def _too_large() -> CellError:
    return CellError(
        "",
        None,
        "",
        _("The file is too large (at most %(size)s MB).")
        % {"size": layout.MAX_FILE_BYTES // (1024 * 1024)},
    )


class Sheet:
    """One sheet's rows, with its header mapped to columns and an error list."""

    def __init__(self, name: str, rows: list[tuple], errors: list[CellError]):
        self.name, self.errors = name, errors
        self.named: set[tuple[int | None, str]] = set()
        self.header = [cell_text(cell.value) for cell in rows[0]] if rows else []
        self.rows = rows[1:]

    def error(self, row: int | None, column: str, message: str) -> None:
        # One message per cell: the first says what is wrong with it (a
        # formula refused is not also "required").
        if (row, column) not in self.named:
            self.named.add((row, column))
            self.errors.append(CellError(self.name, row, column, message))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def open_workbook(data: bytes, errors: list[CellError]):
    from openpyxl import load_workbook

    if len(data) > layout.MAX_FILE_BYTES:
        errors.append(_too_large())
        return None
    not_xlsx = CellError("", None, "", _("The file is not an XLSX workbook, or it is damaged."))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        errors.append(not_xlsx)
        return None
    if unpacked > layout.MAX_UNPACKED_BYTES:
        errors.append(CellError("", None, "", _("The workbook unpacks to too much data.")))
        return None
    try:
        return load_workbook(BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of error for a damaged file
        errors.append(not_xlsx)
        return None


def read_sheet(workbook, name: str, errors: list[CellError]) -> Sheet | None:
    if name not in workbook.sheetnames:
        errors.append(CellError(name, None, "", _("the sheet is missing.")))
        return None
    rows, filled = [], 0
    too_many = CellError(
        name, None, "", _("too many rows (at most %(rows)s).") % {"rows": layout.MAX_ROWS}
    )
    for row in workbook[name].iter_rows():
        rows.append(row)
        # Rows left empty (a formatted column) do not count, up to a bound.
        filled += any(cell.value not in (None, "") for cell in row)
        if filled > layout.MAX_ROWS + 1 or len(rows) > 20 * layout.MAX_ROWS:
            errors.append(too_many)
            return None
    return Sheet(name, rows, errors)


def cell_number(value: Any, *, places: int, digits: int, negative: bool = True) -> Decimal:
    """A cell's number: a spreadsheet number, or text written "12,5", "12.5",
    "1 250,50" or "1.250,50"; ValueError with the reason otherwise (the
    readers name the cell). The one number reader of every workbook import."""
    if isinstance(value, bool) or isinstance(value, (datetime.date, datetime.time)):
        raise ValueError(_("must be a number, for example 12,5."))
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if "," in text:
        # "1.250,50": the dots group thousands, the comma is the decimal point.
        text = text.replace(".", "").replace(",", ".")
    try:
        result = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("must be a number, for example 12,5.")) from None
    if not result.is_finite():
        raise ValueError(_("must be a number, for example 12,5."))
    if not negative and result < 0:
        raise ValueError(_("cannot be negative."))
    exponent = result.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValueError(
            _("at most %(places)s digits after the decimal point.") % {"places": places}
        )
    if abs(result) >= Decimal(10) ** (digits - places):
        raise ValueError(_("the number is too large."))
    return result
