"""Reads of a user's notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches

from notifications.models import Notification
from planportal.extensions import export_datetime

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User, *, generation: int | None = None, recount: bool = False) -> int:
    """The count in every page's header.

    ``generation``: the "notifications" counter of the page cache as this
    request read it (planportal/pagecache.py, ``request_counters``). Each
    worker keeps a reader's count under it, in its own memory; any write of
    any notification raises the counter (``forget_unread``), so a kept count
    is never older than the last write. A page served from the page cache
    uses the kept count; a page rendered now counts (``recount``), so that
    every render runs the same queries.
    """
    key = f"notifications:unread:{user.pk}:{generation}"
    if generation is not None and not recount:
        count = caches["pages"].get(key)
        if count is not None:
            return count
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    if generation is not None:
        caches["pages"].set(key, count, UNREAD_SECONDS)
    return count


# A safety net only: every write path raises the counter at once.
UNREAD_SECONDS = 300


def forget_unread() -> None:
    """Retire every kept unread count, now and after the commit (a reader
    counting between the two would keep the old count): for the writes that
    send no signal (bulk_create, update); the model's signals do the same."""
    from planportal import pagecache

    pagecache.bump_on_commit("notifications")


def personal_data(*, user: User) -> list[dict]:
    """A user's notifications for their data download (registered in apps.py)."""
    return [
        {
            "subject": n.subject,
            "text": n.text,
            "url": n.url,
            "created_at": export_datetime(n.created_at),
            "read_at": export_datetime(n.read_at),
        }
        for n in notifications_for(user).order_by("created_at", "pk")
    ]
