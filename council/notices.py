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
REPORT_SUBMITTED = "report_submitted"


def _deadline_text(deadline) -> str:
    return formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")


def report_label(report) -> str:
    """A yearly report's name within its plan: "2020 implementation report, revision 2"."""
    label = _("%(year)d implementation report") % {"year": report.year}
    if report.revision > 1:
        label = _("%(title)s, revision %(revision)d") % {
            "title": label,
            "revision": report.revision,
        }
    return label


def _subject_names(voting) -> dict[str, object]:
    """The plan and the version's (or report's) label of what ``voting`` is on."""
    if voting.report_id is not None:
        return {"plan": voting.report.plan, "version": report_label(voting.report)}
    return {"plan": voting.version.plan, "version": voting.version.get_label()}


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

    Reads ``voting.version`` (as for ``notify_council_version_submitted``)
    or ``voting.report`` (its ``plan``, ``year`` and ``revision``),
    ``voting.deadline`` (an aware datetime or None) and
    ``voting.get_absolute_url()``.
    """
    subject = _("Voting opened: %(plan)s, %(version)s") % _subject_names(voting)
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

    Reads ``voting.version`` or ``voting.report``, ``voting.deadline`` (an
    aware datetime), ``voting.get_absolute_url()`` and, when present,
    ``voting.ballots`` (a related manager whose rows have ``voter_id``) to
    skip those who voted.
    """
    recipients = council_recipients()
    ballots = getattr(voting, "ballots", None)
    if ballots is not None:
        recipients = recipients.exclude(pk__in=ballots.values("voter_id"))
    subject = _("The voting closes soon: %(plan)s, %(version)s") % _subject_names(voting)
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

    Reads ``voting.version`` or ``voting.report``, ``voting.passed`` (bool), ``voting.votes_for``,
    ``voting.votes_against``, ``voting.votes_abstain``, ``voting.did_not_vote``
    (ints, may be None) and ``voting.get_absolute_url()``.
    """
    outcome = _("passed") if voting.passed else _("did not pass")
    subject = _("Voting closed (%(outcome)s): %(plan)s, %(version)s") % {
        "outcome": outcome,
        **_subject_names(voting),
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


@with_portal_language
def notify_council_report_submitted(report) -> list[Notification]:
    """Tell council members that a yearly report was submitted to them.

    Reads ``report.plan``, ``report.year``, ``report.revision`` and
    ``report.get_absolute_url()``.
    """
    subject = _("A report was submitted to the council: %(plan)s, %(report)s") % {
        "plan": report.plan,
        "report": report_label(report),
    }
    text = _(
        "The report's figures are frozen for council review. You can read it and comment on "
        "each section."
    )
    return notify(
        users=council_recipients(),
        kind=REPORT_SUBMITTED,
        subject=subject,
        text=text,
        url=report.get_absolute_url(),
    )
