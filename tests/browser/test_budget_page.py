"""The budget page fits at 1366 and 390 px, with its chart; axe-core finds nothing."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import VersionStatus
from plans.services import version_renumber
from tests import factories
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [(1366, 768), (390, 844)]


def big_budget_version(unit=Decimal("1234567.89")):
    """A plan as wide as the real one: eight years, six sources, long titles, millions."""
    version = factories.VersionFactory(number=1, status=VersionStatus.DRAFT)
    sources = [
        factories.FundingSourceFactory(code=code, name=name)
        for code, name in [
            ("SB", "Savivaldybės biudžetas"),
            ("VB", "Valstybės biudžetas"),
            ("ES", "Europos Sąjungos struktūrinių fondų lėšos"),
            ("SKL", "Skolintos lėšos"),
            ("PRI", "Privačios lėšos"),
            ("KT", "Kiti šaltiniai"),
        ]
    ]
    titles = [
        "Konkurencinga, tvari ir inovatyvi rajono ekonomika bei patraukli investicinė aplinka",
        "Aukšta gyventojų gyvenimo kokybė, prieinamos ir kokybiškos viešosios paslaugos",
        "Darni teritorijų plėtra, moderni inžinerinė ir susisiekimo infrastruktūra",
        "Efektyvus, atviras ir gyventojams artimas savivaldybės valdymas",
    ]
    for position, title in enumerate(titles, start=1):
        priority = factories.PriorityFactory(version=version, title=title, position=position)
        goal = factories.GoalFactory(priority=priority, version=version)
        task = factories.TaskFactory(goal=goal, version=version)
        measure = factories.MeasureFactory(task=task, version=version)
        for year in range(2013, 2021):
            for index, source in enumerate(sources):
                factories.FundingLineFactory(
                    measure=measure,
                    source=source,
                    year=year,
                    amount=unit * (index + position),
                )
    version_renumber(version)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


OVERFLOW = """() => {
  const page = document.scrollingElement;
  return {
    page: [page.scrollWidth, page.clientWidth],
    tables: Array.from(document.querySelectorAll(".table-wrap"))
      .filter((box) => box.scrollWidth > box.clientWidth)
      .map((box) => box.querySelector("table").id),
  };
}"""


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_budget_page_fits_with_its_last_year_total_and_chart(page, width, height):
    version = big_budget_version()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/versions/{version.pk}/budget/")

    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"][0] <= overflow["page"][1], overflow
    assert overflow["tables"] == [], overflow
    # The last year and the grand total are on the screen, not behind a scroll.
    for selector in (
        "#budget-by-year tbody tr:last-child th",
        "#budget-by-year tfoot td:last-child",
        "#budget-by-source tfoot td:last-child",
        "#budget-priority-D tfoot td:last-child",
    ):
        cell = page.locator(selector)
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, selector
    expect(page.locator("#budget-by-year tbody tr:last-child th")).to_have_text("2020")
    expect(page.locator("#budget-by-year tfoot td:last-child")).to_have_text(
        "1\xa0185\xa0185\xa0174,40"
    )
    chart = page.locator("#budget-chart")
    expect(chart).to_be_visible()
    expect(chart.locator(".budget-bar")).to_have_count(8)
    assert_no_axe_violations(page, f"budget page at {width} px")

    for name in ("budget-csv", "budget-xlsx"):
        link = page.locator(f"a[href$='{name.replace('budget-', 'budget.')}']")
        expect(link).to_be_visible()
        response = page.request.get(link.get_attribute("href"))
        assert response.status == 200 and len(response.body()) > 100


def test_a_table_too_wide_for_a_desktop_shows_its_rows_as_cards(page):
    # Billions in six sources: the per-priority tables would not fit 1366 px.
    version = big_budget_version(unit=Decimal("123456789.01"))
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"/versions/{version.pk}/budget/")

    overflow = page.evaluate(OVERFLOW)
    assert overflow["page"][0] <= overflow["page"][1], overflow
    assert overflow["tables"] == [], overflow
    expect(page.locator("#budget-priority-A")).to_have_class(re.compile(r"\bis-stacked\b"))
    expect(page.locator("#budget-by-year")).not_to_have_class(re.compile(r"\bis-stacked\b"))
    assert_no_axe_violations(page, "budget page with cards on a desktop")
