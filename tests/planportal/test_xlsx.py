"""The shared workbook layout (planportal/xlsx.py)."""

import datetime
import zoneinfo
from decimal import Decimal

from openpyxl import Workbook

from planportal import xlsx
from tests.xlsx_checks import assert_dates_are_dates, assert_table_layout, open_workbook


def test_a_table_sheet_has_a_frozen_bold_header_a_filter_widths_and_print_setup():
    vilnius = zoneinfo.ZoneInfo("Europe/Vilnius")
    workbook = Workbook()
    xlsx.table_sheet(
        workbook,
        "A sheet title longer than thirty-one characters",
        ["Code", "Text", "Submitted", "Due", "Amount"],
        [
            [
                "1.1",
                '=HYPERLINK("x")',
                datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC),
                datetime.date(2026, 12, 1),
                Decimal("10.5"),
            ],
            ["1.2", "Dviračių takas", None, None, Decimal("-3")],
        ],
        freeze_columns=1,
        first=True,
    )
    sheet = open_workbook(xlsx.workbook_bytes(workbook)).active

    assert sheet.title == "A sheet title longer than thirty-one characters"[:31]
    assert_table_layout(sheet, freeze="B2")
    assert sheet.auto_filter.ref == "A1:E3"
    assert_dates_are_dates(sheet)
    # Local time without a zone (XLSX has none): 10:00 UTC is 12:00 in Vilnius.
    submitted = sheet["C2"].value
    expected = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC).astimezone(vilnius)
    assert submitted == expected.replace(tzinfo=None)
    assert sheet["C2"].number_format == xlsx.DATETIME_FORMAT
    assert sheet["D2"].number_format == xlsx.DATE_FORMAT
    assert sheet["B2"].value.startswith("'=")  # no formula
    assert sheet["E3"].value == -3
    assert 8 <= sheet.column_dimensions["B"].width <= 60


def test_a_wide_text_is_capped_and_a_given_width_wins():
    workbook = Workbook()
    sheet = xlsx.table_sheet(
        workbook, "T", ["Long", "Short"], [["x" * 500, "y"]], widths=(30,), first=True
    )
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width == xlsx.MIN_WIDTH


def test_an_empty_table_still_filters_its_header():
    workbook = Workbook()
    sheet = xlsx.table_sheet(workbook, "Empty", ["A", "B"], [], first=True)
    assert sheet.auto_filter.ref == "A1:B1"
    assert sheet.freeze_panes == "A2"


def test_a_document_sheet_gets_only_the_print_setup():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["How to fill in this workbook"])
    xlsx.format_document(sheet)
    assert sheet.page_setup.fitToWidth == 1
    assert not sheet.auto_filter.ref
    assert sheet.print_title_rows is None
