"""Table A as a CSV file: the export in the Covenant's layout (sectors as
rows, carriers as columns) and the all-or-nothing import that names every bad
cell by its row and column."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planportal import csvsafe

from .. import calc
from ..constants import CARRIER_SLUGS, SECTOR_SLUGS
from ..models import Inventory
from ._common import MAX_ERRORS, parse_quantity, require_staff
from .inventories import consumption_replace

if TYPE_CHECKING:
    from planportal.roles import AnyUser

CSV_CORNER = "sector"


def table_a_csv(inventory: Inventory, *, excel: bool = False) -> str:
    """Table A in the Covenant's layout: sectors as rows, carriers as columns, MWh.

    ``excel``: for Excel set to Lithuanian (a BOM, semicolons, decimal
    commas), which ``parse_table_a_csv`` reads back as well. The slugs stay
    in both: they are the Covenant template's names and what the import reads.
    """
    cells = {(c.sector, c.carrier): c.mwh for c in inventory.consumption.all()}
    out = io.StringIO()
    # The portal's one CSV writer (planportal/csvsafe.py): every field quoted.
    # Slugs and plain numbers are never changed by its neutralising.
    writer = csvsafe.excel_writer(out) if excel else csvsafe.writer(out)
    writer.writerow([CSV_CORNER, *CARRIER_SLUGS])
    for sector in SECTOR_SLUGS:
        values = [_plain(cells.get((sector, c))) for c in CARRIER_SLUGS]
        if excel:
            values = [value.replace(".", ",") for value in values]
        writer.writerow([sector, *values])
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    return calc.plain(value) if value else "0"


def parse_table_a_csv(content: bytes | str) -> dict[tuple[str, str], Decimal]:
    """Read a Table A CSV (comma, semicolon or tab separated; with a semicolon
    or tab, a decimal comma is allowed). Refused whole, with every bad cell
    named by its row and column."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text: save the CSV as UTF-8.")) from None
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    first = content.splitlines()[0]
    delimiter = max((";", "\t", ","), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(content), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not valid CSV: %(error)s.") % {"error": error}
        ) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        # Only separators (",,,"): no header to name the carriers, nothing to read.
        raise ValidationError(_("The file is empty."))
    header = [cell.strip() for cell in rows[0]]
    errors = []
    if not header or header[0].lower() != CSV_CORNER:
        errors.append(
            _("Row 1, column 1: the first column must be „%(corner)s“.") % {"corner": CSV_CORNER}
        )
    columns = header[1:]
    for number, name in enumerate(columns, start=2):
        if name not in CARRIER_SLUGS:
            errors.append(
                _("Row 1, column %(col)d: unknown energy carrier „%(name)s“.")
                % {"col": number, "name": name}
            )
        elif columns.index(name) != number - 2:
            errors.append(
                _("Row 1, column %(col)d: carrier „%(name)s“ appears twice.")
                % {"col": number, "name": name}
            )
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    cells, seen = {}, set()
    for line, row in enumerate(rows[1:], start=2):
        sector = row[0].strip() if row else ""
        if sector not in SECTOR_SLUGS:
            # Say which rows there are, so that an "agriculture" row from
            # another template can be moved to the right one.
            errors.append(
                _(
                    "Row %(row)d, column 1: the inventory has no sector „%(name)s“. "
                    "Its sectors are: %(sectors)s."
                )
                % {"row": line, "name": sector[:40], "sectors": ", ".join(SECTOR_SLUGS)}
            )
            continue
        if sector in seen:
            errors.append(
                _("Row %(row)d, column 1: sector „%(name)s“ appears twice.")
                % {"row": line, "name": sector}
            )
            continue
        seen.add(sector)
        if len(row) != len(header):
            errors.append(
                _("Row %(row)d („%(sector)s“): %(got)d columns, the header has %(expected)d.")
                % {"row": line, "sector": sector, "got": len(row), "expected": len(header)}
            )
            continue
        # The row has as many cells as the header (checked just above).
        for col, (carrier, raw) in enumerate(zip(columns, row[1:], strict=True), start=2):
            try:
                value = parse_quantity(raw, decimal_comma=delimiter != ",")
            except ValueError as error:
                errors.append(
                    _("Row %(row)d („%(sector)s“), column %(col)d („%(carrier)s“): %(error)s.")
                    % {
                        "row": line,
                        "sector": sector,
                        "col": col,
                        "carrier": carrier,
                        "error": error,
                    }
                )
                continue
            cells[(sector, carrier)] = value
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return cells


@transaction.atomic
def consumption_import_csv(*, user: AnyUser, inventory: Inventory, content: bytes | str) -> int:
    """Replace Table A from a CSV file; all or nothing. Returns the number of non-zero cells."""
    require_staff(user)
    cells = parse_table_a_csv(content)
    consumption_replace(user=user, inventory=inventory, cells=cells)
    return sum(1 for value in cells.values() if value)
