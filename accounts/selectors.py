"""Reads of a resident's own data."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from consultations.selectors import personal_data
from notifications.selectors import notifications_for
from planportal.roles import role_of

from .models import EmailChange

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about ``user``, for the "download my data" file.

    The account's own fields, its pending e-mail change, its notifications
    and, from the consultations app, its proposals, supports and reports
    (``consultations.selectors.personal_data``). Only this user's data.
    """
    change = EmailChange.objects.filter(user=user).first()
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": role_of(user),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "pending_email_change": {
                "email": change.email,
                "requested_at": _iso(change.requested_at),
            }
            if change
            else None,
        },
        "notifications": [
            {
                "subject": n.subject,
                "text": n.text,
                "url": n.url,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in notifications_for(user).order_by("created_at", "pk")
        ],
        "consultations": personal_data(user=user),
        "exported_at": _iso(timezone.now()),
    }
