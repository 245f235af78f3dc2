"""Reads of a user's notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notifications.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
