"""A draft copied from a version that is no longer in force says so wherever it
is shown, and is submitted or approved only with a confirmation that names the
version in force it would undo (issue 11, item 14)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from council import services as council_services
from council.models import VersionEvent, Voting
from plans import services as plan_services
from plans.lineage import stale_base
from plans.models import PlanVersion, Priority, VersionStatus
from tests import factories
from tests.api.conftest import ApiClient
from tests.consultations.conftest import open_consultation

pytestmark = pytest.mark.django_db

S = VersionStatus
NEW_PRIORITY = "Skaitmeninė savivaldybė"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def english(client):
    client.cookies["planportal_language"] = "en"
    return client


def approve(staff_user, version):
    """Submit ``version`` and have the council pass it (all through the services)."""
    council_services.version_submit(user=staff_user, version=version)
    member = factories.UserFactory(username=f"member-of-{version.pk}", role="council")
    voting = council_services.voting_open(user=staff_user, version=version)
    council_services.ballot_cast(user=member, voting=voting, choice="for")
    return council_services.voting_close(user=staff_user, voting=voting)


@pytest.fixture
def scene(staff_user, approved_version):
    """The issue's story: drafts 2 and 3 are both copied from version 1 in
    force; draft 3 gains a priority and is approved; draft 2 is left behind."""
    plan = approved_version.plan
    stale = plan_services.version_create_draft(user=staff_user, plan=plan)
    newer = plan_services.version_create_draft(user=staff_user, plan=plan)
    plan_services.node_create(user=staff_user, level="priority", parent=newer, title=NEW_PRIORITY)
    approve(staff_user, newer)
    stale.refresh_from_db()
    newer.refresh_from_db()
    assert (stale.number, newer.number, newer.status) == (2, 3, S.APPROVED)
    return {"stale": stale, "in_force": newer, "old": approved_version}


# --- The rule ------------------------------------------------------------------------


def test_a_draft_whose_base_is_no_longer_in_force_is_stale(scene, staff_user):
    found = stale_base(scene["stale"])
    assert found is not None
    assert (found.in_force, found.base) == (scene["in_force"], scene["old"])
    # Drafts made from the version in force, or from such a draft, are not.
    fresh = plan_services.version_create_draft(user=staff_user, plan=scene["in_force"].plan)
    copy = plan_services.version_create_draft(user=staff_user, plan=fresh.plan, source=fresh)
    assert stale_base(fresh) is None and stale_base(copy) is None
    assert stale_base(scene["in_force"]) is None and stale_base(scene["old"]) is None


def test_an_empty_first_draft_becomes_stale_once_another_is_approved(staff_user):
    plan = plan_services.plan_create(
        user=staff_user, title="Naujas planas", municipality="X", period_start=2025, period_end=2030
    )
    first = plan.versions.get()
    second = plan_services.version_create_draft(user=staff_user, plan=plan)
    assert stale_base(first) is None and stale_base(second) is None
    approve(staff_user, second)
    found = stale_base(first)
    assert found is not None and found.base is None and found.in_force.pk == second.pk


# --- Submitting ------------------------------------------------------------------------


def test_submitting_a_stale_draft_is_refused_without_naming_the_version_in_force(scene, staff_user):
    stale = scene["stale"]
    with pytest.raises(council_services.StaleBaseError) as error:
        council_services.version_submit(user=staff_user, version=stale)
    assert error.value.code == "stale_base"
    with pytest.raises(council_services.StaleBaseError):
        council_services.version_submit(
            user=staff_user, version=stale, confirm_stale=scene["old"].pk
        )
    stale.refresh_from_db()
    assert stale.status == S.DRAFT
    assert not VersionEvent.objects.filter(version=stale).exists()

    council_services.version_submit(
        user=staff_user, version=stale, confirm_stale=scene["in_force"].pk
    )
    stale.refresh_from_db()
    assert stale.status == S.COUNCIL_REVIEW
    confirmed = VersionEvent.objects.get(version=stale, kind="stale_confirmed")
    assert confirmed.user == staff_user and confirmed.data["in_force"] == scene["in_force"].pk


def test_the_api_refuses_a_stale_submission_with_409_saying_what_it_would_undo(scene, staff_client):
    api = ApiClient(staff_client)
    stale, in_force = scene["stale"], scene["in_force"]
    response = api.post(f"/api/v1/versions/{stale.pk}/submit/")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "stale_base"
    assert (body["in_force"], body["based_on"]) == (in_force.pk, scene["old"].pk)
    # The priority added by the version in force is missing from the stale one.
    assert body["difference"]["removed"] == 1
    diff = api.get(body["diff"]).json()
    assert [n["title"] for n in diff["removed"]] == [NEW_PRIORITY]
    assert PlanVersion.objects.get(pk=stale.pk).status == S.DRAFT

    wrong = api.post(f"/api/v1/versions/{stale.pk}/submit/", {"confirm_stale": "yes"})
    assert wrong.status_code == 400
    done = api.post(f"/api/v1/versions/{stale.pk}/submit/", {"confirm_stale": in_force.pk})
    assert (done.status_code, done.json()["status"]) == (200, "council_review")


def test_the_council_page_marks_the_stale_draft_and_submitting_asks_for_a_confirmation(
    scene, staff_client
):
    english(staff_client)
    stale, in_force = scene["stale"], scene["in_force"]
    page = staff_client.get(reverse("council:dashboard")).content.decode()
    assert f'id="stale-base-{stale.pk}"' in page

    url = reverse("council:submit", args=[stale.pk])
    # The confirmation page asks about the stale base with the submission itself.
    response = staff_client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert NEW_PRIORITY in body  # what it would undo, listed
    assert f'name="confirm_stale" value="{in_force.pk}"' in body
    assert PlanVersion.objects.get(pk=stale.pk).status == S.DRAFT

    refused = staff_client.post(url, {"confirm": "yes"})
    assert refused.status_code == 409
    assert f'name="confirm_stale" value="{in_force.pk}"' in refused.content.decode()
    nonsense = staff_client.post(url, {"confirm": "yes", "confirm_stale": "nonsense"})
    assert nonsense.status_code == 409
    assert PlanVersion.objects.get(pk=stale.pk).status == S.DRAFT
    done = staff_client.post(url, {"confirm": "yes", "confirm_stale": in_force.pk})
    assert done.status_code == 302
    assert PlanVersion.objects.get(pk=stale.pk).status == S.COUNCIL_REVIEW


# --- Approving -------------------------------------------------------------------------


@pytest.fixture
def stale_voting(scene, staff_user):
    stale = scene["stale"]
    council_services.version_submit(
        user=staff_user, version=stale, confirm_stale=scene["in_force"].pk
    )
    voting = council_services.voting_open(user=staff_user, version=stale)
    factories.UserFactory(username="stale-member", role="council")
    for member in council_services.council_members():
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    return voting


def test_a_passed_voting_on_a_stale_version_closes_only_when_confirmed(
    scene, staff_user, stale_voting
):
    with pytest.raises(council_services.StaleBaseError):
        council_services.voting_close(user=staff_user, voting=stale_voting)
    stale_voting.refresh_from_db()
    scene["in_force"].refresh_from_db()
    assert stale_voting.is_open and scene["in_force"].status == S.APPROVED

    council_services.voting_close(
        user=staff_user, voting=stale_voting, confirm_stale=scene["in_force"].pk
    )
    scene["in_force"].refresh_from_db()
    assert PlanVersion.objects.get(pk=scene["stale"].pk).status == S.APPROVED
    assert scene["in_force"].status == S.SUPERSEDED


def test_a_failed_voting_on_a_stale_version_undoes_nothing_and_needs_no_confirmation(
    scene, staff_user
):
    stale = scene["stale"]
    council_services.version_submit(
        user=staff_user, version=stale, confirm_stale=scene["in_force"].pk
    )
    voting = council_services.voting_open(user=staff_user, version=stale)
    council_services.voting_close(user=staff_user, voting=voting)  # nobody voted
    assert PlanVersion.objects.get(pk=stale.pk).status == S.DRAFT


def test_the_api_refuses_to_close_a_stale_approval_without_the_confirmation(
    scene, staff_client, stale_voting
):
    api = ApiClient(staff_client)
    url = f"/api/v1/votings/{stale_voting.pk}/close/"
    response = api.post(url)
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["in_force"]) == (
        "stale_base",
        scene["in_force"].pk,
    )
    assert Voting.objects.get(pk=stale_voting.pk).is_open
    done = api.post(url, {"confirm_stale": scene["in_force"].pk})
    assert done.status_code == 200 and done.json()["result"]["passed"] is True


def test_the_voting_page_shows_what_approving_would_undo_and_asks_to_confirm(
    scene, staff_client, council_client, stale_voting
):
    english(staff_client)
    english(council_client)
    url = reverse("council:voting", args=[stale_voting.pk])
    for client in (staff_client, council_client):
        page = client.get(url).content.decode()
        assert f'id="stale-base-{scene["stale"].pk}"' in page
        assert NEW_PRIORITY in page
    close = reverse("council:voting-close", args=[stale_voting.pk])
    # The box to tick is on the closing's confirmation page, with what it would undo.
    confirmation = staff_client.get(close).content.decode()
    assert 'name="confirm_stale"' in confirmation and NEW_PRIORITY in confirmation
    refused = staff_client.post(close, {"confirm": "yes"})
    assert refused.status_code == 409
    assert "Compare the two versions and confirm" in refused.content.decode()
    assert Voting.objects.get(pk=stale_voting.pk).is_open

    # A confirmation for another version in force does not count; the page
    # asks again about the version in force now.
    other = staff_client.post(
        close, {"confirm": "yes", "confirm_stale": "on", "in_force_seen": scene["old"].pk}
    )
    assert other.status_code == 409
    assert f'name="in_force_seen" value="{scene["in_force"].pk}"' in other.content.decode()
    done = staff_client.post(
        close, {"confirm": "yes", "confirm_stale": "on", "in_force_seen": scene["in_force"].pk}
    )
    assert done.status_code == 302
    assert PlanVersion.objects.get(pk=scene["stale"].pk).status == S.APPROVED


# --- Wherever it is shown ----------------------------------------------------------------


def test_the_warning_is_on_every_page_that_shows_the_stale_draft(
    scene, staff_client, council_client
):
    english(staff_client)
    stale = scene["stale"]
    marker = f'id="stale-base-{stale.pk}"'
    compare = f"/versions/{stale.pk}/compare/?against={scene['in_force'].pk}"
    pages = [
        reverse("plans:version", args=[stale.pk]),
        reverse("plans:staff-outline", args=[stale.pk]),
        reverse("plans:budget", args=[stale.pk]),
        reverse("review:threads", args=[stale.pk]),
    ]
    for url in pages:
        body = staff_client.get(url).content.decode()
        assert marker in body, url
        assert compare in body, url
    dashboard = staff_client.get(reverse("plans:staff-dashboard")).content.decode()
    assert "Not based on the version in force" in dashboard and compare in dashboard
    # The comparison it links to shows what would be undone.
    assert NEW_PRIORITY in staff_client.get(compare).content.decode()


def test_a_draft_based_on_the_version_in_force_shows_no_warning(scene, staff_client, staff_user):
    fresh = plan_services.version_create_draft(user=staff_user, plan=scene["in_force"].plan)
    body = staff_client.get(reverse("plans:version", args=[fresh.pk])).content.decode()
    assert "stale-base" not in body
    outline = staff_client.get(reverse("plans:staff-outline", args=[fresh.pk])).content.decode()
    assert "stale-base" not in outline


def test_the_public_consultation_page_warns_residents_too(scene, staff_user):
    consultation = open_consultation(scene["stale"], staff_user)
    reader = english(Client())
    page = reader.get(reverse("consultations:detail", args=[consultation.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert f'id="stale-base-{scene["stale"].pk}"' in body
    compare = f"/versions/{scene['stale'].pk}/compare/?against={scene['in_force'].pk}"
    assert compare in body
    assert reader.get(compare).status_code == 200


def test_a_stale_draft_under_consultation_still_needs_the_confirmation(scene, staff_user):
    open_consultation(scene["stale"], staff_user, starts=-20, ends=-1)  # over
    with pytest.raises(council_services.StaleBaseError):
        council_services.version_submit(user=staff_user, version=scene["stale"])
    assert Priority.objects.filter(version=scene["in_force"], title=NEW_PRIORITY).exists()


def test_the_versions_api_says_which_versions_are_stale(scene, staff_client, staff_user):
    api = ApiClient(staff_client)
    stale, in_force = scene["stale"], scene["in_force"]
    one = api.get(f"/api/v1/versions/{stale.pk}/").json()
    assert one["stale_base"] == {
        "in_force": in_force.pk,
        "based_on": scene["old"].pk,
        "compare": f"/versions/{stale.pk}/compare/?against={in_force.pk}",
    }
    assert api.get(f"/api/v1/versions/{in_force.pk}/").json()["stale_base"] is None
    listed = {v["id"]: v["stale_base"] for v in api.get("/api/v1/versions/").json()["results"]}
    assert listed[stale.pk]["in_force"] == in_force.pk and listed[in_force.pk] is None


def test_the_versions_list_finds_stale_bases_in_one_query_however_many_drafts(
    scene, staff_client, staff_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = ApiClient(staff_client)
    plan = scene["in_force"].plan
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/versions/")
    for _ in range(4):
        factories.VersionFactory(plan=plan, based_on=scene["old"])
    with CaptureQueriesContext(connection) as many:
        body = api.get("/api/v1/versions/").json()
    assert sum(1 for v in body["results"] if v["stale_base"]) == 5
    assert len(many) == len(few)
