"""A staff member turns two-factor sign-in on in My account and signs in with a code."""

import base64
import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.accounts.conftest import totp_code
from tests.browser.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_sets_up_two_factor_sign_in_and_signs_in_with_a_code(page, live_server):
    factories.UserFactory(username="ona", role="staff")
    login(page, "ona")
    page.goto("/accounts/")
    page.locator("main a[href='/accounts/security/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/security/$"))
    assert_no_axe_violations(page, "sign-in and security page")

    page.locator("main a[href='/accounts/security/two-factor/']").click()
    expect(page.locator(".qr-code svg[role=img]")).to_be_visible()
    assert_no_axe_violations(page, "two-factor set-up page")

    # What a person types into the app when they cannot scan.
    typed = page.locator(".secret-key").inner_text().replace(" ", "")
    secret = base64.b32decode(typed).hex()
    page.fill("#id_code", totp_code(secret))
    page.click("main form button[type=submit]")
    codes = page.locator(".recovery-codes code")
    expect(codes).to_have_count(10)
    assert_no_axe_violations(page, "recovery codes page")

    page.locator("header form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state("networkidle")
    login(page, "ona")
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    assert_no_axe_violations(page, "sign-in code page")
    page.fill("#id_code", totp_code(secret, steps_ahead=1))
    page.click("main form button[type=submit]")
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/$"))

    page.goto("/accounts/security/sign-out-everywhere/")
    assert_no_axe_violations(page, "log out everywhere page")
