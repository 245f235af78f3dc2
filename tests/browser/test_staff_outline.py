"""Staff edit a draft's outline in the browser, with htmx, and it stays accessible."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Indicator, Measure, Task
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_adds_a_measure_with_funding_and_an_indicator_and_codes_renumber(page):
    factories.UserFactory(username="staff-browser", role="staff")
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    task = Task.objects.get(version=version, code="A.1.1")
    old_first = Measure.objects.get(version=version, code="A.1.1.1")
    saarsp = factories.FundingSourceFactory(code="SAARSP", name="Aplinkos apsaugos rėmimo programa")

    login(page, "staff-browser")
    page.goto(f"/staff/versions/{version.pk}/outline/")
    assert_no_axe_violations(page, "staff outline")

    # Add a measure before the first one, in place (htmx), without a reload.
    page.click(f"#node-task-{task.pk} ~ .node-actions a[href$='/add/']")
    form = page.locator(f"#slot-task-{task.pk} form")
    form.get_by_label(re.compile("Title|Pavadinimas")).fill("Želdynų įrengimas seniūnijose")
    form.locator("select").select_option(str(old_first.position))
    page.evaluate("window.__same_page = true")
    form.locator("button[type=submit]").click()

    new_line = page.locator(".node-line", has_text="Želdynų įrengimas seniūnijose")
    new_line.wait_for()
    assert new_line.locator(".node-code").inner_text() == "A.1.1.1"
    old_line = page.locator(f"#node-measure-{old_first.pk}")
    assert old_line.locator(".node-code").inner_text() == "A.1.1.2"
    assert page.evaluate("window.__same_page") is True  # no full page reload
    assert "A.1.1.1" in page.locator("#outline-status").inner_text()
    # Focus follows the change, for keyboard and screen-reader users.
    new = Measure.objects.get(version=version, title="Želdynų įrengimas seniūnijose")
    # htmx moves focus after settling, a moment after the swap.
    # A locator with :focus, not wait_for_function: polling a string predicate
    # is an eval, which the portal's CSP refuses once the first check fails.
    expect(page.locator(f"#node-measure-{new.pk}:focus")).to_have_count(1, timeout=5000)

    # Open the new measure's page: its funding on the grid, and an indicator.
    new_line.locator("a.node-title").click()
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{new.pk}/$"))
    assert_no_axe_violations(page, "measure edit page")
    page.click("#edit-funding")
    page.fill(f"[name=cell-2016-{saarsp.pk}]", "12 500,50")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{new.pk}/"))
    assert page.locator("#funding-grand-total").inner_text().replace("\xa0", " ") == "12 500,50"

    # "Pridėti rodiklį" is a button of the measure's form: what was typed there is saved first.
    page.click("button[name=add_indicator]")
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{new.pk}/indicators/add/(#.*)?$"))
    page.fill("#id_name", "Įrengti želdynai")
    page.fill("#id_unit", "vnt.")
    page.fill("#id_targets-0-year", "2020")
    page.fill("#id_targets-0-value", "25")
    page.locator("main form button[type=submit]:not([name])").first.click()
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{new.pk}/"))
    assert page.locator("#indicators + .table-wrap", has_text="Įrengti želdynai").count() == 1

    indicator = Indicator.objects.get(measure=new)
    assert indicator.kind == "output"
    assert list(indicator.targets.values_list("year", flat=True)) == [2020]


def test_move_down_button_renumbers_and_keeps_focus_on_the_button(page):
    factories.UserFactory(username="staff-browser", role="staff")
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=2, goals=1, tasks=1, measures=1, with_details=False)
    login(page, "staff-browser")
    page.goto(f"/staff/versions/{version.pk}/outline/")
    first = page.locator(".node-priority").first
    title = first.locator("> .node-line a.node-title").inner_text()
    # "Down" waits in the row's menu ("Daugiau").
    first.locator("> .node-actions .node-menu > summary").click()
    first.locator("> .node-actions form:has(input[value=down]) button").focus()
    page.keyboard.press("Enter")
    page.locator(".node-priority").nth(1).locator("> .node-line", has_text=title).wait_for()
    assert (
        page.locator(".node-priority").nth(1).locator("> .node-line .node-code").inner_text() == "B"
    )
    # The moved priority is last now, so its "down" button is disabled: focus
    # goes to the priority's line instead of getting lost.
    expect(page.locator(".node-line:focus")).to_have_count(1, timeout=5000)
    assert page.evaluate("document.activeElement.textContent").strip().startswith("B")
