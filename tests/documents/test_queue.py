"""Rendering on a real Redis queue (WORKER_QUEUE=rq), run by rq's worker.

Redis runs at 127.0.0.1:6379 on developer machines and in CI. Each test uses
a queue of its own in database 15 and deletes it afterwards, so that parallel
runs never pick up each other's jobs.
"""

import datetime
import uuid

import pytest
from django.utils import timezone
from redis import Redis
from rq import SimpleWorker

from documents.models import DocumentStatus, PlanDocument
from documents.services import FAILED_RETRY_SECONDS
from planportal.tasks_rq import rq_queue
from plans.models import VersionStatus

from .pdf_helpers import lithuanian_version, pdf_text

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "planportal.tasks_rq.RQBackend"}}
    settings.WORKER_REDIS_URL = REDIS_URL
    settings.WORKER_RQ_QUEUE = f"planportal-pdf-test-{uuid.uuid4().hex}"
    Redis.from_url(REDIS_URL).ping()
    queue = rq_queue()
    yield queue
    queue.delete(delete_jobs=True)


def document_id(version) -> int:
    return PlanDocument.objects.get(version=version).pk


def run_worker(queue) -> None:
    # SimpleWorker runs jobs in this process: the job sees the test's database.
    SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_the_api_answers_202_until_the_worker_has_rendered_the_pdf(
    client, queued, django_capture_on_commit_callbacks
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert response.json()["status"] == "pending"
    assert queued.count == 1

    # Asking again while it is pending queues nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    assert queued.count == 1
    # The job is the task's path and the document's id: no content in Redis.
    assert queued.jobs[0].args == ("documents.tasks.render_document", [document_id(version)], {})

    run_worker(queued)
    assert queued.count == 0
    document = PlanDocument.objects.get(version=version)
    assert document.status == DocumentStatus.READY

    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert "A.1.1.1" in pdf_text(body)


def test_the_browser_page_says_the_document_is_being_prepared_until_it_is_ready(
    client, queued, django_capture_on_commit_callbacks
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/versions/{version.pk}/pdf/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 202
    page = response.content.decode()
    assert 'role="status"' in page and 'hx-trigger="every 5s"' in page

    # The page's check (htmx) hears "still pending", then "ready" with a link.
    check = client.get(url, headers={"HX-Request": "true"})
    assert check.status_code == 202 and "hx-trigger" in check.content.decode()
    run_worker(queued)
    check = client.get(url, headers={"HX-Request": "true"})
    assert check.status_code == 200
    assert "hx-trigger" not in check.content.decode()
    assert f'href="{url}"' in check.content.decode()
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_a_failed_rendering_is_queued_again_on_the_next_request(
    client, queued, django_capture_on_commit_callbacks, monkeypatch
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    url = f"/api/v1/versions/{version.pk}/pdf/"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)

    def broken(html, *, variant):
        raise RuntimeError("out of memory")

    monkeypatch.setattr("documents.services.render_pdf", broken)
    run_worker(queued)
    document = PlanDocument.objects.get(version=version)
    assert document.status == DocumentStatus.FAILED
    assert "out of memory" in document.error

    monkeypatch.undo()
    # Queued again once its pause is over (documents.services.FAILED_RETRY_SECONDS).
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    assert queued.count == 0
    PlanDocument.objects.update(
        requested_at=timezone.now() - datetime.timedelta(seconds=FAILED_RETRY_SECONDS)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202
    assert queued.count == 1
    run_worker(queued)
    assert client.get(url).status_code == 200
