"""API tokens expire, end with the password or the account, and their owner manages them."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from tests import factories

from .conftest import english, totp_code, with_authenticator

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def issue(username, password=PASSWORD, **extra):
    return Client().post(
        "/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password, **extra}),
        content_type="application/json",
        headers={"Cookie": "planportal_language=en"},
    )


def token_for(user) -> str:
    response = issue(user.username)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def opens_the_api(token: str) -> bool:
    response = Client().get("/api/v1/auth/tokens/", headers={"Authorization": f"Token {token}"})
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


def test_a_token_carries_its_expiry_and_is_kept_only_as_a_hash(settings):
    user = factories.UserFactory(username="programa", role="staff")
    response = issue("programa")
    body = response.json()
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    expected = timezone.now() + datetime.timedelta(seconds=settings.API_TOKEN_TTL)
    assert abs((expiry - expected).total_seconds()) < 60
    row = AuthToken.objects.get(user=user)
    assert body["token"] not in (row.digest, row.token_key)


def test_an_expired_token_is_refused():
    user = factories.UserFactory(username="programa", role="staff")
    token = token_for(user)
    assert opens_the_api(token)
    AuthToken.objects.filter(user=user).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not opens_the_api(token)
    # An expired token is deleted, not only refused.
    assert not AuthToken.objects.filter(user=user).exists()


def test_the_lifetime_is_a_setting(settings):
    settings.API_TOKEN_TTL = 3600
    factories.UserFactory(username="programa")
    expiry = datetime.datetime.fromisoformat(issue("programa").json()["expiry"])
    assert abs((expiry - timezone.now()).total_seconds() - 3600) < 60


def test_changing_the_password_revokes_every_token():
    user = factories.UserFactory(username="programa", role="staff")
    tokens = [token_for(user), token_for(user)]
    client = english()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Naujas-slaptazodis-77",
            "new_password2": "Naujas-slaptazodis-77",
        },
    )
    assert response.status_code == 302
    assert not any(opens_the_api(token) for token in tokens)
    # The browser session that changed it stays signed in (Django's own rule).
    assert client.get("/accounts/").status_code == 200


def test_a_password_set_elsewhere_revokes_the_tokens_too():
    """The admin's form, `manage.py changepassword` and a reset all call set_password."""
    user = factories.UserFactory(username="programa")
    token = token_for(user)
    user.set_password("Kitas-slaptazodis-88")
    user.save()
    assert not opens_the_api(token)


def test_saving_the_account_otherwise_keeps_the_tokens():
    user = factories.UserFactory(username="programa")
    token = token_for(user)
    user.first_name = "Ona"
    user.save()
    assert opens_the_api(token)


def test_a_deactivated_account_loses_its_tokens():
    user = factories.UserFactory(username="programa", role="staff")
    token = token_for(user)
    user.is_active = False
    user.save()
    assert not AuthToken.objects.filter(user=user).exists()
    assert not opens_the_api(token)


def test_the_owner_lists_and_revokes_own_tokens_but_not_anyone_elses():
    owner = factories.UserFactory(username="savininke")
    other = factories.UserFactory(username="kitas")
    first, second = token_for(owner), token_for(owner)
    others = token_for(other)
    auth = {"Authorization": f"Token {first}"}
    listed = Client().get("/api/v1/auth/tokens/", headers=auth).json()["results"]
    assert sorted(item["key"] for item in listed) == sorted([first[:15], second[:15]])
    assert [item["current"] for item in listed if item["key"] == first[:15]] == [True]
    # The list never gives a whole token.
    assert first not in json.dumps(listed) and second not in json.dumps(listed)

    # Another account's token is not found, and keeps working.
    response = Client().delete(f"/api/v1/auth/tokens/{others[:15]}/", headers=auth)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert opens_the_api(others)

    response = Client().delete(f"/api/v1/auth/tokens/{second[:15]}/", headers=auth)
    assert response.status_code == 204
    assert not opens_the_api(second)
    assert opens_the_api(first)


def test_the_token_list_needs_a_signed_in_caller():
    response = Client().get("/api/v1/auth/tokens/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_my_account_lists_the_tokens_and_revokes_one():
    user = factories.UserFactory(username="programa")
    token = token_for(user)
    client = english()
    client.force_login(user)
    page = client.get("/accounts/security/").content.decode()
    assert token[:8] in page
    assert token not in page
    response = client.post(f"/accounts/security/tokens/{token[:15]}/revoke/")
    assert response.status_code == 302
    assert not opens_the_api(token)
    assert "You have no API tokens." in client.get("/accounts/security/").content.decode()


def test_my_account_cannot_revoke_another_accounts_token():
    owner = factories.UserFactory(username="savininke")
    token = token_for(owner)
    client = english()
    client.force_login(factories.UserFactory(username="kitas"))
    assert client.post(f"/accounts/security/tokens/{token[:15]}/revoke/").status_code == 404
    assert opens_the_api(token)


# --- Two-factor sign-in over the API ----------------------------------------------------


def test_an_account_with_two_factor_sign_in_must_send_the_code():
    user = factories.UserFactory(username="darbuotoja", role="staff")
    device, codes = with_authenticator(user)

    missing = issue("darbuotoja")
    assert missing.status_code == 400
    assert missing.json()["code"] == "otp_required"
    assert "otp" in missing.json()

    # The code of two and a half minutes from now is outside the window accepted.
    wrong = issue("darbuotoja", otp=totp_code(device.key, steps_ahead=5))
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "otp_invalid"
    assert not AuthToken.objects.filter(user=user).exists()

    device.refresh_from_db()
    device.throttle_reset()
    right = issue("darbuotoja", otp=totp_code(device.key, steps_ahead=1))
    assert right.status_code == 200
    assert opens_the_api(right.json()["token"])
    # A recovery code works too, once.
    assert issue("darbuotoja", otp=codes[0]).status_code == 200
    assert issue("darbuotoja", otp=codes[0]).json()["code"] == "otp_invalid"


def test_the_code_is_asked_for_only_after_the_right_password():
    user = factories.UserFactory(username="darbuotoja", role="staff")
    with_authenticator(user)
    response = issue("darbuotoja", password="spėjimas")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "otp" not in response.json()


def test_a_role_that_requires_two_factor_gets_no_token_before_setting_it_up(settings):
    settings.MFA_REQUIRED_FOR = ["staff"]
    factories.UserFactory(username="darbuotoja", role="staff")
    response = issue("darbuotoja")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_enrollment_required"
    factories.UserFactory(username="gyventoja")
    assert issue("gyventoja").status_code == 200


def test_my_data_download_names_the_tokens_but_never_gives_one():
    user = factories.UserFactory(username="programa")
    token = token_for(user)
    client = english()
    client.force_login(user)
    data = json.loads(client.get("/accounts/data/").content)
    assert data["sign_in"]["two_factor"] is False
    assert [item["key"] for item in data["sign_in"]["api_tokens"]] == [token[:8]]
    assert token not in json.dumps(data)
