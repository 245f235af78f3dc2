"""A resident registers with the keyboard only, confirms the e-mail and manages the account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s]+")


def _tab_to(page, selector, limit=60):
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_resident_registers_with_the_keyboard_confirms_and_uses_the_account(page, live_server):
    from django.core.cache import cache

    cache.clear()
    page.goto("/")
    page.get_by_role("link", name=re.compile("Regist|Registr")).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/register/"))
    assert_no_axe_violations(page, "registration page")

    # Keyboard only: Tab from the top of the page to each field, type, Space ticks the box, Enter
    # sends.
    _tab_to(page, "#id_email")
    page.keyboard.type("ona.petraitiene@example.lt")
    page.keyboard.press("Tab")
    page.keyboard.type("Ona")
    page.keyboard.press("Tab")
    page.keyboard.type("Petraitienė")
    _tab_to(page, "#id_password", limit=3)
    page.keyboard.type("Rudeninis-lapas-42")
    page.keyboard.press("Tab")
    page.keyboard.type("Rudeninis-lapas-42")
    _tab_to(page, "#id_consent", limit=3)
    page.keyboard.press("Space")
    # Past the link to the privacy notice comes the button: the honeypot is not in the way.
    _tab_to(page, "main form button[type=submit]", limit=2)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/register/sent/"))
    assert_no_axe_violations(page, "check your e-mail page")

    user = get_user_model().objects.get(email="ona.petraitiene@example.lt")
    assert not user.is_active
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body).group(0)
    page.goto(link)
    assert_no_axe_violations(page, "confirmation page")
    _tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    # Back where the resident started, logged in.
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".site-header")).to_contain_text("Ona Petraitienė")
    page.locator(".site-header").get_by_role(
        "link", name=re.compile("My account|Mano paskyra")
    ).click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))
    expect(page.locator("#id_first_name")).to_have_value("Ona")
    assert_no_axe_violations(page, "my account page")

    page.goto("/accounts/email/")
    assert_no_axe_violations(page, "e-mail change page")
    page.goto("/accounts/delete/")
    assert_no_axe_violations(page, "delete account page")
    page.goto("/accounts/password/")
    assert_no_axe_violations(page, "password change page")


def test_form_errors_are_announced_and_pass_axe(page):
    page.goto("/accounts/register/")
    page.fill("#id_email", "ne-adresas")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page, "registration page with errors")


def test_public_account_pages_pass_axe(page):
    for url in [
        "/accounts/login/",
        "/accounts/privacy/",
        "/accounts/confirm/resend/",
        "/accounts/password/reset/",
        "/accounts/deleted/",
        "/accounts/confirm/made-up-link/",
    ]:
        page.goto(url)
        assert_no_axe_violations(page, url)


def test_staff_see_why_their_account_cannot_be_deleted(page):
    factories.UserFactory(username="administracija", role="staff")
    login(page, "administracija")
    page.goto("/accounts/delete/")
    expect(page.locator("main [role=alert]")).to_be_visible()
    assert page.locator("main form").count() == 0
    assert_no_axe_violations(page, "delete refused page")
