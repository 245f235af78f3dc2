"""Notifications: a row in the recipient's in-app list, and an e-mail.

``notify()`` is the one entry point every part of the portal uses (council
review here, consultations later). The in-app rows are written in the
caller's transaction; the e-mails leave only once that transaction commits,
so a rolled-back action never mails anyone. A mail server that is down costs
the e-mail (logged), never the action nor the in-app notification.

E-mails carry absolute links when ``PLANPORTAL_BASE_URL`` (e.g.
``https://planas.krs.lt``) is set; otherwise the path alone.

The helpers below are written against duck-typed objects so that they do
not depend on how the votings are stored: each docstring says what it reads.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from plans.models import Notification

from .roles import COUNCIL_GROUP, STAFF_GROUP

logger = logging.getLogger(__name__)

VERSION_SUBMITTED = "version_submitted"
VOTING_OPENED = "voting_opened"
VOTING_DEADLINE_NEAR = "voting_deadline_near"
VOTING_CLOSED = "voting_closed"


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
    *, users: Iterable, kind: str, subject: str, text: str = "", url: str = ""
) -> list[Notification]:
    """Notify each of ``users`` (in the app, and by e-mail when they have an address).

    ``subject`` and ``text`` are already translated by the caller (the portal
    speaks Lithuanian to everyone). Inactive users and duplicates are skipped.
    Returns the created notifications.
    """
    recipients = {user.pk: user for user in users if user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, subject=subject, text=text, url=url)
        for user in recipients
    )
    body = text
    if url:
        body = f"{text}\n\n{_absolute(url)}".strip()
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: _send_mail(messages))
    return notifications


# --- Who is notified -------------------------------------------------------------------


def _group_members(group: str, *, exclude_group: str | None = None):
    users = get_user_model().objects.filter(is_active=True, groups__name=group)
    if exclude_group:
        users = users.exclude(groups__name=exclude_group)
    return users.distinct().order_by("pk")


def council_recipients():
    """Active council members; staff who are also in the council group act as staff."""
    return _group_members(COUNCIL_GROUP, exclude_group=STAFF_GROUP)


def staff_recipients():
    """Active staff: the administration group and superusers (as ``roles.role_of`` sees them)."""
    users = get_user_model().objects.filter(is_active=True)
    return (
        users.filter(Q(groups__name=STAFF_GROUP) | Q(is_superuser=True)).distinct().order_by("pk")
    )


def _deadline_text(deadline) -> str:
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")


def _with_portal_language(func):
    """Mails go out in the portal's default language, whoever triggered them."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    wrapper.__doc__ = func.__doc__
    wrapper.__name__ = func.__name__
    return wrapper


# --- Council review events ------------------------------------------------------------


@_with_portal_language
def notify_council_version_submitted(version) -> list[Notification]:
    """Tell council members that ``version`` was submitted to them.

    Reads ``version.plan`` (its ``str``), ``version.get_label()`` and
    ``version.get_absolute_url()``.
    """
    subject = _("A draft was submitted to the council: %(plan)s, %(version)s") % {
        "plan": version.plan,
        "version": version.get_label(),
    }
    text = _("The draft is frozen for council review. You can read it and comment on it.")
    return notify(
        users=council_recipients(),
        kind=VERSION_SUBMITTED,
        subject=subject,
        text=text,
        url=version.get_absolute_url(),
    )


@_with_portal_language
def notify_council_voting_opened(voting) -> list[Notification]:
    """Tell council members that a voting opened.

    Reads ``voting.version`` (as for ``notify_council_version_submitted``),
    ``voting.deadline`` (an aware datetime or None) and
    ``voting.get_absolute_url()``.
    """
    version = voting.version
    subject = _("Voting opened: %(plan)s, %(version)s") % {
        "plan": version.plan,
        "version": version.get_label(),
    }
    if voting.deadline:
        text = _("Please cast your ballot by %(deadline)s.") % {
            "deadline": _deadline_text(voting.deadline)
        }
    else:
        text = _("Please cast your ballot.")
    return notify(
        users=council_recipients(),
        kind=VOTING_OPENED,
        subject=subject,
        text=text,
        url=voting.get_absolute_url(),
    )


@_with_portal_language
def notify_council_voting_deadline_near(voting) -> list[Notification]:
    """Remind the council members who have not voted yet that the deadline nears.

    Reads ``voting.version``, ``voting.deadline`` (an aware datetime),
    ``voting.get_absolute_url()`` and, when present, ``voting.ballots`` (a
    related manager whose rows have ``voter_id``) to skip those who voted.
    """
    version = voting.version
    recipients = council_recipients()
    ballots = getattr(voting, "ballots", None)
    if ballots is not None:
        recipients = recipients.exclude(pk__in=ballots.values("voter_id"))
    subject = _("The voting closes soon: %(plan)s, %(version)s") % {
        "plan": version.plan,
        "version": version.get_label(),
    }
    text = _("You have not voted yet. The voting closes at %(deadline)s.") % {
        "deadline": _deadline_text(voting.deadline)
    }
    return notify(
        users=recipients,
        kind=VOTING_DEADLINE_NEAR,
        subject=subject,
        text=text,
        url=voting.get_absolute_url(),
    )


@_with_portal_language
def notify_staff_voting_closed(voting) -> list[Notification]:
    """Tell staff that a voting closed, with its result.

    Reads ``voting.version``, ``voting.passed`` (bool), ``voting.votes_for``,
    ``voting.votes_against``, ``voting.votes_abstain``, ``voting.did_not_vote``
    (ints, may be None) and ``voting.get_absolute_url()``.
    """
    version = voting.version
    outcome = _("passed") if voting.passed else _("did not pass")
    subject = _("Voting closed (%(outcome)s): %(plan)s, %(version)s") % {
        "outcome": outcome,
        "plan": version.plan,
        "version": version.get_label(),
    }
    text = _(
        "For: %(for)s, against: %(against)s, abstained: %(abstain)s, did not vote: %(absent)s."
    ) % {
        "for": voting.votes_for or 0,
        "against": voting.votes_against or 0,
        "abstain": voting.votes_abstain or 0,
        "absent": voting.did_not_vote or 0,
    }
    return notify(
        users=staff_recipients(),
        kind=VOTING_CLOSED,
        subject=subject,
        text=text,
        url=voting.get_absolute_url(),
    )


# --- Reading and marking ----------------------------------------------------------------


def notifications_for(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications (or all, without an id) as read.

    Another user's notification is simply not found (0 is returned), so an id
    never tells whether it exists.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
