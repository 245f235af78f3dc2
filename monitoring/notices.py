"""What monitoring tells people: questions on a value, and the reminders
that a round's due date nears. Written in the portal's default language and
sent through ``notifications.services.notify`` (like council/notices.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.models import Notification
from notifications.services import notify, with_portal_language

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .models import ItemComment, MonitoringRound

QUESTION_ASKED = "monitoring_question"
QUESTION_ANSWERED = "monitoring_answer"
ROUND_DUE_NEAR = "monitoring_due_near"


def unit_members(unit_ids) -> list[User]:
    """The active members of the units ``unit_ids``, each once."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, unit_memberships__unit_id__in=list(unit_ids))
        .distinct()
        .order_by("pk")
    )


@with_portal_language
def notify_question(comment: ItemComment, *, item_name: str, url: str, unit_ids) -> list:
    """Tell the members of the item's units that the coordinator asked about it."""
    subject = _("A question on your monitoring value: %(item)s") % {"item": item_name}
    return notify(
        users=unit_members(unit_ids),
        kind=QUESTION_ASKED,
        subject=subject,
        text=comment.text,
        url=url,
    )


@with_portal_language
def notify_answer(comment: ItemComment, *, item_name: str, url: str, users) -> list:
    """Tell whoever asked a still open question on the item that the unit answered."""
    subject = _("The unit answered your question: %(item)s") % {"item": item_name}
    return notify(users=users, kind=QUESTION_ANSWERED, subject=subject, text=comment.text, url=url)


@with_portal_language
def notify_due_near(
    round: MonitoringRound, *, user: User, missing: int, url: str
) -> list[Notification]:
    """Remind one unit member that ``missing`` of their items are not entered yet."""
    subject = _("Monitoring values are due on %(due)s: %(plan)s, %(year)s") % {
        "due": formats.date_format(round.due, "DATE_FORMAT"),
        "plan": round.plan,
        "year": round.year,
    }
    text = ngettext(
        "%(count)s of your unit's items has no value for %(year)s yet. Please enter it by %(due)s.",
        "%(count)s of your unit's items have no value for %(year)s yet. "
        "Please enter them by %(due)s.",
        missing,
    ) % {"count": missing, "year": round.year, "due": formats.date_format(round.due, "DATE_FORMAT")}
    return notify(users=[user], kind=ROUND_DUE_NEAR, subject=subject, text=text, url=url)
