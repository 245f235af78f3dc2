"""Reads of a user's notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.db import transaction

from notifications.models import Notification
from planportal.extensions import export_datetime

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: User, *, known: int | None = None) -> int:
    """The count in every page's header.

    Counted by the database on every page (a fixed query), and kept in the
    shared cache for the pages served from the page cache, which read it with
    the page's generations (``known``) instead of querying. A kept count is
    forgotten on every write of the reader's notifications (``forget_unread``:
    the model's signals, and the services' bulk writes, which send none).
    """
    if known is not None:
        return known
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    caches["shared"].set(unread_key(user.pk), count, UNREAD_SECONDS)
    return count


# A safety net only: every write path forgets the count at once.
UNREAD_SECONDS = 60


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop the kept counts of these users, now and after the commit (a reader
    counting between the two would keep the old count)."""
    keys = [unread_key(user_id) for user_id in set(user_ids)]
    if not keys:
        return
    caches["shared"].delete_many(keys)
    transaction.on_commit(lambda: caches["shared"].delete_many(keys))


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
