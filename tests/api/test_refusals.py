"""The same refusal answers the same status in the API and in the browser.

One case per app with both: each is refused through the API (JSON, with its
``code``) and through the browser page that does the same (HTML, with the
message on the page), and changes nothing either way. Review comments and
accounts have no API; tests/test_errors.py checks every kind of refusal.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone

from climate.models import Inventory
from consultations.models import Consultation, Proposal
from council import services as council_services
from council.models import Ballot
from plans.models import Goal, VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(staff_client, council_client, resident_client):
    for client in (staff_client, council_client, resident_client):
        client.cookies["planportal_language"] = "en"


def test_plans_a_change_to_an_approved_version_is_409_both_ways(
    staff_api, staff_client, small_approved
):
    goal = Goal.objects.filter(version=small_approved).first()
    api = staff_api.delete(f"/api/v1/goals/{goal.pk}/")
    assert (api.status_code, api.json()["code"]) == (409, "frozen_version")
    page = staff_client.post(reverse("plans:staff-node-delete", args=["goal", goal.pk]))
    assert page.status_code == api.status_code
    assert Goal.objects.filter(pk=goal.pk).exists()


@pytest.fixture
def closed_voting(staff_user, approved_version):
    version = factories.VersionFactory(
        plan=approved_version.plan, status=VersionStatus.COUNCIL_REVIEW, number=2
    )
    voting = council_services.voting_open(user=staff_user, version=version)
    return council_services.voting_close(user=staff_user, voting=voting)


def test_council_a_ballot_on_a_closed_voting_is_409_both_ways(
    council_api, council_client, closed_voting
):
    api = council_api.post(f"/api/v1/votings/{closed_voting.pk}/ballots/", {"choice": "for"})
    assert (api.status_code, api.json()["code"]) == (409, "voting_closed")
    page = council_client.post(
        reverse("council:ballot", args=[closed_voting.pk]), {"choice": "for"}
    )
    assert page.status_code == api.status_code
    assert page.context["ballot_form"].has_error(NON_FIELD_ERRORS, "voting_closed")
    assert api.json()["detail"] in page.content.decode()
    assert not Ballot.objects.exists()


def test_council_taking_back_without_a_reason_is_400_both_ways(staff_api, staff_client):
    version = factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)
    api = staff_api.post(f"/api/v1/versions/{version.pk}/withdraw/", {"reason": " "})
    assert (api.status_code, api.json()["code"]) == (400, "invalid")
    page = staff_client.post(reverse("council:withdraw", args=[version.pk]), {"reason": " "})
    assert page.status_code == api.status_code
    version.refresh_from_db()
    assert version.status == VersionStatus.COUNCIL_REVIEW


@pytest.fixture
def closed_consultation(small_draft, staff_user):
    from consultations import services

    now = timezone.now()
    consultation = services.consultation_open(
        user=staff_user,
        version=small_draft,
        title="Aptarimas",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=1),
    )
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=now - datetime.timedelta(minutes=1)
    )
    return consultation


def test_consultations_a_proposal_after_the_end_is_409_both_ways(
    resident_api, resident_client, closed_consultation
):
    text = "Siūlau pratęsti dviračių taką iki Garliavos."
    api = resident_api.post(
        f"/api/v1/consultations/{closed_consultation.pk}/proposals/", {"text": text}
    )
    assert (api.status_code, api.json()["code"]) == (409, "consultation_closed")
    page = resident_client.post(
        reverse("consultations:propose", args=[closed_consultation.pk]),
        {"text": text, "consent": "on"},
    )
    assert page.status_code == api.status_code
    assert page.context["form"].has_error(NON_FIELD_ERRORS, "consultation_closed")
    assert not Proposal.objects.exists()


def test_consultations_opening_one_on_an_approved_version_is_409_both_ways(
    staff_api, staff_client, small_approved
):
    now = timezone.now()
    api = staff_api.post(
        "/api/v1/consultations/",
        {
            "version": small_approved.pk,
            "title": "Aptarimas",
            "starts_at": now.isoformat(),
            "ends_at": (now + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert (api.status_code, api.json()["code"]) == (409, "frozen_version")
    assert api.json()["version"]
    page = staff_client.post(
        reverse("consultations:staff-open", args=[small_approved.pk]),
        {
            "title": "Aptarimas",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert page.status_code == api.status_code
    assert page.context["form"].has_error(NON_FIELD_ERRORS, "frozen_version")
    assert not Consultation.objects.exists()


def test_climate_a_second_baseline_is_400_both_ways(staff_api, staff_client):
    Inventory.objects.create(kind="baseline", year=2012, population=87000)
    api = staff_api.post(
        "/api/v1/climate/inventories/", {"year": 2014, "kind": "baseline", "population": 5}
    )
    assert (api.status_code, api.json()["code"]) == (400, "invalid")
    assert api.json()["kind"]
    page = staff_client.post(
        reverse("climate:staff-inventory-create"),
        {
            "new-kind": "baseline",
            "new-year": "2015",
            "new-population": "10",
            "new-approach": "ipcc",
        },
    )
    assert page.status_code == api.status_code
    assert page.context["form"].has_error("kind")
    assert Inventory.objects.count() == 1


def test_documents_an_unknown_pdf_variant_is_400_both_ways(anonymous_api, client, small_approved):
    api = anonymous_api.get(f"/api/v1/versions/{small_approved.pk}/pdf/?variant=docx")
    assert (api.status_code, api.json()["code"]) == (400, "invalid")
    page = client.get(
        reverse("documents:version-pdf", args=[small_approved.pk]), {"variant": "docx"}
    )
    assert page.status_code == api.status_code
