"""Council review in the browser: the council page, voting page, history."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from council import services as council_services
from council.models import Ballot, VersionEvent, Voting
from plans.models import PlanVersion, VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(staff_client, council_client):
    for client in (staff_client, council_client):
        client.cookies["planportal_language"] = "en"


@pytest.fixture
def under_review(approved_version):
    return factories.VersionFactory(
        plan=approved_version.plan, status=VersionStatus.COUNCIL_REVIEW, number=2
    )


@pytest.fixture
def voting(under_review, staff_user):
    return council_services.voting_open(user=staff_user, version=under_review)


def test_council_page_lists_versions_under_review_with_a_link_to_compare(
    council_client, under_review, approved_version
):
    page = council_client.get(reverse("council:dashboard")).content.decode()
    assert f"/versions/{under_review.pk}/compare/?against={approved_version.pk}" in page
    # Submitting is for staff: council members get no such button.
    assert "council/versions" not in page


def test_staff_submit_a_draft_from_the_council_page(staff_client, draft_version):
    page = staff_client.get(reverse("council:dashboard")).content.decode()
    assert reverse("council:submit", args=[draft_version.pk]) in page
    response = staff_client.post(
        reverse("council:submit", args=[draft_version.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    draft_version.refresh_from_db()
    assert draft_version.status == VersionStatus.COUNCIL_REVIEW


def test_submitting_an_approved_version_is_refused_with_a_message(staff_client, approved_version):
    response = staff_client.post(reverse("council:submit", args=[approved_version.pk]))
    assert response.status_code == 409
    assert response.context["code"] == "transition_not_allowed"
    assert "cannot be submitted" in response.content.decode()
    approved_version.refresh_from_db()
    assert approved_version.status == VersionStatus.APPROVED


def test_a_past_deadline_is_refused_and_no_voting_opens(staff_client, under_review):
    response = staff_client.post(
        reverse("council:voting-open", args=[under_review.pk]),
        {"deadline": "2020-01-01T10:00"},
    )
    assert response.status_code == 400
    assert "future" in response.content.decode()
    assert not Voting.objects.exists()


def test_staff_open_a_voting_with_a_deadline(staff_client, under_review):
    response = staff_client.post(
        reverse("council:voting-open", args=[under_review.pk]),
        {"deadline": "2099-06-30T18:00"},
    )
    voting = Voting.objects.get(version=under_review)
    assert response["Location"] == voting.get_absolute_url()
    assert voting.deadline.year == 2099


def test_a_council_member_votes_and_changes_the_vote(council_client, council_user, voting):
    url = reverse("council:ballot", args=[voting.pk])
    assert council_client.post(url, {"choice": "against"}).status_code == 302
    assert council_client.post(url, {"choice": "for"}).status_code == 302
    assert list(Ballot.objects.values_list("voter", "choice")) == [(council_user.pk, "for")]
    page = council_client.get(voting.get_absolute_url()).content.decode()
    assert 'value="for" id="id_choice_0" required checked' in page
    assert "Change my vote" in page


def test_a_ballot_without_a_choice_is_refused_on_the_page(council_client, voting):
    response = council_client.post(reverse("council:ballot", args=[voting.pk]), {})
    assert response.status_code == 400
    assert 'id="ballot-error"' in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_ballot_on_a_closed_voting_is_a_conflict(council_client, staff_user, voting):
    council_services.voting_close(user=staff_user, voting=voting)
    response = council_client.post(reverse("council:ballot", args=[voting.pk]), {"choice": "for"})
    assert response.status_code == 409
    assert response.context["ballot_form"].has_error(NON_FIELD_ERRORS, "voting_closed")
    assert not Ballot.objects.exists()


def test_staff_close_a_voting_and_record_the_decision(
    staff_client, council_client, voting, approved_version
):
    members = [factories.UserFactory(username=f"page-member{i}", role="council") for i in range(2)]
    for member in members:
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    response = staff_client.post(
        reverse("council:voting-close", args=[voting.pk]),
        {"confirm": "yes", "number": "TS-402", "date": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    page = staff_client.get(voting.get_absolute_url()).content.decode()
    assert "Passed" in page and "page-member0" in page and "council-member" in page
    assert "TS-402" in page
    approved_version.refresh_from_db()
    assert approved_version.status == VersionStatus.SUPERSEDED


def test_an_invalid_decision_date_keeps_what_was_typed(staff_client, approved_version):
    url = reverse("council:decision", args=[approved_version.pk])
    response = staff_client.post(url, {"number": "TS-999", "date": "2999-01-01"})
    assert response.status_code == 400
    assert response.context["form"].has_error("date")
    assert 'value="TS-999"' in response.content.decode()
    approved_version.refresh_from_db()
    assert approved_version.decision_number == ""


def test_taking_back_needs_a_reason_on_the_page(staff_client, under_review):
    url = reverse("council:withdraw", args=[under_review.pk])
    assert staff_client.post(url, {"reason": ""}).status_code == 400
    assert staff_client.post(url, {"reason": "Trūksta rodiklių"}).status_code == 302
    under_review.refresh_from_db()
    assert under_review.status == VersionStatus.DRAFT
    assert VersionEvent.objects.get(kind="withdrawn").reason == "Trūksta rodiklių"


def _decided_plan(staff_user, plan, approvals):
    """``approvals`` successive versions, each approved by every member's vote."""
    factories.UserFactory(username="history-member", role="council")
    first = PlanVersion.objects.filter(plan=plan).count() + 1
    for number in range(first, first + approvals):
        version = factories.VersionFactory(
            plan=plan, number=number, status=VersionStatus.COUNCIL_REVIEW
        )
        voting = council_services.voting_open(user=staff_user, version=version)
        for member in council_services.council_members():
            council_services.ballot_cast(user=member, voting=voting, choice="for")
        council_services.voting_close(
            user=staff_user,
            voting=voting,
            decision_number=f"TS-{number}",
            decision_date=timezone.localdate(),
        )


