"""Idle sessions of staff, council and superusers end; "log out everywhere" ends every session."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from knox.models import AuthToken

from accounts.security import SESSION_KEY
from tests import factories

from .conftest import english

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def signed_in(user) -> Client:
    client = english()
    client.force_login(user)
    return client


def idle_for(client, seconds: int) -> None:
    """As if the session's last request was ``seconds`` ago."""
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "seen": int(time.time()) - seconds}
    session.save()


def _user(role):
    if role == "superuser":
        return get_user_model().objects.create_superuser("virsininke", "v@example.lt", PASSWORD)
    return factories.UserFactory(username=f"naudotojas-{role}", role=role)


@pytest.mark.parametrize("role", ["staff", "council", "superuser"])
def test_an_idle_session_of_staff_council_or_a_superuser_ends_with_a_message(settings, role):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(_user(role))
    assert client.get("/accounts/").status_code == 200
    idle_for(client, 1801)
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/"
    login_page = client.get(response["Location"]).content.decode()
    assert "idle for more than 30 minutes" in login_page
    # Signed out for good, not only sent away.
    assert client.get("/accounts/").status_code == 302


def test_a_resident_keeps_the_normal_session_age(settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(factories.UserFactory(username="gyventoja"))
    idle_for(client, 5 * 3600)
    assert client.get("/accounts/").status_code == 200


def test_activity_keeps_a_staff_session_alive(settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(_user("staff"))
    idle_for(client, 1700)
    assert client.get("/accounts/").status_code == 200
    # The request counted as activity: the session was idle for moments only.
    assert time.time() - client.session[SESSION_KEY]["seen"] < 60
    assert client.get("/accounts/").status_code == 200


def test_the_idle_limit_is_a_setting(settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 300
    client = signed_in(_user("staff"))
    idle_for(client, 301)
    assert client.get("/accounts/").status_code == 302
    settings.STAFF_SESSION_IDLE_TIMEOUT = 0  # never
    client = signed_in(_user("council"))
    idle_for(client, 10 * 24 * 3600)
    assert client.get("/accounts/").status_code == 200


def test_an_idle_htmx_request_reloads_the_whole_page_at_the_login(settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(_user("staff"))
    idle_for(client, 1801)
    response = client.get("/staff/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/staff/"


def test_an_idle_session_on_the_api_is_simply_signed_out(settings):
    settings.STAFF_SESSION_IDLE_TIMEOUT = 1800
    client = signed_in(_user("staff"))
    idle_for(client, 1801)
    response = client.get("/api/v1/auth/tokens/")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "engine",
    [
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "planportal.sessions",
    ],
)
def test_log_out_everywhere_ends_every_session_and_revokes_the_tokens(settings, engine):
    """The cache engines stand in for Redis (REDIS_URL): the same mechanism
    holds there, also where a worker keeps the account's row (planportal/sessions.py)."""
    settings.SESSION_ENGINE = engine
    user = factories.UserFactory(username="ona", role="staff")
    here, elsewhere = signed_in(user), signed_in(user)
    token = AuthToken.objects.create(user=user)[1]
    assert elsewhere.get("/accounts/").status_code == 200

    wrong = here.post("/accounts/security/sign-out-everywhere/", {"password": "spėjimas"})
    assert wrong.status_code == 400
    assert elsewhere.get("/accounts/").status_code == 200

    response = here.post("/accounts/security/sign-out-everywhere/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "signed out on every device" in here.get("/accounts/login/").content.decode()
    assert here.get("/accounts/").status_code == 302
    assert elsewhere.get("/accounts/").status_code == 302
    assert not AuthToken.objects.filter(user=user).exists()
    api = Client().get("/api/v1/auth/tokens/", headers={"Authorization": f"Token {token}"})
    assert api.status_code == 401
    # The password itself is unchanged.
    again = english().post("/accounts/login/", {"username": "ona", "password": PASSWORD})
    assert again.status_code == 302


def test_log_out_everywhere_leaves_other_accounts_signed_in():
    user = factories.UserFactory(username="ona")
    other = signed_in(factories.UserFactory(username="kitas"))
    signed_in(user).post("/accounts/security/sign-out-everywhere/", {"password": PASSWORD})
    assert other.get("/accounts/").status_code == 200


def test_my_account_links_to_sign_in_and_security():
    client = signed_in(factories.UserFactory(username="ona"))
    assert 'href="/accounts/security/"' in client.get("/accounts/").content.decode()
    page = client.get("/accounts/security/").content.decode()
    assert 'href="/accounts/security/sign-out-everywhere/"' in page
    assert 'href="/accounts/security/two-factor/"' in page
