"""Reads of a user's notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifications.models import Notification
from planportal.extensions import export_datetime

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


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
