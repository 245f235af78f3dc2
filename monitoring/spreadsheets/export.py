"""A round's items as an XLSX workbook for one user (``round_workbook``).

The workbook holds what the user may enter (``items.round_items``), with
the planned values and what is stored now filled in; ``reader`` reads the
same layout back. Cells are written with ``plans.spreadsheets.export.put``:
texts as text cells (never a formula), numbers as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planportal import xlsx
from plans.spreadsheets.export import put

from . import layout
from .items import RoundItems
from .layout import Column


def _header(sheet: Worksheet, columns: Sequence[Column], extra: Sequence[str]) -> int:
    headers = [column.header for column in columns] + list(extra)
    for index, header in enumerate(headers, start=1):
        put(sheet, 1, index, header)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = 14
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # The key and the revision read at download: the last two columns, hidden.
    for index in (len(headers) - 1, len(headers)):
        sheet.column_dimensions[get_column_letter(index)].hidden = True
    xlsx.format_table(sheet, freeze_columns=2)
    return len(headers)


def _indicator_sheet(workbook: Workbook, items: RoundItems) -> None:
    sheet = workbook.create_sheet(layout.INDICATOR_SHEET, 0)
    columns = layout.INDICATOR_COLUMNS
    width = _header(sheet, columns, [layout.KEY.header, layout.REVISION.header])
    year = items.round.year
    for row, (owner, indicator) in enumerate(items.indicators, start=2):
        targets = getattr(indicator, "target_list", [])
        this_year = next((t.value for t in targets if t.year == year), None)
        entry = items.actuals.get(indicator.key)
        values = {
            "code": owner.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "baseline": indicator.baseline_value,
            "target_year": this_year,
            "target_final": targets[-1].value if targets else None,
            "current": entry.value if entry else None,
            "note": entry.note if entry else "",
            "measured_on": entry.measured_on if entry else None,
        }
        for index, column in enumerate(columns, start=1):
            value = values.get(column.name)
            put(sheet, row, index, value, layout.NUMBER_FORMAT)
            if column.name == "measured_on" and value is not None:
                sheet.cell(row=row, column=index).number_format = xlsx.DATE_FORMAT
        put(sheet, row, width - 1, indicator.key)
        put(sheet, row, width, entry.revision if entry else 0)
    # Again now that the rows are written: the autofilter covers them.
    xlsx.format_table(sheet, freeze_columns=2)


def _measure_sheet(workbook: Workbook, items: RoundItems) -> None:
    sheet = workbook.create_sheet(layout.MEASURE_SHEET, 1)
    columns = layout.MEASURE_COLUMNS
    planned = [layout.planned_header(source.code) for source in items.sources]
    spent = [layout.spent_header(source.code) for source in items.sources]
    width = _header(sheet, columns, [*planned, *spent, layout.KEY.header, layout.REVISION.header])
    statuses = layout.status_words()
    year = items.round.year
    first_money = len(columns) + 1
    for row, measure in enumerate(items.measures, start=2):
        entry = items.implementations.get(measure.key)
        put(sheet, row, 1, measure.code)
        put(sheet, row, 2, measure.title)
        if entry is not None:
            put(sheet, row, 3, statuses.get(entry.status, entry.status))
            put(sheet, row, 4, entry.note)
        plan_amounts: dict[int, Decimal] = {}
        for line in measure.funding_list:
            if line.year == year:
                plan_amounts[line.source_id] = line.amount
        spent_amounts = {line.source_id: line.amount for line in entry.spent.all()} if entry else {}
        for offset, source in enumerate(items.sources):
            put(sheet, row, first_money + offset, plan_amounts.get(source.pk), layout.MONEY_FORMAT)
            put(
                sheet,
                row,
                first_money + len(items.sources) + offset,
                spent_amounts.get(source.pk),
                layout.MONEY_FORMAT,
            )
        put(sheet, row, width - 1, measure.key)
        put(sheet, row, width, entry.revision if entry else 0)
    xlsx.format_table(sheet, freeze_columns=2)


def _instructions(workbook: Workbook, items: RoundItems) -> None:
    sheet = workbook.active
    sheet.title = layout.INSTRUCTION_SHEET
    paragraphs = [
        _("How to fill in this workbook"),
        _("%(plan)s, monitoring of %(year)s (due %(due)s), downloaded %(date)s.")
        % {
            "plan": items.round.plan.title,
            "year": items.round.year,
            "due": items.round.due.isoformat(),
            "date": timezone.localdate().isoformat(),
        },
        _(
            "The sheet “%(indicators)s” has one row for each indicator you may enter, the "
            "sheet “%(measures)s” one row for each measure. Only your items are listed."
        )
        % {"indicators": layout.INDICATOR_SHEET, "measures": layout.MEASURE_SHEET},
        _(
            "Write an indicator's value for the year in “%(new)s” (for example 12,5); leave it "
            "empty to keep the current value. “%(date)s” is the date the value was measured "
            "(for example 2025-12-31)."
        )
        % {"new": "Nauja faktinė reikšmė", "date": "Reikšmės data"},
        _(
            "A measure's “%(status)s” is one of: %(statuses)s. A delayed or cancelled measure "
            "needs the reason in “%(note)s”. The columns “%(spent)s …” hold the money spent "
            "that year by funding source, in euros; the columns “%(planned)s …” show the plan "
            "and are not read back."
        )
        % {
            "status": "Būsena",
            "statuses": ", ".join(layout.status_words().values()),
            "note": "Priežastis ar pastaba",
            "spent": layout.SPENT_PREFIX,
            "planned": layout.PLANNED_PREFIX,
        },
        _(
            "Do not change the hidden columns “%(key)s” and “%(revision)s”: they tell the "
            "portal which item a row is and what you saw when you downloaded the file."
        )
        % {"key": layout.KEY.header, "revision": layout.REVISION.header},
        _(
            "Upload the file on the round's import page. Rows you did not change are skipped. "
            "If any cell is wrong, or someone changed a value after you downloaded the file, "
            "nothing is saved and every such cell is listed: download the file again then."
        ),
    ]
    sheet.column_dimensions["A"].width = 110
    for index, text in enumerate(paragraphs, start=1):
        put(sheet, index, 1, text)
        sheet.cell(row=index, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    xlsx.format_document(sheet)


def round_workbook(items: RoundItems) -> bytes:
    """The workbook of ``items`` (``items.round_items``) as XLSX bytes; no query."""
    workbook = Workbook()
    _instructions(workbook, items)
    _indicator_sheet(workbook, items)
    _measure_sheet(workbook, items)
    return xlsx.workbook_bytes(workbook)


def workbook_filename(items: RoundItems) -> str:
    return f"monitoring-{items.round.plan_id}-{items.round.year}.xlsx"
