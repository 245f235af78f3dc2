"""Two-factor sign-in: setting it up, signing in with a code or a recovery code, requiring it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.security_views import SECRET_SESSION_KEY
from tests import factories

from .conftest import english, totp_code, with_authenticator

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
ROOT = Path(__file__).resolve().parent.parent.parent


def log_in(username, password=PASSWORD, next_url=""):
    client = english()
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302, response.content
    return client


def test_setting_up_shows_a_qr_code_and_the_key_and_needs_a_right_code():
    user = factories.UserFactory(username="ona")
    client = english()
    client.force_login(user)
    page = client.get("/accounts/security/two-factor/")
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is drawn on the server: an inline SVG image with a name, no outside address.
    assert re.search(r'<svg role="img" aria-label="[^"]+"', html)
    # Nothing inline that a strict Content-Security-Policy would block.
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html and 'style="' not in html
    secret = client.session[SECRET_SESSION_KEY]
    assert two_factor.secret_for_typing(secret) in html
    assert not TOTPDevice.objects.filter(user=user).exists()

    wrong = client.post(
        "/accounts/security/two-factor/", {"code": totp_code(secret, steps_ahead=5)}
    )
    assert wrong.status_code == 400
    assert "This code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    done = client.post("/accounts/security/two-factor/", {"code": totp_code(secret)})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(codes) == two_factor.RECOVERY_CODES
    assert all(code in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    # The recovery codes are shown once: the security page only counts them.
    security = client.get("/accounts/security/").content.decode()
    assert not any(code in security for code in codes)
    assert "10 unused recovery codes" in security


def test_a_user_with_two_factor_sign_in_is_asked_for_the_code_after_the_password():
    user = factories.UserFactory(username="ona", role="staff")
    device, _codes = with_authenticator(user)
    client = log_in("ona", next_url="/staff/")
    # Until the code is given, every page leads to the code page, the API sees nobody.
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=%2Fstaff%2F"
    assert client.get("/accounts/").status_code == 302
    assert client.get("/api/v1/auth/tokens/").status_code == 401

    page = client.get("/accounts/login/code/?next=/staff/")
    assert page.status_code == 200
    wrong = client.post(
        "/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=5), "next": "/staff/"}
    )
    assert wrong.status_code == 400
    assert client.get("/staff/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(
        "/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=1), "next": "/staff/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/api/v1/auth/tokens/").status_code == 200


def test_a_code_works_only_once():
    user = factories.UserFactory(username="ona")
    device, _codes = with_authenticator(user)
    code = totp_code(device.key, steps_ahead=1)
    first = log_in("ona")
    assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
    second = log_in("ona")
    assert second.post("/accounts/login/code/", {"code": code}).status_code == 400


def test_wrong_codes_slow_the_next_attempts_down():
    user = factories.UserFactory(username="ona")
    device, _codes = with_authenticator(user)
    client = log_in("ona")
    client.post("/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=5)})
    # Even the right code waits for the lock to pass (1, 2, 4 … seconds after failures).
    locked = client.post("/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=1)})
    assert locked.status_code == 429
    assert "Too many wrong codes" in locked.content.decode()


def test_a_recovery_code_signs_in_once():
    user = factories.UserFactory(username="ona")
    _device, codes = with_authenticator(user)
    first = log_in("ona")
    response = first.post("/accounts/login/code/", {"code": codes[3].upper()}, follow=True)
    assert response.status_code == 200
    assert "9 are left" in response.content.decode()
    assert first.get("/accounts/").status_code == 200
    second = log_in("ona")
    assert second.post("/accounts/login/code/", {"code": codes[3]}).status_code == 400
    assert second.get("/accounts/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones():
    user = factories.UserFactory(username="ona")
    _device, old = with_authenticator(user)
    client = english()
    client.force_login(user)
    client.post("/accounts/login/code/", {"code": old[0]})
    assert client.post("/accounts/security/recovery-codes/", {"password": "x"}).status_code == 400
    response = client.post("/accounts/security/recovery-codes/", {"password": PASSWORD})
    assert response.status_code == 200
    new = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(code in response.content.decode() for code in new)


def test_every_way_of_signing_in_asks_for_the_code():
    """A password reset, an e-mail confirmation, the admin's login: each calls login()."""
    user = factories.UserFactory(username="ona", is_staff=True, is_superuser=True)
    with_authenticator(user)
    client = english()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/accounts/login/code/")


