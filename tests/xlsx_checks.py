"""What every XLSX the portal writes for people must have (planportal/xlsx.py),
asserted the same way by each app's tests."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook


def open_workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def assert_table_layout(sheet, *, freeze: str = "A2") -> None:
    """A frozen bold header row, an autofilter from A1, widths, print setup."""
    assert sheet.freeze_panes == freeze, sheet.title
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), sheet.title
    for cell in sheet[1]:
        if cell.value is not None:
            assert cell.font.bold, (sheet.title, cell.coordinate)
    assert any(dim.width for dim in sheet.column_dimensions.values()), sheet.title
    assert sheet.page_setup.orientation == "landscape", sheet.title
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert sheet.print_title_rows == "$1:$1", sheet.title


def assert_dates_are_dates(sheet) -> None:
    """No cell holds a date written as text; every date cell has a date format."""
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                assert "yy" in cell.number_format, (sheet.title, cell.coordinate)
