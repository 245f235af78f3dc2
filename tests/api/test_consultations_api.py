"""The Consultations part of the API contract, and the endpoints around it."""

import datetime
import json

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from consultations.models import Consultation, Proposal, Support
from plans.models import Measure, PlanVersion, VersionStatus
from tests import factories

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


def _iso(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def opened(staff_api, small_draft):
    response = staff_api.post(
        "/api/v1/consultations/",
        {
            "version": small_draft.pk,
            "title": "Viešas aptarimas",
            "starts_at": _iso(-1),
            "ends_at": _iso(10),
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_staff_open_a_consultation_and_the_version_becomes_public(
    opened, small_draft, anonymous_api
):
    assert opened["id"] and opened["state"] == "open" and opened["version"] == small_draft.pk
    assert PlanVersion.objects.get(pk=small_draft.pk).status == VersionStatus.CONSULTATION
    assert anonymous_api.get(f"/api/v1/versions/{small_draft.pk}/").status_code == 200
    assert anonymous_api.get(f"/api/v1/versions/{small_draft.pk}/tree/").status_code == 200
    measure = Measure.objects.filter(version=small_draft).first()
    refused = ApiClient(Client())
    assert refused.patch(f"/api/v1/measures/{measure.pk}/", {"title": "X"}).status_code == 401


def test_residents_cannot_open_and_bad_dates_are_a_400(resident_api, staff_api, small_draft):
    body = {"version": small_draft.pk, "title": "X", "starts_at": _iso(-1), "ends_at": _iso(3)}
    assert resident_api.post("/api/v1/consultations/", body).status_code == 403
    response = staff_api.post("/api/v1/consultations/", {**body, "ends_at": _iso(-2)})
    assert response.status_code == 400 and "ends_at" in response.json()
    assert not Consultation.objects.exists()


def test_a_resident_proposes_on_a_node_and_the_public_list_has_the_contract_fields(
    opened, resident_api, anonymous_api, small_draft, resident_user
):
    measure = Measure.objects.filter(version=small_draft).first()
    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    response = resident_api.post(
        path, {"text": "Siūlau pratęsti taką iki mokyklos.", "target": str(measure.key)}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["target"] == str(measure.key) and created["status"] == "pending"
    whole = resident_api.post(
        path, {"text": "Siūlymas visam planui, ne vienai daliai.", "target": None}
    )
    assert whole.status_code == 201 and whole.json()["target"] is None
    listed = anonymous_api.get(path).json()["results"]
    assert {"id", "text", "target", "status", "response"} <= set(listed[0])
    assert [p["author"] for p in listed] == ["Resident", "Resident"]
    assert resident_user.email not in json.dumps(listed)
    only_node = anonymous_api.get(f"{path}?target={measure.key}").json()
    assert only_node["count"] == 1
    assert anonymous_api.get(f"{path}?target=plan").json()["count"] == 1
    assert anonymous_api.get(f"{path}?target=nonsense").status_code == 400


def test_anonymous_cannot_propose(opened, anonymous_api):
    response = anonymous_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Anoniminis siūlymas čia"}
    )
    assert response.status_code in (401, 403)
    assert not Proposal.objects.exists()


def test_a_closed_consultation_refuses_proposals_with_a_clear_message(opened, resident_api):
    Consultation.objects.filter(pk=opened["id"]).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = resident_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Per vėlai pateiktas siūlymas"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_closed"
    assert response.json()["detail"]
    assert resident_api.get(f"/api/v1/consultations/{opened['id']}/proposals/").status_code == 200


def test_bad_input_is_a_400_naming_the_field(opened, resident_api):
    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    assert "text" in resident_api.post(path, {"text": "trumpas"}).json()
    assert (
        "target"
        in resident_api.post(path, {"text": "Pakankamai ilgas tekstas", "target": "x"}).json()
    )
    assert (
        resident_api.post(path, {"text": "Pakankamai ilgas tekstas", "website": "spam"}).status_code
        == 400
    )
    assert resident_api.post(path, ["not", "an", "object"]).status_code == 400
    assert not Proposal.objects.exists()


@override_settings(
    CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ACCOUNT=10, CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS=0
)
def test_ten_proposals_an_hour_pass_and_the_eleventh_is_a_429(opened, resident_api):
    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    codes = [
        resident_api.post(path, {"text": f"Pasiūlymas numeris {n}"}).status_code for n in range(11)
    ]
    assert codes == [201] * 10 + [429]


def test_staff_answer_and_the_answer_is_public_with_an_email(
    opened, resident_api, staff_api, anonymous_api, django_capture_on_commit_callbacks
):
    proposal = resident_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Siūlau daugiau suoliukų"}
    ).json()
    assert (
        resident_api.post(
            f"/api/v1/proposals/{proposal['id']}/response/", {"status": "accepted", "text": "Taip"}
        ).status_code
        == 403
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(
            f"/api/v1/proposals/{proposal['id']}/response/",
            {"status": "accepted", "text": "Pritarta."},
        )
    assert response.status_code == 200, response.content
    listed = anonymous_api.get(f"/api/v1/consultations/{opened['id']}/proposals/").json()[
        "results"
    ][0]
    assert listed["status"] == "accepted"
    assert listed["response"]["status"] == "accepted" and listed["response"]["text"] == "Pritarta."
    assert len(mail.outbox) == 1
    bad = staff_api.post(
        f"/api/v1/proposals/{proposal['id']}/response/", {"status": "maybe", "text": "?"}
    )
    assert bad.status_code == 400 and "status" in bad.json()


def test_prepared_answers_stay_private_until_published_all_at_once(
    opened, resident_api, staff_api, anonymous_api
):
    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    ids = [
        resident_api.post(path, {"text": f"Pasiūlymas numeris {n}"}).json()["id"] for n in range(2)
    ]
    for pk in ids:
        staff_api.post(
            f"/api/v1/proposals/{pk}/response/",
            {"status": "not_accepted", "text": "Ne.", "publish": False},
        )
    assert {p["status"] for p in anonymous_api.get(path).json()["results"]} == {"pending"}
    assert staff_api.post(f"/api/v1/consultations/{opened['id']}/publish-answers/").json() == {
        "published": 2
    }
    assert {p["status"] for p in anonymous_api.get(path).json()["results"]} == {"not_accepted"}


def test_support_is_counted_once_and_report_needs_a_login(opened, resident_api, anonymous_api, db):
    proposal = resident_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Siūlau daugiau suoliukų"}
    ).json()
    other = factories.UserFactory(username="kitas")
    other_client = Client()
    other_client.force_login(other)
    other_api = ApiClient(other_client)
    assert other_api.post(f"/api/v1/proposals/{proposal['id']}/support/").status_code == 201
    again = other_api.post(f"/api/v1/proposals/{proposal['id']}/support/")
    assert again.status_code == 409 and again.json()["detail"]
    assert again.json()["code"] == "already_done"
    assert Support.objects.count() == 1
    assert anonymous_api.get(f"/api/v1/proposals/{proposal['id']}/").json()["supports"] == 1
    assert anonymous_api.post(
        f"/api/v1/proposals/{proposal['id']}/report/", {"reason": "x"}
    ).status_code in (401, 403)
    assert (
        other_api.post(
            f"/api/v1/proposals/{proposal['id']}/report/", {"reason": "Reklama"}
        ).status_code
        == 201
    )
    assert other_api.delete(f"/api/v1/proposals/{proposal['id']}/support/").json()["supports"] == 0


def test_the_author_edits_and_withdraws_others_cannot(
    opened, resident_api, staff_api, anonymous_api
):
    proposal = resident_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Siūlau daugiau suoliukų"}
    ).json()
    path = f"/api/v1/proposals/{proposal['id']}/"
    assert staff_api.patch(path, {"text": "Svetimas pakeitimas tekste"}).status_code == 403
    edited = resident_api.patch(path, {"text": "Siūlau daugiau suoliukų ir šiukšliadėžių"})
    assert edited.status_code == 200 and edited.json()["text"].endswith("šiukšliadėžių")
    assert resident_api.post(f"{path}withdraw/").json()["status"] == "withdrawn"
    assert anonymous_api.get(path).status_code == 404
    assert [p["id"] for p in resident_api.get("/api/v1/proposals/mine/").json()["results"]] == [
        proposal["id"]
    ]


def test_staff_hide_and_the_public_sees_the_reason_not_the_text(
    opened, resident_api, staff_api, anonymous_api
):
    proposal = resident_api.post(
        f"/api/v1/consultations/{opened['id']}/proposals/", {"text": "Įžeidžiantis tekstas čia"}
    ).json()
    assert (
        staff_api.post(f"/api/v1/proposals/{proposal['id']}/hide/", {"reason": ""}).status_code
        == 400
    )
    assert (
        staff_api.post(
            f"/api/v1/proposals/{proposal['id']}/hide/", {"reason": "Įžeidžia"}
        ).status_code
        == 200
    )
    public = anonymous_api.get(f"/api/v1/proposals/{proposal['id']}/").json()
    assert (
        public["status"] == "hidden"
        and public["text"] == ""
        and public["hidden_reason"] == "Įžeidžia"
    )


def test_staff_extend_a_consultation(opened, staff_api, resident_api):
    path = f"/api/v1/consultations/{opened['id']}/"
    assert resident_api.patch(path, {"ends_at": _iso(40)}).status_code == 403
    assert staff_api.patch(path, {"ends_at": _iso(2)}).status_code == 400
    assert staff_api.patch(path, {"ends_at": _iso(40)}).status_code == 200


def test_outcome_counts_and_elderships(opened, resident_api, anonymous_api):
    elderships = anonymous_api.get("/api/v1/elderships/").json()
    assert len(elderships) == 25
    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    resident_api.post(path, {"text": "Siūlau daugiau suoliukų", "eldership": elderships[0]["id"]})
    outcome = anonymous_api.get(f"/api/v1/consultations/{opened['id']}/outcome/").json()
    assert outcome["total"] == 1
    assert {"name": elderships[0]["name"], "count": 1} in [
        {"name": e["name"], "count": e["count"]} for e in outcome["by_eldership"]
    ]


def test_proposal_list_queries_do_not_grow_with_proposals(
    opened, resident_api, anonymous_api, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/api/v1/consultations/{opened['id']}/proposals/"
    resident_api.post(path, {"text": "Pirmas pasiūlymas tekstas"})
    with CaptureQueriesContext(connection) as small:
        anonymous_api.get(path)
    for n in range(8):
        resident_api.post(path, {"text": f"Dar vienas pasiūlymas {n}"})
    with CaptureQueriesContext(connection) as large:
        anonymous_api.get(path)
    assert len(large) == len(small)
