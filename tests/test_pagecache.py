"""Whole pages of immutable versions are served to anonymous readers from the cache."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from planportal import pagecache
from plans import services
from plans.models import Measure, PlanVersion, VersionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_second_anonymous_read_of_the_plan_runs_no_query(approved_version):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["X-Page-Cache"] == "hit"
    assert len(queries) == 0


def test_cached_anonymous_page_carries_no_csrf_token_or_user_name(approved_version, staff_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    staff = Client()
    staff.force_login(staff_user)
    staff.get(url)
    html = Client().get(url).content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "X-CSRFToken" not in html
    assert staff_user.username not in html


def test_drafts_are_never_served_from_the_page_cache(draft_version, staff_client):
    draft_url = reverse("plans:version", args=[draft_version.pk])
    staff_client.get(draft_url)
    assert "X-Page-Cache" not in staff_client.get(draft_url)
    assert "X-Page-Cache" not in Client().get(draft_url)


def test_language_gets_its_own_cached_page(approved_version):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    lithuanian = Client().get(url)
    english_client = Client()
    english_client.cookies["planportal_language"] = "en"
    english = english_client.get(url)
    assert lithuanian.content != english.content
    assert '<html lang="en">' in english.content.decode()


def test_a_new_version_in_force_retires_the_cached_plan_page(approved_version, staff_user):
    url = reverse("plans:plan", args=[approved_version.plan_id])
    Client().get(url)
    draft = services.version_create_draft(user=staff_user, plan=approved_version.plan)
    measure = Measure.objects.filter(version=draft).first()
    services.node_update(user=staff_user, node=measure, title="Visiškai nauja priemonė")
    # Approval (council work) changes statuses and bumps the generation.
    PlanVersion.objects.filter(pk=approved_version.pk).update(status=VersionStatus.SUPERSEDED)
    PlanVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.APPROVED)
    pagecache.bump()
    response = Client().get(url)
    assert response["X-Page-Cache"] == "stored"
    assert "Visiškai nauja priemonė" in response.content.decode()


def test_language_switch_sets_the_cookie_and_returns_to_the_page(approved_version):
    client = Client()
    url = reverse("plans:plan", args=[approved_version.plan_id])
    response = client.get(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies["planportal_language"].value == "en"
    assert '<html lang="en">' in client.get(url).content.decode()


def test_language_switch_refuses_to_redirect_elsewhere():
    response = Client().get(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
