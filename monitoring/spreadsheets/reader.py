"""Reading a round workbook back: every cell checked before anything is written.

``read_round_workbook(data, items)`` returns the rows of the workbook
(``Parsed``) with their numbers, dates, statuses and money parsed and each
row's item found among those the user may enter (``items.round_items``), or
raises ``WorkbookInvalid`` naming each bad cell by sheet, row and column. It
writes nothing; ``import_.round_import`` compares the rows with what is
stored and writes them.

Numbers are taken as a spreadsheet stores them or as text in the Lithuanian
way ("12,5", "1 250,50", "1.250,50") as well as "12.5". Columns the reader
does not know (a column someone added for their own notes) and the columns
that only inform (the plan's values, "Planuota SB") are ignored; a row
cannot be added, as every row is an item of the plan.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from monitoring.models import STATUSES_NEEDING_REASON
from plans.models import Indicator, Measure
from plans.spreadsheets.files import (
    CellError,
    Sheet,
    WorkbookInvalid,
    cell_number,
    cell_text,
    open_workbook,
    read_sheet,
)

from . import layout
from .items import RoundItems


@dataclass
class IndicatorRow:
    row: int
    indicator: Indicator
    revision: int
    value: Decimal | None
    note: str
    measured_on: datetime.date | None


@dataclass
class MeasureRow:
    row: int
    measure: Measure
    revision: int
    status: str | None
    note: str
    spent: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class Parsed:
    indicators: list[IndicatorRow]
    measures: list[MeasureRow]


_DATE = re.compile(r"^(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})\.?$")


def date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    match = _DATE.match(cell_text(value))
    if match is not None:
        try:
            return datetime.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise ValueError(_("must be a date, for example 2025-12-31."))


class _Reader:
    def __init__(self, items: RoundItems):
        self.items = items
        self.errors: list[CellError] = []
        self.indicators = {indicator.key: indicator for _owner, indicator in items.indicators}
        self.measures = {measure.key: measure for measure in items.measures}
        statuses = layout.status_words()
        self.statuses = {
            **{value: value for value in statuses},
            **{label.casefold(): value for value, label in statuses.items()},
        }
        self.sources = {source.code: source for source in items.sources}

    def map_header(self, sheet: Sheet, columns, money: bool) -> dict[str, int] | None:
        """Column name (or ``("spent", source id)``) → index; None when unreadable."""
        by_header = {
            column.header.casefold(): column.name
            for column in (*columns, layout.KEY, layout.REVISION)
        }
        mapped: dict[Any, int] = {}
        for index, header in enumerate(sheet.header):
            name: Any = by_header.get(header.casefold())
            if name is None and money and header.startswith(layout.SPENT_PREFIX + " "):
                code = header[len(layout.SPENT_PREFIX) + 1 :].strip()
                source = self.sources.get(code)
                if source is None:
                    sheet.error(
                        1,
                        header,
                        _("no funding source has the code “%(code)s” (known: %(codes)s).")
                        % {"code": code, "codes": ", ".join(sorted(self.sources)) or "—"},
                    )
                    continue
                name = ("spent", source.pk)
            if name is None:
                continue
            if name in mapped:
                sheet.error(1, header, _("the column appears twice."))
                continue
            mapped[name] = index
        before = len(self.errors)
        for column in (*columns, layout.KEY, layout.REVISION):
            if (column.required or column in (layout.KEY, layout.REVISION)) and (
                column.name not in mapped
            ):
                sheet.error(
                    None,
                    column.header,
                    _("the column “%(column)s” is missing.") % {"column": column.header},
                )
        return None if len(self.errors) > before else mapped

    def cells(self, sheet: Sheet, number_: int, row, mapped) -> dict[Any, Any] | None:
        """Name → raw value of one row's read columns; None for an empty row."""
        if not any(cell.value not in (None, "") for cell in row):
            return None
        values: dict[Any, Any] = {}
        for name, index in mapped.items():
            if index >= len(row):
                continue
            cell = row[index]
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if getattr(cell, "data_type", None) == "f":
                sheet.error(
                    number_, sheet.header[index], _("formulas are not accepted: write the value.")
                )
                continue
            values[name] = value
        return values

    def item(self, sheet: Sheet, number_: int, values: dict, known: dict, seen: dict):
        """The row's item by its key, and the revision read at download."""
        header = layout.KEY.header
        try:
            key = uuid.UUID(cell_text(values.get("key")))
        except ValueError:
            sheet.error(
                number_,
                header,
                _("the row has no valid key: rows cannot be added; download the workbook again."),
            )
            return None
        if key in seen:
            sheet.error(number_, header, _("the key is also on row %(row)s.") % {"row": seen[key]})
            return None
        seen[key] = number_
        item = known.get(key)
        if item is None:
            if key in self.items.all_keys:
                sheet.error(number_, header, _("you may not enter the values of this item."))
            else:
                sheet.error(
                    number_, header, _("no item of the plan's version in force has this key.")
                )
            return None
        revision_cell = values.get("revision", 0)
        try:
            revision = int(cell_number(revision_cell, places=0, digits=9, negative=False))
        except ValueError:
            sheet.error(number_, layout.REVISION.header, _("the hidden revision was changed."))
            return None
        return item, revision

    def read_indicators(self, sheet: Sheet) -> list[IndicatorRow]:
        mapped = self.map_header(sheet, layout.INDICATOR_COLUMNS, money=False)
        if mapped is None:
            return []
        rows: list[IndicatorRow] = []
        seen: dict[uuid.UUID, int] = {}
        headers = {column.name: column.header for column in layout.INDICATOR_COLUMNS}
        for number_, row in enumerate(sheet.rows, start=2):
            values = self.cells(sheet, number_, row, mapped)
            if values is None:
                continue
            found = self.item(sheet, number_, values, self.indicators, seen)
            if found is None:
                continue
            indicator, revision = found
            before = len(self.errors)
            parsed: dict[str, Any] = {}
            for name, parse in (
                ("current", lambda v: cell_number(v, places=4, digits=18)),
                ("new_value", lambda v: cell_number(v, places=4, digits=18)),
                ("measured_on", date),
            ):
                if name in values:
                    try:
                        parsed[name] = parse(values[name])
                    except ValueError as error:
                        sheet.error(number_, headers[name], str(error))
            note = cell_text(values.get("note"))
            if len(note) > 5000:
                sheet.error(number_, headers["note"], _("the text is too long."))
            value = parsed.get("new_value", parsed.get("current"))
            if value is None and (note or "measured_on" in parsed):
                sheet.error(
                    number_, headers["new_value"], _("write the value the note or date is about.")
                )
            if len(self.errors) == before:
                rows.append(
                    IndicatorRow(
                        number_, indicator, revision, value, note, parsed.get("measured_on")
                    )
                )
        return rows

    def read_measures(self, sheet: Sheet) -> list[MeasureRow]:
        mapped = self.map_header(sheet, layout.MEASURE_COLUMNS, money=True)
        if mapped is None:
            return []
        rows: list[MeasureRow] = []
        seen: dict[uuid.UUID, int] = {}
        headers = {column.name: column.header for column in layout.MEASURE_COLUMNS}
        source_headers = {
            source.pk: layout.spent_header(source.code) for source in self.sources.values()
        }
        words = layout.status_words()
        for number_, row in enumerate(sheet.rows, start=2):
            values = self.cells(sheet, number_, row, mapped)
            if values is None:
                continue
            found = self.item(sheet, number_, values, self.measures, seen)
            if found is None:
                continue
            measure, revision = found
            before = len(self.errors)
            status = None
            if "status" in values:
                text = cell_text(values["status"])
                status = self.statuses.get(text.casefold()) or self.statuses.get(text)
                if status is None:
                    sheet.error(
                        number_,
                        headers["status"],
                        _("must be one of: %(words)s.") % {"words": ", ".join(words.values())},
                    )
            note = cell_text(values.get("note"))
            if len(note) > 5000:
                sheet.error(number_, headers["note"], _("the text is too long."))
            if status in STATUSES_NEEDING_REASON and not note:
                sheet.error(
                    number_, headers["note"], _("Say why the measure is delayed or cancelled.")
                )
            spent: dict[int, Decimal] = {}
            for name, value in values.items():
                if isinstance(name, tuple):
                    try:
                        spent[name[1]] = cell_number(value, places=2, digits=14, negative=False)
                    except ValueError as error:
                        sheet.error(number_, source_headers[name[1]], str(error))
            if status is None and "status" not in values and (spent or note):
                sheet.error(number_, headers["status"], _("choose the status of the measure."))
            if len(self.errors) == before:
                rows.append(MeasureRow(number_, measure, revision, status, note, spent))
        return rows


def read_round_workbook(data: bytes, items: RoundItems) -> Parsed:
    """The rows of the workbook ``data`` for ``items``, or ``WorkbookInvalid``."""
    reader = _Reader(items)
    workbook = open_workbook(data, reader.errors)
    if workbook is None:
        raise WorkbookInvalid(reader.errors)
    try:
        indicator_sheet = read_sheet(workbook, layout.INDICATOR_SHEET, reader.errors)
        measure_sheet = read_sheet(workbook, layout.MEASURE_SHEET, reader.errors)
    finally:
        workbook.close()
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    assert indicator_sheet is not None and measure_sheet is not None
    parsed = Parsed(reader.read_indicators(indicator_sheet), reader.read_measures(measure_sheet))
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    return parsed
