"""The review API: submit, take back, votings, ballots, closing, decision."""

import datetime

import pytest

from council.models import Ballot, Voting
from plans.models import PlanVersion, VersionStatus
from tests import factories

from .conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_review(approved_version):
    return factories.VersionFactory(
        plan=approved_version.plan, status=VersionStatus.COUNCIL_REVIEW, number=2
    )


def member_api(username):
    from django.test import Client

    client = Client()
    client.force_login(factories.UserFactory(username=username, role="council"))
    return ApiClient(client)


def test_staff_submit_a_draft_and_get_the_version_back(staff_api, draft_version):
    response = staff_api.post(f"/api/v1/versions/{draft_version.pk}/submit/")
    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("id", "number", "status")} == {
        "id": draft_version.pk,
        "number": 2,
        "status": "council_review",
    }


def test_submitting_twice_is_a_conflict_with_a_message(staff_api, draft_version):
    staff_api.post(f"/api/v1/versions/{draft_version.pk}/submit/")
    response = staff_api.post(f"/api/v1/versions/{draft_version.pk}/submit/")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    assert response.json()["detail"]


def test_taking_back_without_a_reason_is_a_400(staff_api, under_review):
    response = staff_api.post(f"/api/v1/versions/{under_review.pk}/withdraw/", {})
    assert response.status_code == 400
    assert "reason" in response.json()
    response = staff_api.post(
        f"/api/v1/versions/{under_review.pk}/withdraw/", {"reason": "Pataisyti"}
    )
    assert (response.status_code, response.json()["status"]) == (200, "draft")


def test_a_whole_voting_through_the_api(staff_api, council_api, under_review, approved_version):
    deadline = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)).isoformat()
    response = staff_api.post(
        "/api/v1/votings/", {"version": under_review.pk, "deadline": deadline}
    )
    assert response.status_code == 201
    voting = response.json()
    assert (voting["status"], voting["version"], voting["result"]) == (
        "open",
        under_review.pk,
        None,
    )

    url = f"/api/v1/votings/{voting['id']}/ballots/"
    assert council_api.post(url, {"choice": "against"}).status_code == 201
    assert council_api.post(url, {"choice": "for"}).status_code == 200
    assert member_api("second-member").post(url, {"choice": "for"}).status_code == 201
    assert member_api("third-member").post(url, {"choice": "abstain"}).status_code == 201

    response = staff_api.post(f"/api/v1/votings/{voting['id']}/close/")
    assert response.status_code == 200
    result = response.json()["result"]
    assert {k: result[k] for k in ("for", "against", "abstain", "did_not_vote", "passed")} == {
        "for": 2,
        "against": 0,
        "abstain": 1,
        "did_not_vote": 0,
        "passed": True,
    }
    assert {b["member"]: b["choice"] for b in result["ballots"]}["council-member"] == "for"
    assert PlanVersion.objects.get(pk=approved_version.pk).status == "superseded"

    response = staff_api.post(
        f"/api/v1/versions/{under_review.pk}/decision/",
        {"number": "TS-402", "date": datetime.date.today().isoformat()},
    )
    assert (response.status_code, response.json()["decision_number"]) == (200, "TS-402")


def test_a_ballot_on_a_closed_voting_is_refused_with_409(staff_api, council_api, under_review):
    voting = staff_api.post("/api/v1/votings/", {"version": under_review.pk}).json()
    staff_api.post(f"/api/v1/votings/{voting['id']}/close/")
    response = council_api.post(f"/api/v1/votings/{voting['id']}/ballots/", {"choice": "for"})
    assert response.status_code == 409
    assert response.json()["code"] == "voting_closed"
    assert response.json()["detail"]
    assert not Ballot.objects.exists()


def test_a_bad_choice_is_a_400(staff_api, council_api, under_review):
    voting = staff_api.post("/api/v1/votings/", {"version": under_review.pk}).json()
    response = council_api.post(f"/api/v1/votings/{voting['id']}/ballots/", {"choice": "yes"})
    assert response.status_code == 400
    assert "choice" in response.json()


def test_a_voting_on_a_draft_is_a_conflict(staff_api, draft_version):
    response = staff_api.post("/api/v1/votings/", {"version": draft_version.pk})
    assert response.status_code == 409
    assert not Voting.objects.exists()


def test_the_public_sees_only_decided_votings(staff_api, anonymous_api, under_review):
    open_one = staff_api.post("/api/v1/votings/", {"version": under_review.pk}).json()
    assert anonymous_api.get("/api/v1/votings/").json()["count"] == 0
    assert anonymous_api.get(f"/api/v1/votings/{open_one['id']}/").status_code == 404
    staff_api.post(f"/api/v1/votings/{open_one['id']}/close/")  # no ballots: fails, back to draft
    assert anonymous_api.get("/api/v1/votings/").json()["count"] == 0
    assert staff_api.get("/api/v1/votings/").json()["count"] == 1


def test_listing_votings_runs_the_same_queries_for_five_times_as_many(staff_api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def grow(n):
        for _ in range(n):
            factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)
        for version in PlanVersion.objects.filter(
            status=VersionStatus.COUNCIL_REVIEW, votings__isnull=True
        ):
            Voting.objects.create(version=version)

    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert staff_api.get("/api/v1/votings/").json()["count"] == 2
    grow(8)
    with CaptureQueriesContext(connection) as large:
        assert staff_api.get("/api/v1/votings/").json()["count"] == 10
    assert len(large) == len(small)


def test_only_council_members_cast_ballots_and_only_staff_close(
    staff_api, council_api, resident_api, anonymous_api, under_review
):
    voting = staff_api.post("/api/v1/votings/", {"version": under_review.pk}).json()
    ballots, close = (
        f"/api/v1/votings/{voting['id']}/ballots/",
        f"/api/v1/votings/{voting['id']}/close/",
    )
    assert [
        api.post(ballots, {"choice": "for"}).status_code
        for api in (anonymous_api, resident_api, staff_api)
    ] == [
        401,
        403,
        403,
    ]
    assert [api.post(close).status_code for api in (anonymous_api, resident_api, council_api)] == [
        401,
        403,
        403,
    ]
    assert not Ballot.objects.exists()
    assert Voting.objects.get(pk=voting["id"]).status == "open"
