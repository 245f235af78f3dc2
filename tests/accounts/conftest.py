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
