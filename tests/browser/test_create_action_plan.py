"""Staff create an action plan in the browser and start its outline, accessibly."""

import re

import pytest

from plans import services
from plans.models import Plan, Priority
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_create_an_action_plan_and_add_its_first_programme(page):
    staff = factories.UserFactory(username="staff-browser", role="staff")
    development = services.plan_create(
        user=staff,
        title="Kauno rajono plėtros planas 2021–2030",
        municipality="Kauno rajono savivaldybė",
        period_start=2021,
        period_end=2030,
        kind="development",
    )

    login(page, "staff-browser")
    page.goto("/staff/")
    assert_no_axe_violations(page, "staff dashboard")
    page.locator("main a[href='/staff/plans/new/']").click()
    page.wait_for_url(re.compile(r"/staff/plans/new/$"))
    assert_no_axe_violations(page, "new plan page")

    # A refused form keeps what was typed and says why, accessibly.
    page.check("input[name=kind][value=action]")
    page.fill("#id_title", "Strateginis veiklos planas 2026–2028")
    page.fill("#id_period_start", "2026")
    page.fill("#id_period_end", "2020")
    page.select_option("#id_development_plan", str(development.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_period_end_error").is_visible()
    assert page.input_value("#id_title") == "Strateginis veiklos planas 2026–2028"
    assert page.is_checked("input[name=kind][value=action]")
    assert_no_axe_violations(page, "new plan page with errors")

    page.fill("#id_period_end", "")  # the kind's usual three years
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/versions/\d+/outline/$"))
    plan = Plan.objects.get(title="Strateginis veiklos planas 2026–2028")
    assert (plan.kind, plan.period_end, plan.development_plan) == ("action", 2028, development)
    draft = plan.versions.get()
    assert page.url.endswith(f"/staff/versions/{draft.pk}/outline/")

    # The empty draft's editor: add the first programme and see its code.
    page.click(f"a[href='/staff/versions/{draft.pk}/add-priority/']")
    form = page.locator(f"#slot-version-{draft.pk} form")
    form.get_by_label(re.compile("Title|Pavadinimas")).fill("Ekonominės plėtros programa")
    form.locator("button[type=submit]").click()
    line = page.locator(".node-line", has_text="Ekonominės plėtros programa")
    line.wait_for()
    assert line.locator(".node-code").inner_text() == "01"
    assert Priority.objects.get(version=draft).code == "01"
    assert_no_axe_violations(page, "the new action plan's outline")
