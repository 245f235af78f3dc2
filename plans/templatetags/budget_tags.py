"""The budget page's table headers (templates/plans/includes/budget_table.html)."""

from django import template
from django.utils.html import format_html

from plans.models import FundingSource, Priority

register = template.Library()


@register.filter
def budget_label(obj) -> str:
    """A row's or column's name in words: the label of a cell shown as a card
    on a narrow screen ("A Aukšta gyvenimo kokybė", "SB Savivaldybės biudžetas")."""
    if isinstance(obj, Priority):
        return f"{obj.code} {obj.title}".strip()
    if isinstance(obj, FundingSource):
        return f"{obj.code} {obj.name}".strip()
    # Years are labels, not quantities: never "2 020".
    return str(obj)


@register.simple_tag
def budget_header(obj):
    """A column's header: a priority's or source's code, its name for screen
    readers (the legend under the table names it for the eye)."""
    if isinstance(obj, Priority | FundingSource):
        return format_html(
            '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>',
            obj.code,
            budget_label(obj),
        )
    return str(obj)
