"""Formal acts ask first: submitting and closing a voting show their consequence.

A GET, or a POST without ``confirm``, is a confirmation page that changes
nothing; the POST with ``confirm`` acts. The API acts at once, as before.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from council import services as council_services
from council.models import Voting
from plans.models import FundingLine, Measure, PlanVersion, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def under_review(approved_version):
    return factories.VersionFactory(
        plan=approved_version.plan, status=VersionStatus.COUNCIL_REVIEW, number=2
    )


@pytest.fixture
def voting(under_review, staff_user):
    return council_services.voting_open(user=staff_user, version=under_review)


def status_of(version):
    return PlanVersion.objects.get(pk=version.pk).status


# --- Submitting ---------------------------------------------------------------------------


def test_the_submit_page_shows_the_check_and_the_consequence_and_changes_nothing(
    staff_client, draft_version
):
    url = reverse("council:submit", args=[draft_version.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="submit-consequence"' in page and "užšaldoma" in page
    assert 'id="draft-check"' in page
    assert 'name="confirm" value="yes"' in page
    assert status_of(draft_version) == VersionStatus.DRAFT


def test_a_submit_without_the_confirmation_only_shows_the_confirmation_page(
    staff_client, draft_version
):
    response = staff_client.post(reverse("council:submit", args=[draft_version.pk]))
    assert response.status_code == 200
    assert 'id="confirm-submit"' in response.content.decode()
    assert status_of(draft_version) == VersionStatus.DRAFT


def test_a_confirmed_submit_sends_the_draft_to_the_council(staff_client, draft_version):
    response = staff_client.post(
        reverse("council:submit", args=[draft_version.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 302
    assert status_of(draft_version) == VersionStatus.COUNCIL_REVIEW


def test_a_version_that_cannot_go_gets_the_reason_and_no_button(staff_client, under_review):
    response = staff_client.get(reverse("council:submit", args=[under_review.pk]))
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="submit-refusal"' in page
    assert 'id="confirm-submit"' not in page and 'name="confirm"' not in page


def test_the_submit_page_lists_each_problem_of_the_draft_with_a_link(staff_client, draft_version):
    measures = list(Measure.objects.filter(version=draft_version).order_by("code"))
    bare, late = measures[0], measures[1]
    bare.indicators.all().delete()
    FundingLine.objects.filter(measure=bare).delete()
    FundingLine.objects.filter(measure=late).update(year=2024)
    page = staff_client.get(reverse("council:submit", args=[draft_version.pk])).content.decode()
    edit = reverse("plans:staff-node-edit", args=["measure", bare.pk])
    check = page.split('id="draft-check"', 1)[1].split("</section>", 1)[0]
    assert edit in check
    assert "draft-issue-no_indicators" in check and "draft-issue-no_funding" in check
    assert "draft-issue-funding_outside_period" in check and "2024" in check
    # Warnings, not a refusal: the button is there.
    assert 'id="confirm-submit"' in page


# --- Closing a voting ---------------------------------------------------------------------


def test_the_closing_page_shows_turnout_quorum_and_the_result_and_changes_nothing(
    staff_client, voting
):
    response = staff_client.get(reverse("council:voting-close", args=[voting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    members = council_services.council_members().count()
    assert f"0 iš {members}" in page  # turnout: ballots cast of the council's members
    assert 'id="close-quorum"' in page
    assert 'id="quorum-warning"' in page  # nobody voted
    assert "Nepritarta" in page.split('id="close-result"', 1)[1][:200]
    assert Voting.objects.get(pk=voting.pk).is_open


def test_a_close_without_the_confirmation_changes_nothing(staff_client, voting, under_review):
    response = staff_client.post(reverse("council:voting-close", args=[voting.pk]), {})
    assert response.status_code == 200
    assert 'id="confirm-close"' in response.content.decode()
    assert Voting.objects.get(pk=voting.pk).is_open
    assert status_of(under_review) == VersionStatus.COUNCIL_REVIEW


def test_a_passing_close_says_it_approves_and_supersedes_before_it_does(
    staff_client, voting, under_review, approved_version
):
    for i in range(3):
        member = factories.UserFactory(username=f"formal-member{i}", role="council")
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    url = reverse("council:voting-close", args=[voting.pk])
    page = staff_client.get(url).content.decode()
    assert 'id="quorum-warning"' not in page
    assert "Pritarta" in page.split('id="close-result"', 1)[1][:200]
    consequence = page.split('id="close-consequence"', 1)[1][:400]
    assert f"{under_review.number}" in consequence and f"{approved_version.number}" in consequence
    assert status_of(under_review) == VersionStatus.COUNCIL_REVIEW

    assert staff_client.post(url, {"confirm": "yes"}).status_code == 302
    assert status_of(under_review) == VersionStatus.APPROVED
    assert status_of(approved_version) == VersionStatus.SUPERSEDED


def test_the_voting_page_leads_to_the_closing_page_instead_of_closing(staff_client, voting):
    page = staff_client.get(voting.get_absolute_url()).content.decode()
    assert 'id="close-voting-link"' in page
    assert "form" not in page.split('id="close-heading"', 1)[1].split("</section>", 1)[0]


def test_the_closing_page_of_a_closed_voting_leads_to_its_result(staff_client, staff_user, voting):
    council_services.voting_close(user=staff_user, voting=voting)
    response = staff_client.get(reverse("council:voting-close", args=[voting.pk]))
    assert response.status_code == 302 and response["Location"] == voting.get_absolute_url()


def test_the_closing_page_asks_the_same_queries_for_a_bigger_council(staff_client, voting):
    url = reverse("council:voting-close", args=[voting.pk])
    staff_client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert staff_client.get(url).status_code == 200
    for i in range(5):
        member = factories.UserFactory(username=f"big-council{i}", role="council")
        council_services.ballot_cast(user=member, voting=voting, choice="against")
    with CaptureQueriesContext(connection) as large:
        assert staff_client.get(url).status_code == 200
    assert len(large) == len(small)


def test_the_api_still_closes_at_once(staff_client, voting):
    response = staff_client.post(
        f"/api/v1/votings/{voting.pk}/close/", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert not Voting.objects.get(pk=voting.pk).is_open


# --- The council's box on the outline and the version page --------------------------------


def outline(client, version):
    return client.get(reverse("plans:staff-outline", args=[version.pk])).content.decode()


def test_the_outline_of_a_draft_offers_the_submit_page(staff_client, draft_version):
    page = outline(staff_client, draft_version)
    assert 'id="council-work-box"' in page
    assert f'href="{reverse("council:submit", args=[draft_version.pk])}"' in page


def test_a_frozen_draft_points_to_taking_it_back_not_to_a_new_draft(staff_client, under_review):
    page = outline(staff_client, under_review)
    notice = page.split('id="read-only-notice"', 1)[1].split("</p>", 1)[0]
    assert "naują projektą" not in notice and "grąžinkite" in notice.lower()
    assert f'href="{reverse("council:withdraw", args=[under_review.pk])}"' in page
    assert 'id="council-work-submit"' not in page


def test_a_version_under_review_with_an_open_voting_links_to_it(staff_client, voting):
    page = outline(staff_client, voting.version)
    assert voting.get_absolute_url() in page
    assert 'id="council-work-withdraw"' not in page


def test_the_version_page_shows_the_box_to_staff_and_council_only(
    staff_client, council_client, client, draft_version, approved_version
):
    url = reverse("plans:version", args=[draft_version.pk])
    assert 'id="council-work-submit"' in staff_client.get(url).content.decode()
    council_page = council_client.get(url).content.decode()
    assert 'id="council-work-box"' in council_page
    assert 'id="council-work-submit"' not in council_page
    public = client.get(reverse("plans:version", args=[approved_version.pk])).content.decode()
    assert 'id="version-work"' not in public


def test_no_submit_button_for_a_version_under_open_consultation(staff_client, staff_user):
    import datetime

    from django.utils import timezone

    from consultations import services as consultation_services

    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    now = timezone.now()
    consultation_services.consultation_open(
        user=staff_user,
        version=version,
        title="Viešas svarstymas",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=30),
    )
    page = outline(staff_client, version)
    assert 'id="council-work-refusal"' in page
    assert 'id="council-work-submit"' not in page
