"""A resident and an anonymous visitor read the plan in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Goal, Measure, Priority, Task, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan_in_force():
    version = factories.VersionFactory(
        status=VersionStatus.DRAFT, number=1, decision_number="TS-402"
    )
    build_plan_tree(version, priorities=2, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


def test_resident_reads_a_measure_with_its_funding_and_indicators(page, plan_in_force):
    factories.UserFactory(username="gyventojas")
    measure = Measure.objects.filter(version=plan_in_force).first()
    login(page, "gyventojas")

    page.goto(f"/plans/{plan_in_force.plan_id}/")
    page.get_by_role("link", name=measure.title, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(measure.code)
    funding = page.locator("#funding")
    expect(funding).to_be_visible()
    expect(funding.locator("tfoot")).to_contain_text("20\u00a0000,00")
    expect(page.locator("#indicators")).to_contain_text("Rodiklis")
    expect(page.get_by_role("navigation", name=re.compile(".")).first).to_be_visible()


def test_visitor_narrows_the_plan_with_the_filter_form(page, plan_in_force):
    last = Measure.objects.filter(version=plan_in_force).last()
    first = Measure.objects.filter(version=plan_in_force).first()

    page.goto(f"/plans/{plan_in_force.plan_id}/")
    page.fill("#filter-q", last.title)
    page.locator("form.filters button[type=submit]").click()

    expect(page.locator("#result-count")).to_contain_text("1")
    expect(page.locator("#search-results")).to_contain_text(last.code)
    expect(page.locator("#search-results")).not_to_contain_text(first.title)
    expect(page.locator("#filter-q")).to_have_value(last.title)

    page.select_option("#filter-year", "2013")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#no-results")).to_be_visible()
    page.locator("#filters-reset").click()
    expect(page.locator("#outline .node-measure")).to_have_count(4)


def test_public_pages_have_no_accessibility_violations(page, plan_in_force):
    draft = factories.VersionFactory(plan=plan_in_force.plan, number=2, status=VersionStatus.DRAFT)
    factories.UserFactory(username="gyventojas")
    version = plan_in_force.pk
    nodes = {
        "priorities": Priority.objects.filter(version=plan_in_force).first(),
        "goals": Goal.objects.filter(version=plan_in_force).first(),
        "tasks": Task.objects.filter(version=plan_in_force).first(),
        "measures": Measure.objects.filter(version=plan_in_force).first(),
    }
    urls = [
        "/",
        f"/plans/{plan_in_force.plan_id}/",
        f"/plans/{plan_in_force.plan_id}/?q=Priemon&year=2016",
        f"/plans/{plan_in_force.plan_id}/?q=no+such+thing",
        *(f"/versions/{version}/{plural}/{node.pk}/" for plural, node in nodes.items()),
        f"/versions/{version}/budget/",
        "/accounts/login/",
    ]
    for url in urls:
        page.goto(url)
        assert_no_axe_violations(page, url)
    assert page.goto("/versions/987654/").status == 404
    assert_no_axe_violations(page, "404")

    login(page, "gyventojas")
    response = page.goto(f"/versions/{draft.pk}/")
    assert response is not None
    assert response.status == 403
    assert_no_axe_violations(page, "403")
