"""Staff make a plan's yearly report, write its texts and take it through the
council's decision; a visitor reads it. axe-core finds nothing on the way."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from monitoring import services as monitoring
from plans.models import Indicator, Measure, Priority, VersionStatus
from reports.models import Report, ReportStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _plan_with_published_round(staff):
    version = factories.VersionFactory(number=1, status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).first()
    Indicator._base_manager.filter(pk=indicator.pk).update(
        baseline_value=Decimal(10), baseline_year=2015
    )
    round_ = monitoring.round_open(
        user=staff, plan=version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    monitoring.actual_set(user=staff, indicator=indicator, year=2020, value="13.5")
    measure = Measure.objects.filter(version=version).order_by("code").first()
    monitoring.implementation_set(
        user=staff,
        measure=measure,
        year=2020,
        status="delayed",
        note="Užsitęsė viešasis pirkimas",
        spent=[{"source": "SB", "amount": "5000"}],
    )
    monitoring.round_publish(user=staff, round=round_)
    return version, indicator


def test_staff_write_and_take_a_report_to_approval_and_a_visitor_reads_it(page, new_page):
    staff = factories.UserFactory(username="ataskaitos-rengeja", role="staff")
    version, indicator = _plan_with_published_round(staff)
    plan = version.plan
    priority = Priority.objects.get(version=version)

    login(page, "ataskaitos-rengeja")
    page.goto(f"/plans/{plan.pk}/progress/")
    page.locator("#plan-reports-link").click()
    page.wait_for_url(re.compile(rf"/plans/{plan.pk}/reports/$"))
    expect(page.locator("#make-report-2020")).to_be_visible()
    assert_no_axe_violations(page, "the plan's reports, staff")

    page.locator("#make-report-2020").click()
    report = Report.objects.get(plan=plan, year=2020)
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#report-state")).to_have_class(re.compile("report-state-draft"))
    expect(page.locator(f'tr[data-indicator="{indicator.key}"] .indicator-actual')).to_contain_text(
        "13,5"
    )
    expect(page.locator(".measure-reason").first).to_contain_text("Užsitęsė viešasis pirkimas")
    expect(page.locator(f"#report-chart-{indicator.key}")).to_be_visible()
    assert_no_axe_violations(page, "draft report page")

    page.locator(f'a[href$="/narratives/priority:{priority.key}/"]').click()
    expect(page.locator("#id_text")).to_be_visible()
    assert_no_axe_violations(page, "narrative editor")
    page.fill("#id_text", "Metai buvo sunkūs.\n\n- Pradėti du darbai\n- Vienas vėluoja")
    page.locator("form.narrative-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/#priority-{priority.key}$"))
    narrative = page.locator(f'.report-narrative[data-section="priority:{priority.key}"]')
    expect(narrative.locator("li")).to_have_text(["Pradėti du darbai", "Vienas vėluoja"])

    # A step refused for the state (not yet submitted) shows why on its form.
    page.goto(f"/reports/{report.pk}/approve/")
    page.fill("#id_decision_number", "TS-55")
    page.fill("#id_decision_date", "2021-04-29")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    assert report.events.count() == 1
    assert_no_axe_violations(page, "a refused step's form")

    page.goto(f"/reports/{report.pk}/")
    page.locator("#report-submit").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#report-approve")).to_be_visible()
    report.refresh_from_db()
    assert report.status == ReportStatus.COUNCIL_REVIEW

    page.locator("#report-approve").click()
    assert_no_axe_violations(page, "recording the council's approval")
    page.fill("#id_decision_number", "TS-55")
    page.fill("#id_decision_date", "2021-04-29")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#report-state")).to_contain_text("TS-55")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    visitor = new_page()
    visitor.goto(f"/plans/{plan.pk}/reports/")
    expect(visitor.locator(f"#report-{report.pk}")).to_contain_text("TS-55")
    assert visitor.locator("#new-report-heading").count() == 0
    assert_no_axe_violations(visitor, "the plan's reports, a visitor")
    visitor.locator(f"#report-{report.pk} a").click()
    visitor.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(visitor.locator(".report-narrative li")).to_have_count(2)
    assert visitor.locator("#steps-heading").count() == 0
    assert_no_axe_violations(visitor, "approved report page, a visitor")
