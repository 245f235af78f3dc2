"""Moderation (staff): hiding a proposal with a public reason, showing it again.

Both lock the proposal row. A proposal is also hidden automatically after
enough reports of distinct resident accounts (``proposal_report`` in
proposals.py, counted by ``resident_report_count``). Whenever a proposal is
hidden, its author is told why, in the portal and by e-mail
(``notifications.services.notify``); a hidden proposal can no longer be
edited (proposals.py), so the text the moderator judged stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications import services as notifications
from planportal.roles import COUNCIL_GROUP, STAFF_GROUP, require_staff

from ..models import Proposal, Report

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PROPOSAL_HIDDEN = "proposal_hidden"


@transaction.atomic
def proposal_hide(*, user: User, proposal: Proposal, reason: str) -> Proposal:
    """Staff hide a proposal with a public reason; the record and its text stay.

    Preconditions: ``user`` is staff; ``reason`` is not empty. The author (if
    the account still exists) is told, with the reason.
    """
    require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding the proposal.")})
    # Only the proposal's row is locked; the author, joined for the notice,
    # may be gone (a nullable join PostgreSQL cannot lock).
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("consultation", "author")
        .get(pk=proposal.pk)
    )
    proposal.hidden = True
    proposal.hidden_reason = reason[:500]
    proposal.hidden_at = timezone.now()
    proposal.hidden_by = user
    proposal.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    tell_author_hidden(proposal)
    return proposal


@transaction.atomic
def proposal_unhide(*, user: User, proposal: Proposal) -> Proposal:
    """Staff show a hidden proposal again (e.g. one hidden automatically by mistake)."""
    require_staff(user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.hidden = False
    proposal.hidden_reason = ""
    proposal.hidden_at = None
    proposal.hidden_by = user
    proposal.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    return proposal


def resident_report_count(proposal: Proposal) -> int:
    """How many distinct, active resident accounts reported ``proposal``.

    What the automatic hiding counts: staff hide by hand (with a reason) and
    council members are not residents, so their reports are left to the
    moderator; a deactivated account counts no more. One report per account
    is a unique constraint already; ``distinct`` keeps the count right
    should the group join repeat a row.
    """
    return (
        Report.objects.filter(proposal=proposal, user__is_active=True, user__is_superuser=False)
        .exclude(user__groups__name__in=[STAFF_GROUP, COUNCIL_GROUP])
        .values("user")
        .distinct()
        .count()
    )


def tell_author_hidden(proposal: Proposal) -> None:
    """Tell the author (in the portal and by e-mail) that ``proposal`` was
    hidden, and why. Nobody is told when the author's account is gone."""
    author = proposal.author
    if author is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notifications.notify(
            users=[author],
            kind=PROPOSAL_HIDDEN,
            subject=_("Your proposal was hidden: %(title)s")
            % {"title": proposal.consultation.title},
            text=_(
                "Your proposal No. %(number)d was hidden by the moderator. "
                "Reason: %(reason)s\n\n"
                "Its text is kept for the moderators, and it can no longer be edited. "
                "The reason is shown publicly in its place."
            )
            % {"number": proposal.public_number, "reason": proposal.hidden_reason},
            url=reverse("consultations:mine") + f"#proposal-{proposal.pk}",
        )
