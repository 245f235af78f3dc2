"""The staff outline's tree, from rows kept in the cache (plans/views/staff/outline_rows.py)."""

from django import template

from plans.views.staff.outline_rows import outline_tree_html

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_outline_tree(context):
    """``{% staff_outline_tree %}``: every row of ``tree`` with its children, and
    the "Go to an item" suggestions; the focus of ``focus_node`` after an edit."""
    return outline_tree_html(
        context.request,
        context["version"],
        context["tree"],
        editable=context["editable"],
        focus_node=context.get("focus_node"),
        focus_control=context.get("focus_control") or "line",
    )
