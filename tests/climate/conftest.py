"""Climate tests read English messages (the Lithuanian translation is merged
separately), so every client here asks for English."""

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _default_factors(request):
    if "django_db" in request.keywords or request.module.__name__.endswith(
        ("test_pages", "test_csv")
    ):
        from .factories import ensure_default_factors

        request.getfixturevalue("db")
        ensure_default_factors()


def _english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client(client):
    return _english_client(client)


@pytest.fixture
def staff_client(staff_client):
    return _english_client(staff_client)


@pytest.fixture
def resident_client(resident_client):
    return _english_client(resident_client)


@pytest.fixture
def council_client(council_client):
    return _english_client(council_client)
