"""A yearly report's XLSX annex: every table, as frozen, to whoever may read the report."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from monitoring.models import ActualValue
from planportal.extensions import ReportSection, registry
from plans.models import Measure
from plans.spreadsheets import XLSX_CONTENT_TYPE
from reports import selectors, xlsx
from reports.snapshot import indicator_rows, measure_rows
from tests.reports.compare_fixtures import (
    approved_years,
    plan_with_money,
    two_years,
    version_with_money,
)

pytestmark = pytest.mark.django_db

__all__ = ["plan_with_money", "two_years"]

SHEETS = [
    "Summary",
    "Money by priority",
    "Money by source",
    "Indicators",
    "Indicator values",
    "Measures",
]


def _workbook(report, user=None):
    with translation.override("en"):
        data = xlsx.report_workbook(report, selectors.report_content(report, user))
    return load_workbook(BytesIO(data))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find(rows, label):
    return next(row for row in rows if row and row[0] == label)


def test_the_annex_has_every_table_of_the_report(approved_report):
    book = _workbook(approved_report)
    assert book.sheetnames == SHEETS

    summary = _rows(book["Summary"])
    with translation.override("en"):
        assert summary[0][0] == str(approved_report)
    assert _find(summary, "Year")[1] == 2020
    assert _find(summary, "Status")[1] == "Approved"
    assert _find(summary, "Council decision number")[1] == "TS-12"
    assert _find(summary, "Council decision date")[1] == datetime.datetime(2021, 4, 29)
    assert _find(summary, "Delayed")[1] == 1
    # The workbook writes dates as the municipality reads them (Vilnius time).
    published = approved_report.round.published_at
    assert (
        _find(summary, "Monitoring round published")[1].date()
        == timezone.localtime(published).date()
    )

    content = approved_report.snapshot
    indicators = _rows(book["Indicators"])
    assert len(indicators) == 1 + len(indicator_rows(content))
    measured = [row for row in indicators[1:] if row[10] is not None]
    assert [row[10] for row in measured] == [15]
    assert measured[0][14] == next(r["key"] for r in indicator_rows(content) if r["actual"])
    assert book["Indicators"].column_dimensions["O"].hidden

    measures = _rows(book["Measures"])
    assert len(measures) == 1 + len(measure_rows(content))
    delayed = [row for row in measures[1:] if row[5] == "Delayed"]
    assert len(delayed) == 1 and delayed[0][11] == "Užsitęsė pirkimas"
    first = Measure.objects.filter(version=approved_report.version).order_by("code").first()
    assert delayed[0][0] == first.code

    money = _rows(book["Money by priority"])
    assert money[1][:4] == ["Code", "Priority", "Planned, EUR", "Spent, EUR"]
    total = _find(money, "Total")
    priorities = content["summary"]["money_by_priority"]
    assert Decimal(str(total[2])) == sum(Decimal(row["planned"]) for row in priorities)
    assert len(money) == 2 + len(priorities) + 1


def test_money_cells_are_numbers_with_a_money_format(two_years):
    book = _workbook(two_years[1])
    sheet = book["Money by source"]
    rows = _rows(sheet)
    assert rows[1] == ["Code", "Funding source", "Planned, EUR", "Spent, EUR"]
    sb = _find(rows, "SB")
    assert sb[2:] == [1500, 1500]
    row = next(index for index, values in enumerate(rows, start=1) if values[0] == "SB")
    assert sheet.cell(row=row, column=3).number_format == "#,##0.00"
    assert sheet.cell(row=row, column=3).data_type == "n"
    assert _find(_rows(book["Summary"]), "Planned, EUR")[1] == 1500


def test_the_annex_of_an_approved_report_is_frozen(approved_report):
    before = _rows(_workbook(approved_report)["Indicators"])
    ActualValue.objects.filter(year=2020).update(value=Decimal("99"))
    assert _rows(_workbook(approved_report)["Indicators"]) == before


def test_a_draft_annex_says_it_may_change(draft_report, staff_user):
    summary = _rows(_workbook(draft_report, staff_user)["Summary"])
    assert summary[1][0].startswith("Draft")


def test_a_title_starting_with_an_equals_sign_stays_text(approved_report):
    content = approved_report.snapshot
    row = content["priorities"][0]["goals"][0]["measures"][0]
    forged = {
        **content,
        "priorities": [
            {
                **content["priorities"][0],
                "goals": [
                    {
                        **content["priorities"][0]["goals"][0],
                        "measures": [{**row, "title": '=HYPERLINK("http://x","y")'}],
                    }
                ],
            }
        ],
    }
    data = xlsx.report_workbook(approved_report, forged)
    book = load_workbook(BytesIO(data))
    cell = book.worksheets[5].cell(row=2, column=2)
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"


def test_an_extra_sections_simple_tables_get_a_sheet(approved_report):
    content = {
        **approved_report.snapshot,
        "sections": {
            "test-extra": {
                "note": "ignored, not a table",
                "consultations": [
                    {"title": "Aptarimas", "proposals": 4, "accepted": "1"},
                    {"title": "=1+1", "proposals": 0},
                ],
                "nested": [{"rows": [1, 2]}],
            }
        },
    }
    hook = ReportSection(
        key="test-extra",
        title="Viešosios konsultacijos: 2020 [metai]",
        build=lambda **kwargs: None,
        template="reports/report.html",
    )
    registry.report_sections.append(hook)
    try:
        book = load_workbook(BytesIO(xlsx.report_workbook(approved_report, content)))
    finally:
        registry.report_sections.remove(hook)
    assert len(book.sheetnames) == len(SHEETS) + 1
    name = book.sheetnames[-1]
    assert len(name) <= 31 and "[" not in name and ":" not in name
    rows = _rows(book[name])
    assert rows[0][0] == "Viešosios konsultacijos: 2020 [metai]"
    assert ["Title", "Proposals", "Accepted"] in rows
    assert ["=1+1", 0, None] in rows
    assert book[name].cell(row=rows.index(["=1+1", 0, None]) + 1, column=1).data_type == "s"


def test_section_tables_keep_only_lists_of_flat_rows():
    tables = xlsx.section_tables(
        {
            "rows": [{"a": 1}, {"a": 2, "b": "x"}],
            "deep": [{"a": {"b": 1}}],
            "text": "x",
            "empty": [],
        }
    )
    assert tables == [("Rows", ["A", "B"], [[1, None], [2, "x"]])]


def test_the_page_and_the_api_give_the_file_to_whoever_may_read_it(
    client, staff_client, approved_report
):
    for url in (
        reverse("reports_compare:report-xlsx", args=[approved_report.pk]),
        f"/api/v1/reports/{approved_report.pk}/xlsx/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == XLSX_CONTENT_TYPE
        name = f"report-{approved_report.plan_id}-2020-r1.xlsx"
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert load_workbook(BytesIO(response.content)).sheetnames[0]


def test_the_api_gives_the_file_to_a_client_that_accepts_only_xlsx(client, approved_report):
    response = client.get(
        f"/api/v1/reports/{approved_report.pk}/xlsx/", headers={"accept": XLSX_CONTENT_TYPE}
    )
    assert response.status_code == 200
    missing = client.get("/api/v1/reports/999999/xlsx/", headers={"accept": XLSX_CONTENT_TYPE})
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")


def test_a_draft_annex_is_hidden_from_all_but_staff(
    client, resident_client, council_client, staff_client, draft_report
):
    page = reverse("reports_compare:report-xlsx", args=[draft_report.pk])
    api = f"/api/v1/reports/{draft_report.pk}/xlsx/"
    for reader in (client, resident_client, council_client):
        assert reader.get(page).status_code == 404
        assert reader.get(api).status_code == 404
    assert staff_client.get(page).status_code == 200
    assert staff_client.get(api).status_code == 200


def test_an_unknown_report_is_a_404(client, db):
    assert client.get(reverse("reports_compare:report-xlsx", args=[999999])).status_code == 404
    assert client.get("/api/v1/reports/999999/xlsx/").status_code == 404


def test_the_annex_reads_no_more_queries_as_the_plan_grows(client, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for priorities in (1, 5):
        report = approved_years(staff_user, version_with_money(priorities=priorities).plan)[1]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports_compare:report-xlsx", args=[report.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("report_id", ["99999999999999999999", "9223372036854775807"])
def test_an_id_beyond_the_database_is_a_404(client, db, report_id):
    assert client.get(f"/reports/{report_id}/xlsx/").status_code == 404
    response = client.get(f"/api/v1/reports/{report_id}/xlsx/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_annex_tables_have_the_portals_layout(approved_report):
    from tests.xlsx_checks import assert_table_layout

    book = _workbook(approved_report)
    assert_table_layout(book["Indicators"], freeze="D2")
    assert_table_layout(book["Measures"], freeze="C2")
    money = book["Money by source"]  # its title above the table's header
    assert (money.freeze_panes, money.auto_filter.ref[:3]) == ("A3", "A2:")
    assert money.print_title_rows == "$2:$2"
    assert book["Summary"].page_setup.orientation == "landscape"
