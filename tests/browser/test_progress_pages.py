"""A visitor reads a plan's progress and a measure's chart; axe-core finds nothing."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import build_plan_tree
from tests.monitoring.test_public import monitored

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_progress_page_and_a_measures_chart(page):
    staff = factories.UserFactory(username="staff-progress", role="staff")
    version = factories.VersionFactory(number=1, status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    indicator = monitored(version, staff)

    page.goto(f"/plans/{version.plan_id}/")
    page.locator("main").get_by_role("link", name=re.compile("^(Progress|Pažanga)$")).click()
    page.wait_for_url(re.compile(rf"/plans/{version.plan_id}/progress/$"))
    expect(page.locator(".progress-priority").first).to_contain_text("35 %")
    assert_no_axe_violations(page, "progress page")

    page.select_option("#id_status", "no_data")
    page.locator("form.progress-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"status=no_data"))
    expect(page.locator("#measures-caption")).to_be_visible()
    assert_no_axe_violations(page, "filtered progress page")

    page.goto(f"/versions/{version.pk}/measures/{indicator.measure_id}/")
    chart = page.locator(f"#chart-{indicator.pk}")
    expect(chart).to_be_visible()
    expect(chart.locator(".chart-actual-value")).to_have_text(["13,5"])
    expect(page.locator(f"#values-{indicator.pk}")).to_contain_text("13,5")
    assert_no_axe_violations(page, "measure page with its chart")
