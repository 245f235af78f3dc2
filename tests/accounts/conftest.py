import re

import pytest
from django.core.cache import cache, caches
from django.test import Client

from tests import factories

REGISTRATION = {
    "email": "Ona.Petraitiene@Example.lt",
    "first_name": "Ona",
    "last_name": "Petraitienė",
    "password": "Rudeninis-lapas-42",
    "password_confirm": "Rudeninis-lapas-42",
    "consent": "on",
    "website": "",
}

LINK = re.compile(r"https?://[^\s]+")


@pytest.fixture(autouse=True)
def _fresh_limits():
    # Abuse counters live in the cache, which outlives a test.
    cache.clear()
    caches["ratelimit"].clear()
    yield
    cache.clear()
    caches["ratelimit"].clear()


@pytest.fixture
def registration():
    return dict(REGISTRATION)


def link_in(message) -> str:
    """The path of the first link in an e-mail (the test client wants a path)."""
    url = LINK.search(message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def resident(db):
    return factories.UserFactory(
        username="jonas", first_name="Jonas", last_name="Rimkus", email="jonas@example.lt"
    )


def english() -> Client:
    """A client that reads the portal in English (the tests check English texts)."""
    client = Client()
    client.cookies["planportal_language"] = "en"
    return client


@pytest.fixture
def resident_logged_in(resident):
    client = english()
    client.force_login(resident)
    return client


def totp_code(key: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with secret ``key`` (hex) shows, now or a step later."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(key), step=30, t0=0, digits=6)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def with_authenticator(user):
    """Two-factor sign-in on for ``user``: ``(device, recovery codes)``, as set-up leaves them."""
    from accounts import two_factor

    secret = two_factor.new_secret()
    enrolled = two_factor.authenticator_confirm(user=user, secret=secret, code=totp_code(secret))
    return enrolled.device, enrolled.recovery_codes