def test_history_shows_decisions_to_everyone_and_drafts_only_to_staff_and_council(
    staff_user, council_client, approved_version
):
    plan = approved_version.plan
    _decided_plan(staff_user, plan, 1)
    draft = factories.VersionFactory(plan=plan, number=9, status=VersionStatus.DRAFT)
    url = reverse("council:history", args=[plan.pk])
    public = Client()
    public.cookies["planportal_language"] = "en"
    page = public.get(url).content.decode()
    assert "TS-2" in page and "history-member" in page and "Passed" in page
    assert f'id="version-{draft.pk}"' not in page
    assert f'id="version-{draft.pk}"' in council_client.get(url).content.decode()


def test_history_runs_the_same_queries_for_five_times_as_many_versions(
    staff_user, approved_version
):
    plan = approved_version.plan
    public = Client()
    url = reverse("council:history", args=[plan.pk])
    _decided_plan(staff_user, plan, 1)
    with CaptureQueriesContext(connection) as small:
        assert public.get(url).status_code == 200
    _decided_plan(staff_user, plan, 5)
    with CaptureQueriesContext(connection) as large:
        assert public.get(url).content.decode().count("plan-history-version") == 7
    assert len(large) == len(small)


def test_council_page_runs_the_same_queries_for_five_times_as_many_versions(
    staff_client, staff_user
):
    def grow(n):
        for _ in range(n):
            in_force = factories.VersionFactory(status=VersionStatus.APPROVED, number=1)
            version = factories.VersionFactory(
                plan=in_force.plan, status=VersionStatus.COUNCIL_REVIEW, number=2
            )
            council_services.voting_open(user=staff_user, version=version)
            factories.VersionFactory(plan=in_force.plan, status=VersionStatus.DRAFT, number=3)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(reverse("council:dashboard")).status_code == 200
    grow(4)
    with CaptureQueriesContext(connection) as large:
        page = staff_client.get(reverse("council:dashboard")).content.decode()
    assert page.count('id="review-') == 5
    assert len(large) == len(small)
