"""What the report page shows from other parts and the snapshot's charts."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from planportal.extensions import registry

from ..charts import indicator_row_chart

register = template.Library()


@register.simple_tag(takes_context=True)
def report_panels(context, report, section: str) -> SafeString:
    """The ``ReportPanel`` hooks' HTML under one section of the report page.

    Each hook answers for the reader of this request (review's threads, the
    council's voting box), so the page is never kept in the page cache.
    """
    request = context.get("request")
    parts = [
        html for panel in registry.report_panels if (html := panel.render(request, report, section))
    ]
    if not parts:
        return mark_safe("")
    # A panel's HTML is its own app's rendered template, trusted like an include.
    return format_html_join("\n", "{}", ((mark_safe(html),) for html in parts))


@register.simple_tag
def report_chart(row: dict) -> SafeString:
    """The SVG chart of one indicator row of the snapshot (reports/charts.py)."""
    return indicator_row_chart(row, chart_id=f"report-chart-{row['key']}")


@register.filter
def section_name(node: dict, level: str) -> str:
    """The narrative section of a priority or goal of the snapshot: ``goal:<key>``."""
    return f"{level}:{node['key']}"
