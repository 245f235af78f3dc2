"""The work page: what waits for staff, council and unit members, after signing in."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation, Proposal
from council import services as council_services
from monitoring import services as monitoring_services
from monitoring.models import MonitoringRound, UnitMembership
from plans.models import Measure, VersionStatus
from review.models import ReviewThread
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

WORK = "/accounts/work/"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


KEYS = ("drafts", "review", "votings", "proposals", "monitoring")


def sections_of(html):
    """Each section's HTML on the work page, by its key."""
    return {
        key: html.split(f'id="work-{key}"')[1].split('class="card work-section"')[0]
        for key in KEYS
        if f'id="work-{key}"' in html
    }


def open_consultation(version, proposals=1):
    now = timezone.now()
    consultation = Consultation.objects.create(
        version=version,
        title="Plano projekto viešas aptarimas",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )
    author = factories.UserFactory(username="gyventoja")
    for number in range(proposals):
        Proposal.objects.create(
            consultation=consultation,
            author=author,
            text=f"Pasiūlymas {number}",
            public_number=number + 1,
        )
    return consultation


def test_staff_sees_drafts_threads_votings_proposals_and_monitoring(
    staff_user, draft_version, approved_version
):
    measure = Measure.objects.filter(version=draft_version).first()
    ReviewThread.objects.create(
        version=draft_version, level="measure", node_id=measure.pk, node_key=measure.key
    )
    open_consultation(draft_version, proposals=2)
    under_review = factories.VersionFactory(
        plan=approved_version.plan, number=3, status=VersionStatus.COUNCIL_REVIEW
    )
    council_services.voting_open(user=staff_user, version=under_review)
    monitoring_round = monitoring_services.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 1)
    )
    page = logged_in(staff_user).get(WORK)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Mano darbai</h1>" in html
    found = sections_of(html)
    assert set(found) == set(KEYS)
    assert reverse("plans:staff-outline", args=[draft_version.pk]) in found["drafts"]
    assert reverse("review:threads", args=[draft_version.pk]) in found["review"]
    assert "1 atvira diskusija" in found["review"]
    assert "Atviri balsavimai" in found["votings"]
    assert "2 pasiūlymai laukia atsakymo" in found["proposals"]
    assert "?status=unanswered" in found["proposals"]
    assert reverse("monitoring:round", args=[monitoring_round.pk]) in found["monitoring"]
    # The header links the page for staff.
    assert f'href="{WORK}"' in html


def test_council_member_sees_votings_to_cast_and_threads_but_no_staff_work(
    staff_user, council_user, draft_version, approved_version
):
    under_review = factories.VersionFactory(
        plan=approved_version.plan, number=3, status=VersionStatus.COUNCIL_REVIEW
    )
    voting = council_services.voting_open(user=staff_user, version=under_review)
    open_consultation(draft_version)
    html = logged_in(council_user).get(WORK).content.decode()
    found = sections_of(html)
    assert set(found) == {"review", "votings"}
    assert "Balsavimai, kuriuose turite balsuoti" in found["votings"]
    assert reverse("council:voting", args=[voting.pk]) in found["votings"]
    assert "laukiama jūsų balso" in found["votings"]
    assert 'data-count="1"' in found["votings"]
    council_services.ballot_cast(user=council_user, voting=voting, choice="for")
    found = sections_of(logged_in(council_user).get(WORK).content.decode())
    assert "jūs balsavote" in found["votings"] and 'data-count="0"' in found["votings"]


def test_unit_member_sees_their_items_due(staff_user, approved_version):
    member = factories.UserFactory(username="skyriaus-narys")
    UnitMembership.objects.create(unit=factories.UnitFactory(name="Statybos skyrius"), user=member)
    monitoring_round = monitoring_services.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 1)
    )
    page = logged_in(member).get(WORK)
    assert page.status_code == 200
    found = sections_of(page.content.decode())
    assert set(found) == {"monitoring"}
    assert f"{reverse('monitoring:my-items')}?round={monitoring_round.pk}" in found["monitoring"]
    assert "2021-02-01" in found["monitoring"]
    # 16 measures of the unit, each with its indicator: nothing entered yet.
    assert 'data-count="32"' in found["monitoring"]


def test_resident_goes_on_to_the_home_page_and_anonymous_to_the_login(resident_user):
    assert logged_in(resident_user).get(WORK)["Location"] == "/"
    assert Client().get(WORK)["Location"] == f"/accounts/login/?next={WORK}"


def test_staff_and_council_land_on_their_work_page_after_signing_in(
    staff_user, council_user, resident_user
):
    for user, landing in ((staff_user, WORK), (council_user, WORK), (resident_user, "/")):
        client = Client()
        response = client.post(
            "/accounts/login/",
            {"username": user.username, "password": "secret-pass-123"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == landing, user.username


def test_a_login_from_the_home_page_carries_no_next(client):
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "/accounts/login/?next=" in client.get(reverse("consultations:index")).content.decode()


def test_work_page_queries_stay_constant_as_plans_and_items_grow(staff_user):
    def world(size):
        plan = factories.PlanFactory()
        approved = factories.VersionFactory(plan=plan, number=1)
        build_plan_tree(approved, priorities=size, goals=1, tasks=1, measures=2)
        type(approved).objects.filter(pk=approved.pk).update(status=VersionStatus.APPROVED)
        for number in range(size):
            draft = factories.VersionFactory(plan=plan, number=number + 2)
            build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=1)
            measure = Measure.objects.filter(version=draft).first()
            for _ in range(size):
                ReviewThread.objects.create(
                    version=draft, level="measure", node_id=measure.pk, node_key=measure.key
                )
        open_consultation(draft, proposals=size * 3)
        monitoring_services.round_open(
            user=staff_user, plan=plan, year=2020, due=datetime.date(2021, 2, 1)
        )

    client = logged_in(staff_user)
    world(1)
    client.get(WORK)
    with CaptureQueriesContext(connection) as small:
        assert client.get(WORK).status_code == 200
    # The same number of open rounds, five times as many drafts, threads,
    # proposals and monitoring items.
    Proposal.objects.all().delete()
    Consultation.objects.all().delete()
    MonitoringRound.objects.all().delete()
    world(5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(WORK).status_code == 200
    assert len(large) == len(small)
