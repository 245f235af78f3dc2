"""A resident's personal data in the consultation when their account is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ..models import Proposal, ProposalRevision, Report, Support
from ._common import _bump_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def author_anonymise(*, user: User) -> int:
    """Detach a user's proposals before their account is deleted.

    What was public stays as it was: the proposals, with their text and
    answers, shown as by "Resident" (author removed, name no longer shown,
    the address hash dropped). What the author had taken back is erased: the
    text of each proposal they withdrew, and its earlier texts, become empty
    (the row stays, so numbers and counts of the table do not move). A
    withdrawn proposal that a moderator had hidden keeps its text for the
    moderators (the moderation record; never public). The user's supports
    and reports are deleted (they are about the person, not about the plan).
    Returns the number of proposals anonymised. Called by the accounts app
    inside its delete-account transaction.
    """
    withdrawn = Proposal.objects.filter(author=user, withdrawn_at__isnull=False, hidden=False)
    ProposalRevision.objects.filter(proposal__in=withdrawn).delete()
    withdrawn.update(text="")
    count = Proposal.objects.filter(author=user).update(
        author=None, show_name=False, address_hash=""
    )
    Support.objects.filter(user=user).delete()
    Report.objects.filter(user=user).delete()
    if count:
        _bump_on_commit()
    return count