def test_replacing_the_authenticator_asks_for_the_password():
    user = factories.UserFactory(username="ona")
    old_device, _codes = with_authenticator(user)
    client = english()
    client.force_login(user)
    client.post("/accounts/login/code/", {"code": totp_code(old_device.key, steps_ahead=1)})
    client.get("/accounts/security/two-factor/")
    secret = client.session[SECRET_SESSION_KEY]
    refused = client.post("/accounts/security/two-factor/", {"code": totp_code(secret)})
    assert refused.status_code == 400
    assert TOTPDevice.objects.get(user=user).key == old_device.key
    done = client.post(
        "/accounts/security/two-factor/", {"code": totp_code(secret), "password": PASSWORD}
    )
    assert done.status_code == 200
    assert TOTPDevice.objects.get(user=user).key == secret


def test_turning_two_factor_sign_in_off_needs_the_password():
    user = factories.UserFactory(username="ona")
    device, _codes = with_authenticator(user)
    client = english()
    client.force_login(user)
    client.post("/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=1)})
    assert client.post("/accounts/security/two-factor/off/", {"password": "x"}).status_code == 400
    assert TOTPDevice.objects.filter(user=user).exists()
    assert (
        client.post("/accounts/security/two-factor/off/", {"password": PASSWORD}).status_code == 302
    )
    assert not TOTPDevice.objects.filter(user=user).exists()
    # The next sign-in asks for the password only.
    assert log_in("ona").get("/accounts/").status_code == 200


# --- Required for some roles -----------------------------------------------------------------


def test_a_required_role_without_an_authenticator_is_sent_to_set_one_up_first(settings):
    settings.MFA_REQUIRED_FOR = ["staff"]
    factories.UserFactory(username="darbuotoja", role="staff")
    client = log_in("darbuotoja", next_url="/staff/")
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/two-factor/?next=%2Fstaff%2F"
    assert client.get("/accounts/").status_code == 302
    page = client.get("/accounts/security/two-factor/?next=/staff/")
    assert page.status_code == 200
    assert "Your role requires two-factor sign-in" in page.content.decode()

    secret = client.session[SECRET_SESSION_KEY]
    done = client.post(
        "/accounts/security/two-factor/", {"code": totp_code(secret), "next": "/staff/"}
    )
    assert done.status_code == 200
    assert 'href="/staff/"' in done.content.decode()
    assert client.get("/staff/").status_code == 200


def test_a_required_role_cannot_turn_it_off(settings):
    settings.MFA_REQUIRED_FOR = ["council"]
    user = factories.UserFactory(username="tarybos-narys", role="council")
    device, _codes = with_authenticator(user)
    client = english()
    client.force_login(user)
    client.post("/accounts/login/code/", {"code": totp_code(device.key, steps_ahead=1)})
    assert "cannot be turned off" in client.get("/accounts/security/").content.decode()
    client.post("/accounts/security/two-factor/off/", {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=user).exists()
    with pytest.raises(two_factor.TwoFactorRequired):
        two_factor.two_factor_disable(user=user, password=PASSWORD)


def test_residents_are_not_asked_when_staff_are(settings):
    settings.MFA_REQUIRED_FOR = ["staff", "council"]
    factories.UserFactory(username="gyventoja")
    assert log_in("gyventoja").get("/accounts/").status_code == 200


def test_superusers_count_as_staff_for_the_requirement(settings):
    settings.MFA_REQUIRED_FOR = ["staff"]
    get_user_model().objects.create_superuser("virsininke", "v@example.lt", PASSWORD)
    assert log_in("virsininke").get("/accounts/").status_code == 302


def _settings_value(env):
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.MFA_REQUIRED_FOR))"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "MFA_REQUIRED_FOR"}
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="planportal.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_requires_two_factor_for_superusers_and_development_does_not():
    assert _settings_value({"DEBUG": "0"}) == '["superuser"]'
    assert _settings_value({"DEBUG": "1"}) == "[]"
    assert _settings_value({"DEBUG": "0", "MFA_REQUIRED_FOR": "staff,council"}) == (
        '["staff", "council"]'
    )


def test_an_unknown_role_in_the_setting_is_a_system_check_error(settings):
    from accounts.security import check_mfa_roles

    settings.MFA_REQUIRED_FOR = ["superusers"]
    assert [error.id for error in check_mfa_roles(None)] == ["accounts.E001"]
