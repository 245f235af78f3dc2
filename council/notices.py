"""What the council's part tells people: the notifications of council review.

Each message is written in the portal's default language, whoever triggered
it, and sent through ``notifications.services.notify``.
"""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import (
    council_recipients,
    notify,
    staff_recipients,
    with_portal_language,
)

VERSION_SUBMITTED = "version_submitted"
VOTING_OPENED = "voting_opened"
VOTING_DEADLINE_NEAR = "voting_deadline_near"
VOTING_CLOSED = "voting_closed"


def _deadline_text(deadline) -> str:
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")


@with_portal_language
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


@with_portal_language
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


@with_portal_language
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


@with_portal_language
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
