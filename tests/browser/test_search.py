"""A visitor searches the plan by a word form, at desktop and phone widths."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations
from tests.plans.search_plan import build_search_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KINDERGARTENS = [
    "Lopšelio-darželio „Žilvitis“ renovacija",
    "Naujo darželio statyba Pietinėje dalyje",
    "Darželių aikštelių atnaujinimas",
    "Lopšelis-darželis „Saulutė“: grupių steigimas",
]


@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)])
def test_visitor_finds_the_kindergartens_by_darzelis(page, width, height):
    version = build_search_plan()
    page.set_viewport_size({"width": width, "height": height})

    page.goto(f"/plans/{version.plan_id}/")
    page.fill("#filter-q", "darželis")
    page.locator("form.filters button[type=submit]").click()

    results = page.locator("#search-results > li")
    expect(results).to_have_count(5)
    for title in KINDERGARTENS:
        expect(page.locator("#search-results")).to_contain_text(title)
    # The measure that names a kindergarten only in its description comes last.
    expect(results.last).to_contain_text("Mokyklų sporto salių remontas")
    expect(page.locator("#result-count")).to_contain_text("5")
    expect(page.locator("#filter-q")).to_have_value("darželis")
    overflow = page.evaluate(
        "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert overflow <= 0, f"{overflow} px of sideways scrolling at {width} px"
    assert_no_axe_violations(page, f"search at {width} px")

    page.fill("#filter-q", "darželio renovacija Vilniuje")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#search-partial")).to_be_visible()
    assert_no_axe_violations(page, f"partial search at {width} px")

    page.get_by_role("link", name=KINDERGARTENS[0]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(KINDERGARTENS[0])
