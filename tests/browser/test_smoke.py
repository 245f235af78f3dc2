import pytest

from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_in_lithuanian_and_accessible(page):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "lt"
    assert_no_axe_violations(page, "home")
