"""Plan figures written as people typed them.

Indicator values are stored with four decimal places (``DecimalField(...,
decimal_places=4)``), so the database gives back 10.5000 for the 10,5 that
was typed. Every page, the history and the edit forms show such a figure
through ``plain_number``: without the padding zeros, with the reader's
decimal separator and, in Lithuanian, a no-break space between thousands
(planportal/formats/lt/formats.py), "10,5", "1 234,5", "40".

Money is the exception and keeps its cents ("1 234,50", ``plan_tags.money``):
a column of euro sums is read by its cents, and the municipality's documents
write them so (the CSV writer follows the same rule, planportal/csvsafe.py).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.template.defaultfilters import floatformat
from django.utils import formats


def _trimmed(value) -> Decimal | None:
    """``value`` as a Decimal without trailing zeros (40.0000 → 40, not 4E+1)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    number = number.normalize()
    # normalize() writes whole tens in scientific notation (4E+1); a finite
    # value's exponent is an int.
    if number.as_tuple().exponent > 0:  # type: ignore[operator]
        number = number.quantize(Decimal(1))
    if number == 0:
        number = Decimal(0)  # "-0" and "0E-4" read as 0
    return number


def plain_number(value, *, grouping: bool = True) -> str:
    """A figure as typed, the reader's way: 10.5000 → "10,5", 1234.5 → "1 234,5".

    Whole numbers lose their decimals (40.0000 → "40"); negatives keep their
    sign; nothing (None, "") gives "". ``grouping=False`` leaves thousands
    ungrouped, for an input's value ("1234,5"), which the forms read back
    either way (``plans.forms.GroupedDecimalField``). A value that is not a
    number is returned as it came, so that a filter never hides what it was given.
    """
    number = _trimmed(value)
    if number is None:
        return "" if value is None or value == "" else str(value)
    return formats.number_format(number, use_l10n=True, force_grouping=grouping)


def money_text(value) -> str:
    """Euro with cents and thousands grouped the reader's way: "1 234 567,89";
    nothing gives "". The ``money`` filter of ``plan_tags``."""
    if value is None or value == "":
        return ""
    return floatformat(value, "2g")


def figure_text(value, decimal_places: int | None) -> str:
    """A stored figure by the places of its field: money (two) with its cents,
    a quantity (four) as typed."""
    if decimal_places is not None and decimal_places <= 2:
        return money_text(value)
    return plain_number(value)
