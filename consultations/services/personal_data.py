"""A resident's personal data in the consultation when their account is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from ..models import Proposal, Report, Support
from ._common import _bump_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def author_anonymise(*, user: User) -> int:
    """Detach a user's proposals before their account is deleted.

    The proposals stay, with their text and answers, shown as by "Resident"
    (author removed, name no longer shown, the address hash dropped); the
    user's supports and reports are deleted (they are about the person, not
    about the plan). Returns the number of proposals anonymised. Called by
    the accounts app inside its delete-account transaction.
    """
    count = Proposal.objects.filter(author=user).update(
        author=None, show_name=False, address_hash=""
    )
    Support.objects.filter(user=user).delete()
    Report.objects.filter(user=user).delete()
    if count:
        _bump_on_commit()
    return count
