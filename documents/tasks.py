"""The background jobs of the plan's PDF, run by ``manage.py worker`` (never in a web request).

A web request that finds no stored PDF claims a pending ``PlanDocument`` row
and queues ``render_document`` with the row's id (``documents.services.
document_request``); a version that enters consultation, council review or
approval queues ``prerender_version`` (``documents/apps.py``). The jobs carry
ids only: the worker reads the version from the database and builds the HTML
itself, so the queue holds no content and the PDF shows what the version
shows when it is rendered.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django_tasks import task


class RenderTimeout(Exception):
    """A rendering ran longer than ``PDF_RENDER_TIMEOUT`` seconds."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop the block with ``RenderTimeout`` after ``seconds`` (main thread only).

    The database queue's worker runs jobs in its main thread, so an alarm can
    interrupt WeasyPrint there; rq's worker has its own job timeout.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise RenderTimeout(f"PDF rendering took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@task()
def render_document(document_id: int) -> int | None:
    """Render one pending document; its size in bytes, or None if nothing was stored."""
    from documents.services import document_render

    with time_limit(settings.PDF_RENDER_TIMEOUT):
        document = document_render(document_id=document_id)
    return document.size if document else None


@task()
def recheck_document(document_id: int) -> None:
    """Render a stored document of a version under consultation or review again if it changed."""
    from documents.services import document_recheck

    with time_limit(settings.PDF_RENDER_TIMEOUT):
        document_recheck(document_id=document_id)


@task()
def prerender_version(version_id: int) -> None:
    """Queue the rendering of a version's PDF in every language, before anyone asks."""
    from documents.services import document_prerender

    document_prerender(version_id=version_id)
