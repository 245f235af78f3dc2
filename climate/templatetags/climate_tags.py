"""Display of climate quantities: rounded here, and only here."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from climate.constants import ACTION_SECTORS
from climate.models import SeapStatus
from plans.templatetags.plan_tags import quantity

register = template.Library()


@register.filter
def mwh(value):
    """MWh or t: one decimal where there is a fraction, thousands grouped."""
    if value is None or value == "":
        return ""
    return floatformat(value, "-1g")


@register.filter
def tonnes(value):
    return mwh(value)


@register.filter
def factor(value):
    """A factor, t CO2/MWh, to at most 4 decimals: 0,202 · 0,1384."""
    if value is None or value == "":
        return ""
    return quantity(Decimal(value).quantize(Decimal("0.0001")))


@register.filter
def percent(value):
    if value is None or value == "":
        return ""
    return floatformat(value, "1g")


@register.filter
def per_capita(value):
    if value is None or value == "":
        return ""
    return floatformat(value, "2g")


@register.filter
def seap_status(value):
    """A SEAP measure's status code (a report's frozen ``"delayed"``) in the reader's language."""
    try:
        return SeapStatus(value).label
    except ValueError:
        return value


@register.filter
def action_sector(value):
    """An action plan sector's code in the reader's language."""
    return dict(ACTION_SECTORS).get(value, value)
