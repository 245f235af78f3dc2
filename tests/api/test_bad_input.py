"""Bad input to the API is a 4xx with a JSON body, never a server error."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw(db):
    client = Client(raise_request_exception=False)
    client.cookies["planportal_language"] = "en"
    return client


def test_deep_json(raw):
    body = "[" * 1000 + "]" * 1000
    r = raw.post("/api/v1/auth/token/", data=body, content_type="application/json")
    print(r.status_code, r.content[:200])


def test_abc(raw):
    r = raw.get("/api/v1/climate/inventories/abc/")
    print(r.status_code, r.content[:200])


def test_overflow(raw):
    for url in ["/api/v1/versions/?plan=99999999999999999999", "/api/v1/versions/99999999999999999999/", "/api/v1/versions/99999999999999999999/submit/", "/api/v1/votings/?version=99999999999999999999", "/api/v1/consultations/?version=99999999999999999999", "/api/v1/climate/measures/?plan=99999999999999999999", "/api/v1/proposals/99999999999999999999/", "/api/v1/climate/inventories/99999999999999999999/"]:
        r = raw.get(url)
        print(url, r.status_code, r.content[:200])


def test_big(raw, staff_user):
    raw.force_login(staff_user)
    body = '{"title": "' + "x" * 3_000_000 + '"}'
    r = raw.post("/api/v1/plans/", data=body, content_type="application/json")
    print(r.status_code, r["Content-Type"], r.content[:200])
    r = raw.post("/api/v1/consultations/", data=body, content_type="application/json")
    print(r.status_code, r["Content-Type"], r.content[:200])
