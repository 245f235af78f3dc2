"""The pages of a development plan and of the action plan that implements it,
as residents and staff meet them: each speaks its kind's words and stays
accessible (axe-core)."""

import pytest

from plans import services
from plans.kinds import PlanKind
from plans.models import Measure, PlanVersion, Task, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approved_pair():
    """An approved development plan and an approved action plan whose first
    measure implements the development plan's last task."""
    staff = factories.UserFactory(username="staff-kinds", role="staff")
    common = {"user": staff, "municipality": "Kauno rajono savivaldybė"}
    development = services.plan_create(
        title="Rajono ateities gairės",
        period_start=2021,
        period_end=2027,
        kind=PlanKind.DEVELOPMENT,
        **common,
    )
    dev_version = build_plan_tree(development.versions.get(), priorities=2, with_details=False)
    task = Task.objects.filter(version=dev_version).order_by("code").last()
    action = services.plan_create(
        # The factories' measures run from 2014: a period they are near.
        title="Rajono darbų trejiems metams sąrašas",
        period_start=2018,
        period_end=2027,
        kind=PlanKind.ACTION,
        development_plan=development,
        **common,
    )
    action_version = build_plan_tree(action.versions.get(), priorities=2, goals=1, tasks=1)
    measure = Measure.objects.filter(version=action_version).order_by("code").first()
    services.node_update(user=staff, node=measure, implements=[task.key])
    PlanVersion.objects.filter(pk__in=[dev_version.pk, action_version.pk]).update(
        status=VersionStatus.APPROVED
    )
    return dev_version, action_version, task, measure


def test_residents_read_both_plans_in_their_own_words(page):
    dev_version, action_version, task, measure = approved_pair()

    page.goto("/")
    # Neither title says what kind of plan it is: the cards do.
    cards = page.locator(".plan-cards")
    assert "Strateginis veiklos planas" in cards.inner_text()
    assert "Plėtros planas" in cards.inner_text()
    assert_no_axe_violations(page, "home page with both kinds")

    page.goto(f"/versions/{action_version.pk}/")
    main = page.locator("main").inner_text()
    assert "Programa" in main or "Programos" in main
    assert "01.01.01.01" in main
    assert_no_axe_violations(page, "action plan's version page")

    page.goto(f"/versions/{action_version.pk}/measures/{measure.pk}/")
    assert task.title in page.locator("main").inner_text()
    assert_no_axe_violations(page, "action plan's measure page")

    page.goto(f"/versions/{action_version.pk}/budget/")
    assert_no_axe_violations(page, "action plan's budget page")

    page.goto(f"/versions/{dev_version.pk}/tasks/{task.pk}/")
    assert measure.title in page.locator("#implemented-by").inner_text()
    assert_no_axe_violations(page, "development plan's task page")


def test_staff_see_what_is_left_unimplemented_and_the_blank_workbooks(page):
    dev_version, _action_version, task, _measure = approved_pair()
    login(page, "staff-kinds")

    page.goto(f"/staff/versions/{dev_version.pk}/unimplemented/")
    table = page.locator("#unimplemented").inner_text()
    other = Task.objects.filter(version=dev_version).order_by("code").first()
    assert other.title in table
    assert task.title not in table
    assert_no_axe_violations(page, "unimplemented goals and tasks")

    page.goto("/staff/workbooks/")
    assert page.locator("main a[href*='action']").count() >= 1
    assert_no_axe_violations(page, "blank workbooks")
