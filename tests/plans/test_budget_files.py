"""The budget page's chart and files: CSV for Lithuanian Excel and XLSX."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import budget
from plans.selectors import budget_summary
from tests.plans import test_public_budget
from tests.xlsx_checks import assert_table_layout, open_workbook

# The budget tests' plan: every total a distinct number.
funded_version = test_public_budget.funded_version


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_csv_opens_in_lithuanian_excel_with_a_row_per_priority_year_and_source(
    staff_client, funded_version
):
    response = staff_client.get(f"/versions/{funded_version.pk}/budget.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows[0]) == 6
    body = rows[1:]
    assert ["A", "Aplinka", "2014", "SB", "Savivaldybės biudžetas", "1100,00"] in body
    assert ["B", "Švietimas", "2015", "ES", "Europos Sąjungos lėšos", "1234567,89"] in body
    # Only cells with money; the priority without funding has no row.
    assert len(body) == 4 and not any(row[0] == "C" for row in body)


def test_the_xlsx_holds_the_long_table_and_both_summaries_laid_out_for_people(
    staff_client, funded_version
):
    response = staff_client.get(f"/versions/{funded_version.pk}/budget.xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = open_workbook(response.content)
    funding, by_year, by_source = workbook.worksheets
    assert_table_layout(funding, freeze="C2")
    assert_table_layout(by_year, freeze="B2")
    assert_table_layout(by_source, freeze="B2")
    values = list(funding.iter_rows(min_row=2, values_only=True))
    assert ("B", "Švietimas", 2015, "ES", "Europos Sąjungos lėšos", 1234567.89) in values
    assert funding["F2"].number_format == budget.MONEY_FORMAT
    years = [row[0] for row in by_year.iter_rows(min_row=2, values_only=True)]
    assert years[:-1] == list(range(2013, 2021))
    assert by_year.cell(by_year.max_row, by_year.max_column).value == 1237968.14
    # The filter stops above the totals row, which must not be sorted away.
    assert by_year.auto_filter.ref == f"A1:E{by_year.max_row - 1}"


def test_the_files_take_the_same_queries_whatever_the_plan_size(staff_client, funded_version):
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(f"/versions/{funded_version.pk}/budget.xlsx")
    # The reader's session and user, the version, then the summary's three.
    assert len(queries) <= 8


def test_the_chart_draws_a_bar_per_year_with_its_amount(funded_version):
    summary = budget_summary(funded_version)
    svg = budget.budget_chart(summary, chart_id="c", title="Funding <by year>")

    assert svg.count('class="budget-bar"') == 8
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    assert "Funding &lt;by year&gt;" in svg
    assert "1\xa0234\xa0868,14" in svg  # 2015's total, written beside its bar
    assert "2014: 3\xa0100,00" in svg  # the description lists every value


def test_the_page_has_the_chart_the_downloads_and_a_table_per_summary(staff_client, funded_version):
    html = staff_client.get(f"/versions/{funded_version.pk}/budget/").content.decode()

    assert 'id="budget-chart"' in html
    assert f'href="/versions/{funded_version.pk}/budget.csv"' in html
    assert f'href="/versions/{funded_version.pk}/budget.xlsx"' in html
    assert 'data-label="A Aplinka"' in html  # a cell's label when shown as a card
    assert 'src="/static/js/budget.js"' in html
