"""Display of climate quantities: rounded here, and only here."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

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
