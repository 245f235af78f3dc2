"""Every kind of page works in a real browser under the Content-Security-Policy.

The page fixture (tests/browser/conftest.py) fails a test on any console line
about a refused policy, so each visit below checks that the page asked the
browser for nothing the policy forbids: public pages, the staff editor, the
council, the admin (with its history page), the API docs (Swagger UI, which
fetches the schema and runs a request) and the browsable API.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from plans.models import Measure, VersionStatus
from tests import factories
from tests.browser.conftest import REPORT_CSP_VIOLATIONS, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def versions():
    approved = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(approved, priorities=1, goals=1, tasks=1, measures=2)
    type(approved).objects.filter(pk=approved.pk).update(status=VersionStatus.APPROVED)
    draft = factories.VersionFactory(plan=approved.plan, status=VersionStatus.DRAFT, number=2)
    build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=1)
    return approved, draft


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert "script-src 'self'" in response.header_value("content-security-policy"), url
    return response


def test_public_pages_load_under_the_policy(page, versions):
    approved, _draft = versions
    measure = Measure.objects.filter(version=approved).first()
    for url in (
        "/",
        f"/plans/{approved.plan_id}/",
        f"/versions/{approved.pk}/",
        f"/versions/{approved.pk}/measures/{measure.pk}/",
        f"/versions/{approved.pk}/budget/",
        "/climate/",
        "/consultations/",
        "/accounts/login/",
        "/accounts/register/",
        "/accounts/privacy/",
        "/no-such-page/",
    ):
        visit(page, url)


def test_staff_and_council_pages_load_under_the_policy(page, new_page, versions):
    _approved, draft = versions
    factories.UserFactory(username="staff-member", role="staff")
    login(page, "staff-member")
    for url in (
        "/staff/",
        f"/staff/versions/{draft.pk}/outline/",
        "/staff/climate/",
        "/consultations/staff/",
        "/council/",
        "/notifications/",
        "/accounts/",
    ):
        visit(page, url)

    factories.UserFactory(username="council-member", role="council")
    council = new_page()
    login(council, "council-member")
    visit(council, "/council/")
    visit(council, f"/versions/{draft.pk}/")


def test_the_admin_works_under_the_policy(page, versions):
    approved, _draft = versions
    get_user_model().objects.create_superuser("root", "root@example.lt", "secret-pass-123")
    measure = Measure.objects.filter(version=approved).first()

    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "secret-pass-123")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    for url in (
        "/admin/",
        "/admin/plans/unit/",
        "/admin/plans/unit/add/",
        "/admin/plans/measure/",
        f"/admin/plans/measure/{measure.pk}/change/",
        # django-simple-history's page, with its one fixed style attribute.
        f"/admin/plans/measure/{measure.pk}/history/",
    ):
        visit(page, url)
    # The admin's scripts run: the theme switch and the sidebar filter.
    page.goto("/admin/plans/unit/")
    expect(page.locator("#nav-filter")).to_be_visible()
    page.fill("#nav-filter", "zzz")
    expect(page.locator("#nav-sidebar .current-model")).to_be_hidden()


def test_the_api_docs_render_and_run_a_request_under_the_policy(page, versions):
    visit(page, "/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("PlanPortal API")
    operation = page.locator(".opblock-get").first
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".responses-wrapper .live-responses-table").first).to_be_visible()


def test_the_browsable_api_loads_under_the_policy(page, versions):
    visit(page, "/api/v1/plans/")
    expect(page.locator(".response-info")).to_be_visible()
    visit(page, f"/api/v1/versions/{versions[0].pk}/")


def test_the_browser_refuses_an_inline_script_and_style(browser, live_server):
    # Outside the page fixture: the violations here are the point.
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true;";
            document.body.append(script);
            const style = document.createElement("style");
            style.textContent = "body { display: none; }";
            document.head.append(style);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected") is None
    expect(page.locator("body")).to_be_visible()
    assert any("script-src" in line for line in refused), refused
    assert any("style-src" in line for line in refused), refused
    context.close()
