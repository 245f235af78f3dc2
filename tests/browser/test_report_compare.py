"""A visitor compares two years' approved reports in a real browser."""

import pytest
from playwright.sync_api import expect

from plans.models import Measure
from tests import factories
from tests.browser.conftest import assert_no_axe_violations
from tests.reports.compare_fixtures import approved_years, version_with_money

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_compares_two_years_reports(page):
    staff = factories.UserFactory(username="administracija", role="staff")
    version = version_with_money()
    plan = version.plan
    earlier, later = approved_years(staff, plan)
    measure = Measure.objects.filter(version=version).order_by("code").first()

    page.goto(f"/plans/{plan.pk}/reports/compare/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The two newest years are compared without asking.
    expect(page.locator(f"#measure-{measure.key}")).to_be_visible()
    page.select_option("#compare-a", "2020")
    page.select_option("#compare-b", "2019")
    page.locator("#compare-form button[type=submit]").click()

    expect(page.locator(f"#changed-{measure.key}")).to_be_visible()
    expect(page.locator("#summary-spent td").nth(2)).to_contain_text("1")
    expect(page.locator("#compare-indicators")).to_contain_text("15,5")
    expect(page.locator(f"#compared-reports a[href='/reports/{later.pk}/xlsx/']")).to_be_visible()
    assert_no_axe_violations(page, "compare page")

    # Choosing the same year twice shows the form's error, which axe checks too.
    page.select_option("#compare-a", "2019")
    page.select_option("#compare-b", "2019")
    page.locator("#compare-form button[type=submit]").click()
    expect(page.locator("#compare-errors")).to_be_visible()
    assert_no_axe_violations(page, "compare page with an error")
    assert earlier.year == 2019
