"""The budget summary: funding by priority, source and year, with totals."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from plans.models import VersionStatus
from plans.selectors import budget_summary, funding_grid, money_grid
from tests import factories


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def funded_version(db):
    """Two priorities; amounts chosen so that every total is a distinct number."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    sb = factories.FundingSourceFactory(code="SB", name="Savivaldybės biudžetas", position=1)
    es = factories.FundingSourceFactory(code="ES", name="Europos Sąjungos lėšos", position=2)
    first = factories.PriorityFactory(version=version, title="Aplinka", code="A", position=1)
    second = factories.PriorityFactory(version=version, title="Švietimas", code="B", position=2)
    factories.PriorityFactory(version=version, title="Be lėšų", code="C", position=3)
    lines = [
        (first, 2014, sb, "1000.50"),
        (first, 2014, es, "2000.00"),
        (first, 2015, sb, "300.25"),
        (second, 2015, es, "1234567.89"),
    ]
    for priority, year, source, amount in lines:
        task = factories.TaskFactory(goal=factories.GoalFactory(priority=priority, version=version))
        measure = factories.MeasureFactory(task=task, version=version)
        factories.FundingLineFactory(
            measure=measure, year=year, source=source, amount=Decimal(amount)
        )
    # A second measure of the first priority, same year and source: summed.
    task = factories.TaskFactory(goal=factories.GoalFactory(priority=first, version=version))
    factories.FundingLineFactory(
        measure=factories.MeasureFactory(task=task, version=version),
        year=2014,
        source=sb,
        amount=Decimal("99.50"),
    )
    return version


def test_budget_summary_sums_funding_by_priority_source_and_year(funded_version):
    summary = budget_summary(funded_version)

    by_year = {row.header.code: row for row in summary.by_year.rows}
    years = summary.by_year.columns
    assert years == list(range(2013, 2021))
    assert by_year["A"].values[years.index(2014)] == Decimal("3100.00")
    assert by_year["A"].values[years.index(2015)] == Decimal("300.25")
    assert by_year["A"].total == Decimal("3400.25")
    assert by_year["C"].total == Decimal("0")

    assert [s.code for s in summary.by_source.columns] == ["SB", "ES"]
    by_source = {row.header.code: row.values for row in summary.by_source.rows}
    assert by_source["A"] == [Decimal("1400.25"), Decimal("2000.00")]
    assert by_source["B"] == [Decimal("0"), Decimal("1234567.89")]
    assert summary.by_source.column_totals == [Decimal("1400.25"), Decimal("1236567.89")]
    assert summary.total == Decimal("1237968.14")

    grids = {priority.code: grid for priority, grid in summary.per_priority}
    row_2014 = next(row for row in grids["A"].rows if row.header == 2014)
    assert row_2014.values == [Decimal("1100.00"), Decimal("2000.00")]
    assert grids["B"].total == Decimal("1234567.89")


def test_budget_summary_takes_three_queries_whatever_the_plan_size(
    funded_version, django_assert_num_queries
):
    with django_assert_num_queries(3):
        budget_summary(funded_version)


def test_budget_page_shows_totals_in_lithuanian_number_format(staff_client, funded_version):
    html = staff_client.get(f"/versions/{funded_version.pk}/budget/").content.decode()

    assert "1\xa0237\xa0968,14" in html  # the grand total
    assert "3\xa0400,25" in html  # priority A, all years
    assert 'id="budget-by-year"' in html and 'id="budget-by-source"' in html
    assert 'id="budget-priority-A"' in html
    # Years head the rows (a plan has fewer priorities than years), never grouped.
    assert '<th scope="row" role="rowheader">2014</th>' in html


amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)


@given(st.dictionaries(st.tuples(st.integers(0, 4), st.integers(0, 5)), amounts, max_size=30))
def test_money_grid_totals_add_up_every_way(cells):
    rows = [(key, f"row {key}") for key in range(5)]
    columns = [(key, f"column {key}") for key in range(6)]

    grid = money_grid(cells, rows, columns)

    everything = sum(cells.values(), Decimal("0"))
    assert grid.total == everything
    assert sum((row.total for row in grid.rows), Decimal("0")) == everything
    assert sum(grid.column_totals, Decimal("0")) == everything
    for row_index, row in enumerate(grid.rows):
        assert row.total == sum(row.values, Decimal("0"))
        for column_index, value in enumerate(row.values):
            assert value == cells.get((row_index, column_index), Decimal("0"))


@given(
    st.lists(
        st.tuples(st.integers(2010, 2025), st.sampled_from(["SB", "ES", "VB"]), amounts),
        max_size=25,
    )
)
def test_measure_funding_grid_keeps_every_cent(lines):
    sources = {
        code: SimpleNamespace(id=index, code=code, position=index)
        for index, code in enumerate(["SB", "ES", "VB"])
    }
    funding = [
        SimpleNamespace(year=year, source_id=sources[code].id, source=sources[code], amount=amount)
        for year, code, amount in lines
    ]

    grid = funding_grid(funding)

    assert grid.total == sum((amount for _, _, amount in lines), Decimal("0"))
    assert [row.header for row in grid.rows] == sorted({year for year, _, _ in lines})
    assert [source.code for source in grid.columns] == [
        code for code in ["SB", "ES", "VB"] if any(c == code for _, c, _ in lines)
    ]
