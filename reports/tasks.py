"""The background jobs of the report's PDF, run by ``manage.py worker`` (never in a web request).

As documents/tasks.py for the plan's PDF: a request that finds no stored PDF
claims a pending ``ReportDocument`` and queues ``render_report_document``
with its id (``reports.pdf.document_request``); submitting, approving and
recording a decision queue ``prerender_report`` (``reports.pdf.queue_prerender``).
The jobs carry ids only: the worker reads the report and builds the HTML itself.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from documents.tasks import time_limit


@task()
def render_report_document(document_id: int) -> int | None:
    """Render one pending report document; its size in bytes, or None if nothing was stored."""
    from reports.pdf import document_render

    with time_limit(settings.PDF_RENDER_TIMEOUT):
        document = document_render(document_id=document_id)
    return document.size if document else None


@task()
def prerender_report(report_id: int) -> None:
    """Queue the rendering of a report's PDF in every language, before anyone asks."""
    from reports.pdf import document_prerender

    document_prerender(report_id=report_id)
