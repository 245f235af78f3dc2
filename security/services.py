"""Writes of the security log: ``record`` an event, ``prune`` old ones."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from planportal.ratelimit import address_hash, client_address
from security.context import current_request
from security.models import SecurityEvent

if TYPE_CHECKING:
    from planportal.roles import AnyUser

# What a stored repr or detail may hold at most: a log line, not a copy of the data.
MAX_TEXT = 500


def _clip(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, dict):
        return {str(key): _clip(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clip(item) for item in value]
    return value


def record(
    *,
    kind: str,
    actor: AnyUser | None = None,
    username: str = "",
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    target_repr: str = "",
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Add one event to the log.

    ``request`` defaults to the request being answered (``security.context``),
    whose address is stored as its keyed hash; ``actor`` defaults to that
    request's user. ``target`` (a row) gives the object's type, id and repr;
    ``details`` must be JSON and must not hold a password or a token.
    """
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    if actor is not None:
        username = username or actor.get_username()
        if actor.pk is None:
            actor = None  # An account deleted in this request (logged out after): its name stays.
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or target.pk
        target_repr = target_repr or str(target)
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor,
        username=username[:150],
        address_hash=address_hash(client_address(request)) if request is not None else "",
        target_type=target_type[:100],
        target_id=str(target_id if target_id is not None else "")[:64],
        target_repr=str(target_repr)[:255],
        details=_clip(details or {}),
    )


def prune(*, now: datetime.datetime | None = None, days: int | None = None) -> int:
    """Delete the events older than the retention period; returns how many.

    ``days`` defaults to ``SECURITY_LOG_RETENTION_DAYS``; 0 keeps everything.
    """
    days = settings.SECURITY_LOG_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
