"""Ten readers at the same moment queue one rendering (one row, one job).

Real threads, each with its own database connection, released together. On
PostgreSQL they race for real and meet at the row's unique constraint; SQLite's
in-memory test database answers "table is locked" at once instead of waiting
as the file database does (tests/test_sqlite_concurrency.py; benchmarks/
pdf_load.py races ten requests on a file database through gunicorn), so there
the threads take turns.
"""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from documents import services as documents
from documents.models import PlanDocument
from plans.models import PlanVersion, VersionStatus

from .pdf_helpers import lithuanian_version

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("status", [VersionStatus.APPROVED, VersionStatus.DRAFT])
def test_ten_simultaneous_requests_claim_one_document_and_queue_one_job(status):
    version_id = lithuanian_version(status=status).pk
    if status == VersionStatus.DRAFT:
        # Once something is stored (here: a failed attempt long ago), a draft's
        # requests build the HTML and race to claim the row of its hash.
        version = PlanVersion.objects.select_related("plan").get(pk=version_id)
        documents.document_request(version=version, variant="ua", language="lt")
        PlanDocument.objects.update(status="failed", requested_at="2000-01-01T00:00:00Z")
        DBTaskResult.objects.all().delete()
    barrier = threading.Barrier(10)
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    answers, errors = [], []

    def reader():
        try:
            version = PlanVersion.objects.select_related("plan").get(pk=version_id)
            barrier.wait(timeout=10)
            with turns:
                answers.append(
                    documents.document_request(version=version, variant="ua", language="lt").status
                )
        except Exception as error:  # the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reader) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == ["pending"] * 10
    assert PlanDocument.objects.filter(version_id=version_id, status="pending").count() == 1
    assert DBTaskResult.objects.filter(task_path="documents.tasks.render_document").count() == 1
