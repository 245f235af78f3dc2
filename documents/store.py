"""The store's row operations that every rendered document shares.

A plan's PDF (``PlanDocument``) and a yearly report's (``reports.ReportDocument``)
are stored the same way: one row per content key, created pending by the
first request, rendered by the worker, queued again by exactly one request
when it was lost or failed a while ago. These functions work on either model
(any model with ``status``, ``requested_at``, ``error`` and ``file``), so the
two stores cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.models import DocumentStatus

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

# A pending document older than this is assumed lost (a worker died, or none
# was running) and queued again by the next request.
PENDING_RETRY_SECONDS = 15 * 60
# A failed rendering is queued again by a request at least this long after the
# failed attempt was queued: a document that cannot be rendered costs the
# worker one attempt a minute however many readers ask, not one per request.
FAILED_RETRY_SECONDS = 60

D = TypeVar("D", bound="Model")


def is_ready(document: Any) -> bool:
    """The row is rendered and its file is still in the storage."""
    return (
        document is not None
        and document.status == DocumentStatus.READY
        and bool(document.file)
        and default_storage.exists(document.file.name)
    )


def is_waiting(document: Any) -> bool:
    """A rendering is queued (or failed a moment ago): nothing to do but wait."""
    age = (timezone.now() - document.requested_at).total_seconds()
    if document.status == DocumentStatus.PENDING:
        return age < PENDING_RETRY_SECONDS
    if document.status == DocumentStatus.FAILED:
        return age < FAILED_RETRY_SECONDS
    return False


def requeue(document: Any) -> bool:
    """Make ``document`` pending again, if it needs it and no one else did first.

    A failed rendering past its pause, a pending one presumed lost and a ready
    one whose file is gone are queued again, by exactly one request: the row
    changes only if it is still as this request read it.
    """
    if is_waiting(document):
        return False
    now = timezone.now()
    won = (
        type(document)
        ._default_manager.filter(
            pk=document.pk, status=document.status, requested_at=document.requested_at
        )
        .update(status=DocumentStatus.PENDING, requested_at=now, error="")
    )
    if won:
        document.status, document.requested_at, document.error = DocumentStatus.PENDING, now, ""
    return bool(won)


def claim(model: type[D], lookup: dict[str, Any], **defaults: Any) -> tuple[D, bool]:
    """The row for this content, created pending (with ``defaults``) if there is none.

    Two requests that race to create it meet at the unique constraint; the
    loser reads the winner's row.
    """
    manager = model._default_manager
    document = manager.filter(**lookup).first()
    if document is not None:
        return document, False
    try:
        with transaction.atomic():
            return manager.create(**lookup, **defaults), True
    except IntegrityError:
        return manager.get(**lookup), False


def delete_documents(queryset: QuerySet[Any]) -> None:
    """Delete the rows now and their files once the transaction commits."""
    names = [name for name in queryset.values_list("file", flat=True) if name]
    queryset.delete()

    def remove_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(remove_files)
