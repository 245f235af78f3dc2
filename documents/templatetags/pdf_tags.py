"""Template helpers of the plan's PDF (templates/documents/pdf/).

The web pages' table tags link to other pages; a printed document names
things instead, and links only within itself.
"""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from plans.models import FundingSource, Priority
from plans.templatetags.plan_tags import indicator_grid

register = template.Library()


@register.filter
def pdf_header(obj):
    """How a row or column of a money table is named in the document."""
    if isinstance(obj, FundingSource):
        return obj.code
    if isinstance(obj, Priority):
        return f"{obj.code} {obj.title}"
    # Years are labels, not quantities: never "2 020".
    return str(obj)


# The web pages' indicator grid; only its table differs in print (documents/pdf/indicators.html).
register.simple_tag(indicator_grid, name="indicator_rows")


@register.filter
def pdf_nobreak_ranges(text):
    """Keep a range of years such as "2013–2020" on one line."""
    escaped = str(conditional_escape(text))
    return mark_safe(re.sub(r"(\d{4}–\d{4})", r'<span class="nowrap">\1</span>', escaped))
