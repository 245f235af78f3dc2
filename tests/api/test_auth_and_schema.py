import json

import pytest
from django.test import Client

from plans.models import Goal, Indicator, Measure, Priority, Task
from tests import factories

pytestmark = pytest.mark.django_db

CONTRACT_PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/plans/",
    "/api/v1/plans/{id}/",
    "/api/v1/plans/{id}/versions/",
    "/api/v1/versions/",
    "/api/v1/versions/{id}/",
    "/api/v1/versions/{id}/tree/",
    "/api/v1/priorities/",
    "/api/v1/priorities/{id}/",
    "/api/v1/goals/",
    "/api/v1/goals/{id}/",
    "/api/v1/tasks/",
    "/api/v1/tasks/{id}/",
    "/api/v1/measures/",
    "/api/v1/measures/{id}/",
    "/api/v1/indicators/",
    "/api/v1/indicators/{id}/",
    "/api/v1/units/",
    "/api/v1/funding-sources/",
]


def test_a_token_from_username_and_password_opens_the_api(small_draft):
    factories.UserFactory(username="administratore", role="staff")
    client = Client()
    response = client.post(
        "/api/v1/auth/token/",
        data=json.dumps({"username": "administratore", "password": "secret-pass-123"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    path = f"/api/v1/versions/{small_draft.pk}/"
    assert client.get(path).status_code == 404
    assert client.get(path, headers={"Authorization": f"Token {token}"}).status_code == 200
    assert client.get(path, headers={"Authorization": "Token wrong"}).status_code == 401


def test_a_wrong_password_gets_no_token(db):
    factories.UserFactory(username="administratore", role="staff")
    response = Client().post(
        "/api/v1/auth/token/", data={"username": "administratore", "password": "spėjimas"}
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_writes_ask_for_credentials(anonymous_api, small_draft):
    response = anonymous_api.post("/api/v1/priorities/", {"version": small_draft.pk, "title": "X"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_schema_and_docs_answer_and_list_the_contract_paths(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert [path for path in CONTRACT_PATHS if path not in paths] == []
    assert "patch" in paths["/api/v1/measures/{id}/"]
    docs = anonymous_api.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_no_email_address_appears_in_any_api_response(staff_api, small_approved, small_draft):
    factories.UserFactory(username="gyventoja", email="gyventoja@pastas.lt")
    staff_api.post(f"/api/v1/plans/{small_approved.plan_id}/versions/")
    paths = [
        "/api/v1/plans/",
        f"/api/v1/plans/{small_approved.plan_id}/",
        "/api/v1/versions/",
        f"/api/v1/versions/{small_draft.pk}/",
        f"/api/v1/versions/{small_draft.pk}/tree/",
        "/api/v1/units/",
        "/api/v1/funding-sources/",
    ]
    for endpoint, model in [
        ("priorities", Priority),
        ("goals", Goal),
        ("tasks", Task),
        ("measures", Measure),
        ("indicators", Indicator),
    ]:
        paths += [f"/api/v1/{endpoint}/", f"/api/v1/{endpoint}/{model.objects.first().pk}/"]
    for path in paths:
        response = staff_api.get(path)
        assert response.status_code == 200, path
        # No field of this API holds an address; "@" would be the first sign of one.
        assert b"@" not in response.content, path
