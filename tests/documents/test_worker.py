"""No web request runs WeasyPrint: PDFs are rendered by ``manage.py worker``
from the database queue, once per version, variant, language and content, and
before anyone asks when a version goes to consultation, council review or
approval (issue 11)."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone, translation

from council import services as council_services
from documents import services as documents
from documents.models import DocumentStatus, PlanDocument
from plans.models import Measure, VersionStatus
from plans.services import node_update
from tests import factories

from .pdf_helpers import flat_text, lithuanian_version, queued_jobs, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def no_render_in_requests():
    """WeasyPrint fails the test if anything but the worker calls it."""
    real = documents.render_pdf
    state = {"worker": False, "renders": 0}

    def guarded(html, **kwargs):
        assert state["worker"], "a web request ran WeasyPrint"
        state["renders"] += 1
        return real(html, **kwargs)

    def worker():
        state["worker"] = True
        try:
            run_worker()
        finally:
            state["worker"] = False

    with mock.patch.object(documents, "render_pdf", guarded):
        yield {"run_worker": worker, "state": state}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_api_answers_202_with_retry_after_and_the_worker_renders_the_pdf(
    client, no_render_in_requests
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    response = client.get(url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["status"] == "pending"
    assert queued_jobs() == [("render_document", [PlanDocument.objects.get().pk])]

    no_render_in_requests["run_worker"]()
    assert queued_jobs() == []
    response = client.get(url)
    assert response.status_code == 200
    assert "A.1.1.1" in flat_text(body(response))
    assert no_render_in_requests["state"]["renders"] == 1


def test_a_client_that_accepts_only_pdf_is_told_in_json_to_come_back(client):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    response = client.get(f"/api/v1/versions/{version.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert response.status_code == 202
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["status"] == "pending"


def test_the_browser_page_says_being_prepared_then_gives_the_file(client, no_render_in_requests):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/versions/{version.pk}/pdf/"
    response = client.get(url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert 'role="status"' in response.content.decode()
    no_render_in_requests["run_worker"]()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("status", [VersionStatus.APPROVED, VersionStatus.CONSULTATION])
def test_ten_requests_queue_one_job_and_none_builds_the_html(client, status):
    version = lithuanian_version(status=status)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    with mock.patch.object(documents, "document_html", wraps=documents.document_html) as html:
        statuses = {client.get(url).status_code for _ in range(10)}
    assert statuses == {202}
    # The first request said "wanted", the others found it queued; the worker
    # builds the HTML (0.15 s for the demo), no request does.
    assert html.call_count == 0
    assert PlanDocument.objects.count() == 1
    assert len(queued_jobs()) == 1
    run_worker()
    assert client.get(url).status_code == 200
    # Keyed by the content the worker rendered, as a request's check finds it.
    with translation.override("lt"):
        expected = documents.content_hash(documents.document_html(version), variant="ua")
    assert PlanDocument.objects.get().content_hash == expected


def test_a_draft_is_one_job_per_content(staff_client, staff_user):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    url = f"/api/v1/versions/{draft.pk}/pdf/"
    assert staff_client.get(url).status_code == 202
    assert staff_client.get(url).status_code == 202
    assert len(queued_jobs()) == 1
    run_worker()
    assert staff_client.get(url).status_code == 200

    # New content: one new job; the stored PDF of the old content is not served.
    measure = Measure.objects.filter(version=draft).order_by("id").last()
    node_update(user=staff_user, node=measure, title="Įrengti saulės elektrinę mokyklos stogą")
    assert staff_client.get(url).status_code == 202
    assert staff_client.get(url).status_code == 202
    assert len(queued_jobs()) == 1
    run_worker()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Įrengti saulės elektrinę mokyklos stogą" in flat_text(body(response))


def test_the_worker_renders_what_a_draft_shows_when_it_runs(staff_client, staff_user):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    url = f"/api/v1/versions/{draft.pk}/pdf/"
    assert staff_client.get(url).status_code == 202
    # Edited after the request, before the worker got to it.
    measure = Measure.objects.filter(version=draft).order_by("id").last()
    node_update(user=staff_user, node=measure, title="Pakeista prieš atvaizdavimą")
    run_worker()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Pakeista prieš atvaizdavimą" in flat_text(body(response))
    assert PlanDocument.objects.filter(version=draft).count() == 1


def test_a_failed_rendering_is_a_202_never_a_5xx_and_is_queued_again_later(
    client, no_render_in_requests
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    client.get(url)
    with mock.patch.object(documents, "render_pdf", side_effect=RuntimeError("out of memory")):
        run_worker()
    document = PlanDocument.objects.get()
    assert document.status == DocumentStatus.FAILED
    assert "out of memory" in document.error

    # Asked again at once: still 202, and the broken document is not queued
    # on every request.
    response = client.get(url)
    assert response.status_code == 202 and response["Retry-After"] == "5"
    assert response.json()["status"] == "failed"
    assert queued_jobs() == []

    # A minute later the next request queues it again, once.
    PlanDocument.objects.update(
        requested_at=timezone.now() - datetime.timedelta(seconds=documents.FAILED_RETRY_SECONDS)
    )
    assert client.get(url).status_code == 202
    assert client.get(url).status_code == 202
    assert len(queued_jobs()) == 1
    no_render_in_requests["run_worker"]()
    assert client.get(url).status_code == 200


def test_a_pending_document_whose_worker_died_is_queued_again(client):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    client.get(url)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the job was lost with its worker
    PlanDocument.objects.update(
        requested_at=timezone.now() - datetime.timedelta(seconds=documents.PENDING_RETRY_SECONDS)
    )
    assert client.get(url).status_code == 202
    assert len(queued_jobs()) == 1
    run_worker()
    assert client.get(url).status_code == 200


def test_a_rendering_that_runs_too_long_is_stopped_and_marked_failed(settings, client):
    settings.PDF_RENDER_TIMEOUT = 1
    version = lithuanian_version(status=VersionStatus.APPROVED)
    client.get(f"/api/v1/versions/{version.pk}/pdf/")

    def stuck(html, **kwargs):
        import time

        time.sleep(5)

    with mock.patch.object(documents, "render_pdf", stuck):
        run_worker()
    document = PlanDocument.objects.get()
    assert document.status == DocumentStatus.FAILED
    assert "RenderTimeout" in document.error


def test_a_job_for_a_deleted_draft_does_nothing(staff_client):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    staff_client.get(f"/api/v1/versions/{draft.pk}/pdf/")
    PlanDocument.objects.all().delete()
    run_worker()
    assert not PlanDocument.objects.exists()


# --- Rendered before anyone asks ----------------------------------------------------


def _ready_languages(version) -> set[str]:
    return set(
        PlanDocument.objects.filter(
            version=version, version_status=version.status, status=DocumentStatus.READY
        ).values_list("language", flat=True)
    )


def test_a_version_put_to_consultation_is_rendered_for_its_first_reader(
    settings, no_render_in_requests
):
    from consultations import services as consultation_services

    staff = factories.UserFactory(username="prerender-staff", role="staff")
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    now = timezone.now()
    consultation_services.consultation_open(
        user=staff,
        version=draft,
        title="Viešoji konsultacija",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=30),
    )
    assert queued_jobs() == [("prerender_version", [draft.pk])]
    no_render_in_requests["run_worker"]()
    draft.refresh_from_db()
    assert _ready_languages(draft) == {code for code, _ in settings.LANGUAGES}

    # The first anonymous reader gets the file at once, in either language.
    reader = Client()
    response = reader.get(f"/api/v1/versions/{draft.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_a_version_sent_to_the_council_is_rendered_for_the_council(
    council_client, no_render_in_requests
):
    staff = factories.UserFactory(username="prerender-staff", role="staff")
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    council_services.version_submit(user=staff, version=draft)
    assert queued_jobs() == [("prerender_version", [draft.pk])]
    no_render_in_requests["run_worker"]()
    draft.refresh_from_db()
    assert _ready_languages(draft) == {"lt", "en"}
    assert council_client.get(f"/versions/{draft.pk}/pdf/").status_code == 200


def test_approval_renders_the_approved_and_the_superseded_version(no_render_in_requests):
    staff = factories.UserFactory(username="prerender-staff", role="staff")
    members = [factories.UserFactory(username=f"pm{i}", role="council") for i in range(3)]
    old = lithuanian_version(status=VersionStatus.APPROVED)
    new = lithuanian_version(status=VersionStatus.COUNCIL_REVIEW)
    # The factory numbers versions by a sequence: the next number of old's plan.
    type(new).objects.filter(pk=new.pk).update(plan=old.plan, number=old.number + 1, based_on=old)
    voting = council_services.voting_open(user=staff, version=new)
    for member in members:
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    council_services.voting_close(user=staff, voting=voting)
    assert sorted(queued_jobs()) == [
        ("prerender_version", [old.pk]),
        ("prerender_version", [new.pk]),
    ]
    no_render_in_requests["run_worker"]()
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, old.status) == (VersionStatus.APPROVED, VersionStatus.SUPERSEDED)
    assert _ready_languages(new) == _ready_languages(old) == {"lt", "en"}
    assert Client().get(f"/versions/{new.pk}/pdf/").status_code == 200


def test_a_version_taken_back_to_draft_is_not_rendered(staff_user):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    council_services.version_submit(user=staff_user, version=draft)
    council_services.version_withdraw(user=staff_user, version=draft, reason="Pataisyti")
    # The review job was queued; when it runs the version is a draft again.
    run_worker()
    assert not PlanDocument.objects.exists()


def test_a_new_state_is_rendered_once_and_then_asks_for_nothing_more(
    council_client, no_render_in_requests
):
    version = lithuanian_version(status=VersionStatus.CONSULTATION)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    assert council_client.get(url).status_code == 202
    no_render_in_requests["run_worker"]()
    assert council_client.get(url).status_code == 200

    # Sent on to the council (by hand here: no prerender job).
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.COUNCIL_REVIEW)
    assert council_client.get(url).status_code == 202
    no_render_in_requests["run_worker"]()
    assert council_client.get(url).status_code == 200
    assert council_client.get(url).status_code == 200
    # The worker is asked once whether the stored PDF is still current: it is.
    assert [name for name, _ in queued_jobs()] == ["recheck_document"]
    no_render_in_requests["run_worker"]()
    assert council_client.get(url).status_code == 200
    assert queued_jobs() == []
    assert no_render_in_requests["state"]["renders"] == 2


def test_a_consultation_pdf_is_served_at_once_and_follows_its_annexes_within_a_minute(
    client, no_render_in_requests
):
    from django.core.cache import cache

    from tests.climate import factories as climate_factories

    version = lithuanian_version(status=VersionStatus.CONSULTATION)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    client.get(url)
    no_render_in_requests["run_worker"]()
    assert "Klimato priedas" not in flat_text(body(client.get(url)))
    # The municipality enters its first emission inventory: the climate annex
    # appears. (A unit's name, shown by a version under consultation, is frozen.)
    climate_factories.inventory(year=2012, population=87200)

    # What the PDF shows changed: readers still get the stored file at once,
    # with no HTML built in their request, and one check goes to the worker.
    with mock.patch.object(documents, "document_html", wraps=documents.document_html) as html:
        assert {client.get(url).status_code for _ in range(5)} == {200}
    assert html.call_count == 0
    assert [name for name, _ in queued_jobs()] == ["recheck_document"]
    no_render_in_requests["run_worker"]()
    response = client.get(url)
    assert response.status_code == 200
    assert "Klimato priedas" in flat_text(body(response))
    assert PlanDocument.objects.filter(version=version).count() == 1
    # The next check a minute later (the cache entry's lifetime) finds it current.
    cache.clear()
    client.get(url)
    no_render_in_requests["run_worker"]()
    assert no_render_in_requests["state"]["renders"] == 2
