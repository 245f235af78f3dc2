"""Staff link an action plan's measure to a development plan's task in the
editor, and the task's page then lists the measure; both pages stay accessible."""

import re

import pytest

from plans import services
from plans.kinds import PlanKind
from plans.models import Measure, PlanVersion, Task, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_plan(user, kind, title, **extra):
    return services.plan_create(
        user=user,
        title=title,
        municipality="Kauno rajono savivaldybė",
        period_start=2018,
        period_end=2027,
        kind=kind,
        **extra,
    )


def test_staff_tick_a_development_plan_task_and_its_page_lists_the_measure(page):
    staff = factories.UserFactory(username="staff-browser", role="staff")
    development = make_plan(staff, PlanKind.DEVELOPMENT, "Plėtros planas iki 2030 m.")
    dev_version = build_plan_tree(development.versions.get(), priorities=2, with_details=False)
    PlanVersion.objects.filter(pk=dev_version.pk).update(status=VersionStatus.APPROVED)
    action = make_plan(
        staff, PlanKind.ACTION, "Strateginis veiklos planas", development_plan=development
    )
    build_plan_tree(action.versions.get(), priorities=1, goals=1, tasks=1, measures=1)
    measure = Measure.objects.get(version__plan=action)
    task = Task.objects.filter(version=dev_version).order_by("code").last()

    login(page, "staff-browser")
    page.goto(f"/staff/nodes/measure/{measure.pk}/")
    assert_no_axe_violations(page, "action plan's measure in the editor")

    # The filter box narrows the list to the task typed (JavaScript shows it).
    picker = page.locator("#implements-field")
    picker.get_by_label(re.compile("Find a goal or task|Raskite tikslą ar uždavinį")).fill(
        task.code
    )
    checkbox = picker.get_by_label(f"{task.code} {task.title}", exact=True)
    assert checkbox.is_visible()
    other = Task.objects.filter(version=dev_version).order_by("code").first()
    assert not picker.get_by_label(f"{other.code} {other.title}", exact=True).is_visible()
    checkbox.check()
    page.locator("main form button[type=submit]:not([name])").first.click()
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{measure.pk}/$"))
    page.wait_for_load_state("networkidle")
    assert list(measure.links.values_list("key", flat=True)) == [task.key]
    assert picker.get_by_label(f"{task.code} {task.title}", exact=True).is_checked()

    page.goto(f"/versions/{dev_version.pk}/tasks/{task.pk}/")
    listed = page.locator("#implemented-by")
    assert listed.get_by_role("link", name=measure.title).count() == 1
    assert "Strateginis veiklos planas" in listed.inner_text()
    assert_no_axe_violations(page, "development plan's task page")
