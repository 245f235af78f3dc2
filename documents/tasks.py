"""Background rendering of plan PDFs on a Redis queue (``PDF_WORKER=rq``).

The web process builds the document's HTML (fast, a fixed number of queries)
and queues it with the id of the pending ``PlanDocument``; the worker
(``manage.py pdf_worker``) runs WeasyPrint, which takes seconds for a whole
plan, and stores the file. The HTML travels with the job, so the worker
renders exactly the content whose hash the row carries.
"""

from __future__ import annotations

from django.conf import settings

# A whole plan renders in seconds; a job that runs this long is stuck.
JOB_TIMEOUT_SECONDS = 600


def pdf_queue():
    """The queue PDF jobs go to, read from settings at call time."""
    from redis import Redis
    from rq import Queue

    return Queue(settings.PDF_QUEUE, connection=Redis.from_url(settings.PDF_REDIS_URL))


def enqueue_render(*, document_id: int, html: str, variant: str) -> None:
    pdf_queue().enqueue(
        render_document,
        document_id,
        html,
        str(variant),
        job_timeout=JOB_TIMEOUT_SECONDS,
        result_ttl=0,
        # The row says "failed" already; the job's traceback stays a day for the operator.
        failure_ttl=24 * 3600,
        description=f"PDF of plan document {document_id}",
    )


def render_document(document_id: int, html: str, variant: str) -> int | None:
    """The job: render and store one document (``documents.services.store_rendered``)."""
    from documents.services import store_rendered

    document = store_rendered(document_id=document_id, html=html, variant=variant)
    return document.size if document else None
