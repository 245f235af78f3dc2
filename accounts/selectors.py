"""Reads of a resident's own data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from planportal.extensions import export_datetime, registry
from planportal.roles import role_of

from .api_tokens import api_tokens_of
from .models import EmailChange
from .security import has_authenticator

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about ``user``, for the "download my data" file.

    The account's own fields and its pending e-mail change, then what each
    part that keeps personal data registered (its notifications; from the
    consultations app, its proposals, supports and reports). Only this
    user's data.
    """
    change = EmailChange.objects.filter(user=user).first()
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": role_of(user),
            "date_joined": export_datetime(user.date_joined),
            "last_login": export_datetime(user.last_login),
            "pending_email_change": {
                "email": change.email,
                "requested_at": export_datetime(change.requested_at),
            }
            if change
            else None,
        },
        # What signing in keeps: whether an authenticator is set up, and the
        # API tokens by their first characters (never a secret).
        "sign_in": {
            "two_factor": has_authenticator(user),
            "api_tokens": [
                {
                    "key": token.token_key[:8],
                    "created": export_datetime(token.created),
                    "expiry": export_datetime(token.expiry),
                }
                for token in api_tokens_of(user)
            ],
        },
        # Each part's own share (notifications, consultations …), which it
        # registers in planportal/extensions.py.
        **{part.key: part.export(user=user) for part in registry.personal_data},
        "exported_at": export_datetime(timezone.now()),
    }
