"""A version's workbook and the blank ones are laid out for people
(planportal/xlsx.py) and still import as before (tests/plans/test_spreadsheets.py)."""

from plans.kinds import get_kind
from plans.spreadsheets import blank_workbook, layout, version_workbook
from tests.xlsx_checks import assert_dates_are_dates, assert_table_layout, open_workbook


def check(workbook):
    plan, indicators, instructions, sources, units = (
        workbook[name]
        for name in (
            layout.PLAN_SHEET,
            layout.INDICATOR_SHEET,
            layout.INSTRUCTION_SHEET,
            layout.SOURCE_SHEET,
            layout.UNIT_SHEET,
        )
    )
    assert_table_layout(plan, freeze="C2")
    assert_table_layout(indicators, freeze="C2")
    assert_table_layout(sources)
    assert_table_layout(units)
    for sheet in (plan, indicators, sources, units):
        assert_dates_are_dates(sheet)
    # The instructions are prose: printed, not filtered.
    assert not instructions.auto_filter.ref
    assert instructions.page_setup.fitToWidth == 1
    return plan


def test_a_versions_workbook_filters_every_row_and_prints_its_header_on_each_page(
    approved_version,
):
    workbook = open_workbook(version_workbook(approved_version))
    plan = check(workbook)
    last = plan.cell(1, plan.max_column).column_letter
    assert plan.auto_filter.ref == f"A1:{last}{plan.max_row}"
    assert plan.max_row > 2
    # The hidden key column stays hidden.
    assert plan.column_dimensions[last].hidden


def test_the_blank_workbook_has_the_same_layout(db):
    check(open_workbook(blank_workbook(get_kind("action"), years=[2026, 2027])))
