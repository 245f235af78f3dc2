"""Changes between two years' reports as the compare page writes them.

A change carries its sign in text ("+1 234,50", "−3", a real minus sign),
so that it never depends on colour; the magnitude goes through the local
number format like every other figure (plans' ``money`` and ``quantity``).
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

from plans.templatetags.plan_tags import money, quantity

register = template.Library()

NONE = "–"


def _sign(value: Decimal | int | float) -> str:
    return "+" if value > 0 else "\u2212" if value < 0 else ""


@register.filter
def signed_money(value: Decimal | None) -> str:
    """A change of euros: "+1 234,50", "−20,00", "0,00"; "–" when unknown."""
    if value is None:
        return NONE
    return _sign(value) + money(abs(value))


@register.filter
def signed_quantity(value: Decimal | None) -> str:
    """A change of an indicator's value without meaningless zeros: "+2,5"."""
    if value is None:
        return NONE
    return _sign(value) + quantity(abs(value))


@register.filter
def signed_count(value: int | None) -> str:
    if value is None:
        return NONE
    return _sign(value) + formats.number_format(abs(value), use_l10n=True)


@register.filter
def points(value: float | None) -> str:
    """A change of progress (shares 0…1) in whole percentage points: "+12"."""
    if value is None:
        return NONE
    whole = round(value * 100)
    return _sign(whole) + formats.number_format(abs(whole), use_l10n=True)
