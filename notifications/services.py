"""Notifications: a row in the recipient's in-app list, and an e-mail.

``notify()`` is the one entry point every part of the portal uses (council
review in council/notices.py, consultations' answers …). The in-app rows are written in the
caller's transaction; the e-mails leave only once that transaction commits,
so a rolled-back action never mails anyone. A mail server that is down costs
the e-mail (logged), never the action nor the in-app notification.

E-mails carry absolute links when ``PLANPORTAL_BASE_URL`` (e.g.
``https://planas.krs.lt``) is set; otherwise the path alone.

What a message says belongs to the part that sends it; this module knows
only recipients, rows and mails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from notifications.models import Notification
from notifications.selectors import forget_unread
from planportal.roles import COUNCIL_GROUP, STAFF_GROUP

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

_P = ParamSpec("_P")
_R = TypeVar("_R")

logger = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    base = getattr(settings, "PLANPORTAL_BASE_URL", "").rstrip("/")
    return f"{base}{url}" if url.startswith("/") and base else url


def _send_mail(messages: list[tuple]) -> None:
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:
        # The notification is in the recipient's list already; losing the
        # e-mail must not turn the council's action into an error page.
        logger.exception("Sending %d notification e-mail(s) failed", len(messages))


def notify(
    *,
    users: Iterable[User],
    kind: str,
    subject: str,
    text: str = "",
    url: str = "",
    digest: bool = False,
    email_text: str = "",
) -> list[Notification]:
    """Notify each of ``users`` (in the app, and by e-mail when they have an address).

    ``subject`` and ``text`` are already translated by the caller (the portal
    speaks Lithuanian to everyone). ``email_text``, when given, is the whole
    e-mail instead of ``text`` and the link (a letter that carries its own
    links). Inactive users and duplicates are skipped. With ``digest``,
    nothing is mailed now: the notifications wait for the next
    ``digest_send`` of their kind, which mails each person once with all of
    them. Returns the created notifications.
    """
    recipients = {user.pk: user for user in users if user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            subject=subject,
            text=text,
            url=url,
            digest_pending=digest and bool(user.email),
        )
        for user in recipients
    )
    forget_unread()  # bulk_create sends no signal
    if digest:
        return notifications
    body = text
    if email_text:
        body = email_text
    elif url:
        body = f"{text}\n\n{_absolute(url)}".strip()
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: _send_mail(messages))
    return notifications


def digest_send(*, kinds: Collection[str], subject: str, intro: str = "") -> int:
    """Mail each person with pending digest notifications of ``kinds`` once, then mark them.

    One e-mail per recipient lists every pending notification (subject, text,
    link), oldest first. Each recipient's rows are locked, mailed and marked
    in one transaction: a run that fails to mail someone leaves their rows
    pending for the next run, and two runs at once do not mail anyone twice
    (on PostgreSQL the second waits for the lock and then finds nothing).
    Returns how many e-mails were sent. ``subject`` and ``intro`` are already
    translated by the caller.
    """
    pending = Notification.objects.filter(kind__in=kinds, digest_pending=True)
    recipient_ids = list(pending.values_list("recipient_id", flat=True).distinct().order_by())
    sent = 0
    for recipient_id in sorted(recipient_ids):
        try:
            with transaction.atomic():
                rows = list(
                    pending.filter(recipient_id=recipient_id)
                    .select_for_update()
                    .select_related("recipient")
                    .order_by("created_at", "id")
                )
                if not rows:
                    continue
                done = Notification.objects.filter(pk__in=[row.pk for row in rows])
                if not rows[0].recipient.email:
                    # The address was removed since: nothing to mail, ever.
                    done.update(digest_pending=False)
                    continue
                parts = [intro] if intro else []
                for row in rows:
                    lines = [row.subject, row.text, _absolute(row.url) if row.url else ""]
                    parts.append("\n".join(line for line in lines if line))
                done.update(digest_pending=False)
                send_mail(
                    subject,
                    "\n\n".join(parts),
                    settings.DEFAULT_FROM_EMAIL,
                    [rows[0].recipient.email],
                    fail_silently=False,
                )
        except Exception:
            # The rows stay pending (the transaction is rolled back): the
            # next run mails them.
            logger.exception("Sending the digest to user %s failed", recipient_id)
            continue
        sent += 1
    return sent


# --- Who is notified -------------------------------------------------------------------


def _group_members(group: str, *, exclude_group: str | None = None) -> QuerySet[User]:
    users = get_user_model().objects.filter(is_active=True, groups__name=group)
    if exclude_group:
        users = users.exclude(groups__name=exclude_group)
    return users.distinct().order_by("pk")


def council_recipients() -> QuerySet[User]:
    """Active council members; staff who are also in the council group act as staff."""
    return _group_members(COUNCIL_GROUP, exclude_group=STAFF_GROUP)


def staff_recipients() -> QuerySet[User]:
    """Active staff: the administration group and superusers (as ``roles.role_of`` sees them)."""
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(Q(groups__name=STAFF_GROUP) | Q(is_superuser=True)).distinct().order_by("pk")
    )


def with_portal_language(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mails go out in the portal's default language, whoever triggered them."""

    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = func.__name__
    return wrapper


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all, without an id) as read.

    Another user's notification is simply not found (0 is returned), so an id
    never tells whether it exists.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    count = unread.update(read_at=timezone.now())
    forget_unread()  # update() sends no signal
    return count
