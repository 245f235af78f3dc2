"""Moderation (staff): hiding a proposal with a public reason, showing it again.

Both lock the proposal row. A proposal is also hidden automatically after
enough reports (``proposal_report`` in proposals.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal.roles import require_staff

from ..models import Proposal

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def proposal_hide(*, user: User, proposal: Proposal, reason: str) -> Proposal:
    """Staff hide a proposal with a public reason; the record and its text stay."""
    require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding the proposal.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.hidden = True
    proposal.hidden_reason = reason[:500]
    proposal.hidden_at = timezone.now()
    proposal.hidden_by = user
    proposal.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
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
