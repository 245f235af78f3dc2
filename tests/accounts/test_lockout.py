"""Login lockout: guessing a password is stopped per account and per address,
on the login page and the API's token endpoint alike (django-axes)."""

import json
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories

from .conftest import english

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # the factories' password
TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT = settings.AXES_FAILURE_LIMIT = 5
    settings.ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS = 20


@pytest.fixture
def ona(db):
    return factories.UserFactory(username="ona", email="ona@example.lt", first_name="Ona")


def _login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _token(client, username, password, address="192.0.2.10"):
    return client.post(
        TOKEN,
        data=json.dumps({"username": username, "password": password}),
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_guessing_on_the_login_page_locks_the_account_and_the_right_password_is_refused(ona):
    client = english()
    statuses = [_login(client, "ona", f"guess-{n}").status_code for n in range(5)]
    # The fifth failure locks: its answer already says so.
    assert statuses == [200, 200, 200, 200, 429]
    locked = _login(client, "ona", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    page = locked.content.decode()
    assert "Too many failed login attempts" in page
    until = timezone.localtime(timezone.now() + timedelta(minutes=15)).strftime("%H:")
    assert f"blocked until {until}" in page
    assert 840 <= int(locked["Retry-After"]) <= 900
    # The page is still the login form, with a way out.
    assert 'name="password"' in page and reverse("accounts:password-reset") in page


def test_the_lockout_message_is_lithuanian_by_default(ona):
    client = Client()
    for n in range(5):
        response = _login(client, "ona", f"spejimas-{n}")
    assert response.status_code == 429
    assert "Per daug nesėkmingų bandymų prisijungti" in response.content.decode()


def test_the_account_stays_locked_from_another_address_and_under_its_email(ona):
    client = english()
    for n in range(5):
        _login(client, "ona", f"guess-{n}", address="192.0.2.10")
    # The lock is the account's: a new address or the e-mail (any case) does not help.
    assert _login(client, "ONA@example.lt", PASSWORD, address="198.51.100.7").status_code == 429
    assert "_auth_user_id" not in client.session


def test_switching_between_username_and_email_gives_no_more_guesses(ona):
    client = english()
    for n, name in enumerate(["ona", "ona@example.lt", "Ona@Example.LT", "ona", "ONA@EXAMPLE.LT"]):
        response = _login(client, name, f"guess-{n}")
    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off(ona):
    client = english()
    for n in range(5):
        _login(client, "ona", f"guess-{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, "ona", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(ona.pk)


def test_one_address_guessing_at_many_accounts_is_locked_out(ona):
    client = english()
    for n in range(20):
        _login(client, f"someone-{n}", "guess")
    # Even the right password of an account not guessed at yet.
    assert _login(client, "ona", PASSWORD).status_code == 429
    # Another address is not affected.
    assert _login(english(), "ona", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_api_token_endpoint_is_locked_too_with_one_error_body(ona):
    client = Client()
    statuses = [_token(client, "ona", f"guess-{n}").status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    locked = _token(client, "ona", PASSWORD)
    assert locked.status_code == 429
    body = locked.json()
    assert set(body) == {"detail", "code"} and body["code"] == "rate_limited"
    assert "token" not in body
    assert int(locked["Retry-After"]) > 0


def test_failures_on_the_api_and_the_page_count_together(ona):
    for n in range(3):
        _token(Client(), "ona", f"guess-{n}")
    for n in range(2):
        response = _login(english(), "ona@example.lt", f"guess-{n}")
    assert response.status_code == 429


def test_failed_logins_are_recorded_and_logged_without_the_password_or_the_address(ona, caplog):
    with caplog.at_level(logging.WARNING):
        for n in range(5):
            _login(english(), "ona", f"guess-{n}", address="203.0.113.99")
    failures = AccessFailureLog.objects.filter(username="ona")
    assert failures.count() == 5 and failures.filter(locked_out=True).count() == 1
    stored = " ".join(
        f"{a.ip_address} {a.post_data} {a.get_data}" for a in AccessAttempt.objects.all()
    )
    assert "203.0.113.99" not in stored and "guess-" not in stored
    log = caplog.text
    assert "ona" in log and "lockout" in log.lower()
    assert "guess-" not in log and "203.0.113.99" not in log


def test_staff_unlock_an_account_in_the_admin(ona):
    for n in range(5):
        _login(english(), "ona", f"guess-{n}")
    assert _login(english(), "ona", PASSWORD).status_code == 429

    staff = factories.UserFactory(username="sekretore", is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="axes",
            codename__in=["view_accessattempt", "delete_accessattempt"],
        )
    )
    admin = Client()
    admin.force_login(staff)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert "ona" in admin.get(changelist).content.decode()
    response = admin.post(
        changelist,
        {
            "action": "unlock_accounts",
            "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="ona").exists()
    client = english()
    assert _login(client, "ona", PASSWORD).status_code == 302
    assert client.session["_auth_user_id"] == str(ona.pk)


def test_a_resident_cannot_open_the_failed_logins(ona, resident_logged_in):
    response = resident_logged_in.get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
