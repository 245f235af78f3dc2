"""A unit member enters an actual value and a measure's status by keyboard
only; the coordinator sees the completeness and publishes the round. Every
monitoring page passes axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from monitoring import services
from monitoring.models import ActualValue, MeasureImplementation, RoundStatus, UnitMembership
from plans.models import Indicator, Measure, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=120):
    """Press Tab until the element ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_a_unit_member_enters_by_keyboard_and_the_coordinator_publishes(page):
    staff = factories.UserFactory(username="koordinatorius", role="staff")
    member = factories.UserFactory(username="skyriaus-narys")
    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    measure = Measure.objects.get(version=version)
    indicator = Indicator.objects.get(version=version, measure=measure)
    UnitMembership.objects.create(unit=measure.responsible_unit, user=member)
    round_ = services.round_open(
        user=staff, plan=version.plan, year=2020, due=datetime.date(2030, 2, 15)
    )
    indicator_url = f"/monitoring/rounds/{round_.pk}/indicator/{indicator.key}/"
    measure_url = f"/monitoring/rounds/{round_.pk}/measure/{measure.key}/"

    login(page, "skyriaus-narys")
    page.goto("/")
    tab_to(page, "a[href='/monitoring/my-items/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/monitoring/my-items/")
    assert_no_axe_violations(page, "my items")

    # The indicator: a wrong number first, refused next to the field and kept.
    tab_to(page, f"a[href='{indicator_url}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{indicator_url}")
    assert_no_axe_violations(page, "an indicator's entry form")
    tab_to(page, "#id_value")
    page.keyboard.type("daug")
    page.keyboard.press("Enter")
    expect(page.locator("#id_value_error")).to_be_visible()
    expect(page.locator("#id_value")).to_have_value("daug")
    assert_no_axe_violations(page, "an entry form with an error")
    tab_to(page, "#id_value")
    page.keyboard.press("Control+A")
    page.keyboard.type("12,5")
    page.keyboard.press("Enter")
    page.wait_for_url("**/monitoring/my-items/**")
    assert ActualValue.objects.get().value == 12.5

    # The measure: its status chosen with the arrow keys, saved with Enter.
    tab_to(page, f"a[href='{measure_url}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{measure_url}")
    assert_no_axe_violations(page, "a measure's entry form")
    tab_to(page, "#id_status")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_status")).to_have_value("completed")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/monitoring/my-items/**")
    assert MeasureImplementation.objects.get().status == "completed"

    # The coordinator: the completeness, a question, the publication.
    page.context.clear_cookies()
    login(page, "koordinatorius")
    page.goto("/staff/")
    assert_no_axe_violations(page, "staff dashboard with the monitoring links")
    page.goto(f"/monitoring/plans/{version.plan_id}/rounds/")
    assert_no_axe_violations(page, "a plan's rounds")
    page.goto(f"/monitoring/rounds/{round_.pk}/")
    row = page.locator("#completeness tbody tr", has_text=measure.responsible_unit.name)
    expect(row.locator("td").nth(0)).to_have_text("2")
    expect(row.locator("td").nth(1)).to_have_text("0")
    assert_no_axe_violations(page, "a round's completeness")
    page.goto(indicator_url)
    page.fill("#id_text", "Ar tai 2020 m. gruodžio duomenys?")
    page.check("#id_is_question")
    page.locator("#comments form button[type=submit]").last.click()
    expect(page.locator("#comments")).to_contain_text("Ar tai 2020 m. gruodžio duomenys?")
    assert_no_axe_violations(page, "an item with a question")
    page.goto("/monitoring/units/")
    assert_no_axe_violations(page, "the units' members")
    page.goto(f"/monitoring/rounds/{round_.pk}/publish/")
    assert_no_axe_violations(page, "publishing a round")
    tab_to(page, "#id_confirm")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/monitoring/rounds/{round_.pk}/")
    round_.refresh_from_db()
    assert round_.status == RoundStatus.PUBLISHED
