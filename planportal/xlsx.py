"""The one way the portal lays out an XLSX sheet for people.

Every workbook the portal writes (a version, a monitoring round, the open
data, a consultation's outcome, the budget) is opened by people in Excel or
LibreOffice, printed and filtered. A sheet that is a table gets the same
treatment everywhere (``format_table``):

* the header row bold, wrapped and frozen, so it stays in sight while
  scrolling (and the first ``freeze_columns`` columns with it);
* an autofilter over the header and every row;
* column widths (given, or measured from the texts up to a limit);
* print setup: landscape, fitted to the page's width (as many pages tall as
  needed), the header row repeated on every printed page;
* dates and times as dates (a cell number format), never as text, so that
  they sort and filter as dates.

A sheet of prose (the instructions of an import workbook) gets only the
print setup (``format_document``). ``table_sheet`` writes a simple table
(header and rows) and formats it; texts go through
``planportal.csvsafe.neutralise``, so no resident's text becomes a formula.

Importers read these workbooks back by cell (``plans.spreadsheets.reader``,
``monitoring.spreadsheets.reader``): nothing here moves a cell, only styles,
filters and sheet settings are added.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from planportal import csvsafe

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Widths measured from the texts stay between these (in characters).
MIN_WIDTH, MAX_WIDTH = 8, 60
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_value(value: Any) -> Any:
    """``value`` as openpyxl can store it: an aware datetime in local time
    without its zone (XLSX has no time zones, and openpyxl refuses aware
    ones), any other value unchanged."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.make_naive(timezone.localtime(value))
    return value


def print_setup(sheet: Worksheet, *, header_row: int | None = 1) -> None:
    """Landscape, fitted to one page's width, the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    # Zero means "as many pages tall as needed".
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row is not None:
        sheet.print_title_rows = f"{header_row}:{header_row}"


def _date_formats(sheet: Worksheet, first_row: int) -> None:
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            value = cell.value
            if isinstance(value, datetime.datetime):
                # openpyxl's own default shows seconds nobody entered.
                if cell.number_format in ("General", "yyyy-mm-dd h:mm:ss"):
                    cell.number_format = DATETIME_FORMAT
            elif isinstance(value, datetime.date) and cell.number_format == "General":
                cell.number_format = DATE_FORMAT


def _measured_widths(sheet: Worksheet) -> dict[int, float]:
    widths: dict[int, float] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            if isinstance(cell.value, datetime.datetime):
                length = 16
            elif isinstance(cell.value, datetime.date):
                length = 10
            else:
                # The longest line of a wrapped text, a number as written.
                length = max(len(line) for line in str(cell.value).splitlines() or [""])
            widths[cell.column] = max(widths.get(cell.column, 0), length)
    return {column: min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for column, width in widths.items()}


def format_table(
    sheet: Worksheet,
    *,
    widths: Sequence[float] | None = None,
    header_row: int = 1,
    freeze_columns: int = 0,
    measure_widths: bool = False,
) -> None:
    """Lay out ``sheet`` as a table whose header is row ``header_row``.

    ``widths`` sets the first columns' widths (characters); with
    ``measure_widths`` the other columns get a width measured from their
    texts. Widths a writer set before (``column_dimensions``) are kept when
    neither is given. Call it after every row is written.
    """
    last_column = max(sheet.max_column, 1)
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{header_row + 1}"
    last_row = max(sheet.max_row, header_row)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{last_row}"
    if measure_widths:
        for column, width in _measured_widths(sheet).items():
            sheet.column_dimensions[get_column_letter(column)].width = width
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _date_formats(sheet, header_row + 1)
    print_setup(sheet, header_row=header_row)


def format_document(sheet: Worksheet) -> None:
    """A sheet of prose (instructions): only the print setup, no header row."""
    print_setup(sheet, header_row=None)
    sheet.page_setup.orientation = "portrait"


def append_rows(sheet: Worksheet, rows: Iterable[Iterable[Any]]) -> None:
    """Append ``rows``, texts neutralised (never a formula), datetimes local."""
    for row in rows:
        sheet.append([csvsafe.neutralise(cell_value(value)) for value in row])


def table_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Iterable[Any]],
    *,
    widths: Sequence[float] | None = None,
    freeze_columns: int = 0,
    number_formats: dict[int, str] | None = None,
    first: bool = False,
) -> Worksheet:
    """A sheet ``title`` holding ``header`` and ``rows``, formatted as a table.

    ``first`` uses the workbook's first (empty) sheet; ``number_formats``
    maps a column (1-based) to the number format of its data cells.
    """
    sheet = workbook.active if first and workbook.active is not None else workbook.create_sheet()
    # Excel refuses a sheet title longer than 31 characters.
    sheet.title = title[:31]
    append_rows(sheet, [header])
    append_rows(sheet, rows)
    for column, number_format in (number_formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            if cell.value is not None:
                cell.number_format = number_format
    format_table(sheet, widths=widths, freeze_columns=freeze_columns, measure_widths=True)
    return sheet


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
