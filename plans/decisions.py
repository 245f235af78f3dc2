"""What every council decision recorded in the portal must look like.

A version's approval (``council.services``) and a yearly report's
(``reports.services``) are both council decisions: a number as the council
gave it and a date that has passed. Each adds its own bounds on the date (after
the voting, after the report's year); the shared part lives here so the two
cannot disagree on what a decision number is.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

# Letters and digits in groups joined by one or two of "-", ".", "/" or a
# space: TS-402, 1-275, T-12/2021, A1.15.
DECISION_NUMBER = re.compile(r"^[^\W_]+(?:[-./ ]{1,2}[^\W_]+)*$")


def number_error(number: str) -> str | None:
    """What is wrong with a decision's number, or None."""
    if not number:
        return _("Enter the council decision's number, e.g. TS-402.")
    # A number with no non-zero digit ("0", "TS-0") is a placeholder, not a decision.
    if not DECISION_NUMBER.match(number) or not re.search(r"[1-9]", number):
        return _(
            "Enter the council decision's number as the council gave it: letters and digits, "
            "joined by “-”, “/” or “.”, e.g. TS-402."
        )
    return None


def missing_date() -> str:
    return _("Enter the date of the council decision.")


def date_error(date: datetime.date) -> str | None:
    """What is wrong with a decision's date on its own (in the future), or None."""
    if date > timezone.localdate():
        return _("The decision date cannot be in the future.")
    return None
