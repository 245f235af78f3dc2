"""The open data for people: the XLSX laid out (planportal/xlsx.py), a CSV
for Lithuanian Excel beside the programs' comma CSV, and the round workbook."""

import csv
import io

from monitoring.models import MonitoringRound
from monitoring.spreadsheets import round_items, round_workbook
from tests.monitoring.test_public import indicator  # noqa: F401 - a fixture
from tests.xlsx_checks import assert_dates_are_dates, assert_table_layout, open_workbook


def test_the_open_data_workbook_is_laid_out_for_people(
    client,
    approved_version,
    indicator,  # noqa: F811
):
    response = client.get(f"/plans/{approved_version.plan_id}/progress.xlsx")
    workbook = open_workbook(response.content)
    for sheet in workbook.worksheets:
        assert_table_layout(sheet, freeze="B2")
        assert sheet.max_row > 1


def test_the_excel_csv_has_a_bom_semicolons_and_decimal_commas_and_the_plain_one_stays(
    client,
    approved_version,
    indicator,  # noqa: F811
):
    base = f"/plans/{approved_version.plan_id}/progress"
    raw = client.get(f"{base}-excel.csv").content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows[0]) == 15
    assert any("13,5" in row for row in rows[1:])  # the published actual value
    plain = client.get(f"{base}.csv").content.decode()
    assert plain.startswith('"item","year"')  # the programs' file is unchanged


def test_the_round_workbook_is_laid_out_and_its_dates_are_dates(
    approved_version,
    staff_user,
    indicator,  # noqa: F811
):
    open_round = MonitoringRound.objects.get(plan=approved_version.plan, year=2020)
    workbook = open_workbook(round_workbook(round_items(open_round, staff_user)))
    indicators, measures, instructions = workbook.worksheets
    for sheet in (indicators, measures):
        assert_table_layout(sheet, freeze="C2")
        assert_dates_are_dates(sheet)
    assert not instructions.auto_filter.ref
