"""Template helpers for plan pages: numbers, indicator and money tables.

The tables are inclusion tags so that every page (and the PDF) lays out an
indicator or a budget the same way.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from planportal.extensions import registry
from plans.levels import LEVELS
from plans.lineage import stale_base
from plans.models import FundingSource, Priority
from plans.numbers import money_text, plain_number
from plans.words import words_for

register = template.Library()


@register.filter
def quantity(value):
    """An indicator value as typed: 40.0000 → "40", 12.5000 → "12,5" (plans/numbers.py)."""
    return plain_number(value)


# The same, by the helper's own name, for templates that show any plan figure.
register.filter("plain_number", quantity)


@register.filter
def money(value):
    """Euro with cents and thousands grouped the local way: "1 234 567,89"."""
    return money_text(value)


@register.filter
def tree_level(name):
    """The level called ``name`` in the registry (plans/levels.py): its child,
    parent and the kind-free labels (``in_kind`` gives a plan's own)."""
    return LEVELS.get(name)


@register.filter
def words(obj):
    """The level words of a plan, version or node (plans/words.py), no query:
    ``{% with words=version|words %}{{ words.priority.plural_label }}``.
    Views usually pass ``words`` in the context already."""
    return words_for(obj)


@register.filter
def in_kind(level, obj):
    """A level (its name or a ``Level``) as the kind of ``obj`` (a plan, version,
    node or ``Words``) names it: ``{{ "priority"|in_kind:plan }}`` is the
    ``KindLevel`` whose ``label`` is "Programa" in an action plan;
    ``{{ below.child|in_kind:version.plan }}``. None for an unknown level."""
    if level is None or str(level) not in LEVELS:
        return None
    return words_for(obj).level(level)


@register.simple_tag
def level_label(obj, level, attribute="label"):
    """One word of a level in the kind of ``obj``:
    ``{% level_label plan "priority" "plural_label" %}`` → "Programos"."""
    kind_level = in_kind(level, obj)
    return getattr(kind_level, attribute, "") if kind_level is not None else ""


@register.simple_tag
def level_text(words, name, **values):
    """A sentence of ``words.text`` with its values: ``{% level_text words
    "top_funding_caption" code=priority.code as caption %}``."""
    return words_for(words).phrase(name, **values)


@register.simple_tag
def grid_header(obj):
    """How a row or column of a money table is named: a year, a source or a priority."""
    if isinstance(obj, FundingSource):
        return format_html('<abbr title="{}">{}</abbr>', obj.name, obj.code)
    if isinstance(obj, Priority):
        return format_html(
            '<a href="{}"><span class="node-code">{}</span> {}</a>',
            reverse("plans:priority", args=[obj.version_id, obj.pk]),
            obj.code,
            obj.title,
        )
    # Years are labels, not quantities: never "2 020".
    return str(obj)


def indicator_grid(indicators) -> dict:
    """Indicators with a column per year that any of them has a target for.

    ``years`` (in order) and ``rows``: ``(indicator, [target value or None per year])``.
    The PDF's indicator table (pdf_tags.indicator_rows) lays out the same grid.
    """
    years = sorted({target.year for indicator in indicators for target in indicator.target_list})
    rows = []
    for indicator in indicators:
        by_year = {target.year: target.value for target in indicator.target_list}
        rows.append((indicator, [by_year.get(year) for year in years]))
    return {"years": years, "rows": rows}


@register.inclusion_tag("plans/includes/indicator_table.html")
def indicator_table(indicators, caption, table_id="indicators"):
    """Indicators as a table: a column per year that any indicator has a target for."""
    return {**indicator_grid(indicators), "caption": caption, "table_id": table_id}


@register.inclusion_tag("plans/includes/money_table.html")
def money_table(grid, caption, corner, table_id):
    """A ``MoneyGrid`` as a table with a total column and a total row."""
    return {"grid": grid, "caption": caption, "corner": corner, "table_id": table_id}


_UNSET = object()


@register.inclusion_tag("plans/includes/stale_base.html")
def stale_base_notice(version, stale=_UNSET) -> dict:
    """The warning for a version whose base is no longer in force (plans/lineage.py).

    Pass ``stale`` when the page has it already (a list page asks
    ``stale_bases`` once for all its versions, None meaning "not stale");
    otherwise one query for a version on its way to approval, none for an
    approved or superseded one.
    """
    if stale is _UNSET:
        stale = stale_base(version) if version is not None else None
    return {"stale": stale}


@register.simple_tag(takes_context=True)
def version_work_boxes(context, version) -> str:
    """The boxes other parts register for a version's next work (``VersionWorkBox``).

    plans does not know what they hold (council's submit and take back,
    review's open threads): they register them in planportal/extensions.py.
    """
    request = context.get("request")
    if request is None:
        return ""
    boxes = [html for box in registry.version_work_boxes if (html := box.render(request, version))]
    if not boxes:
        return ""
    return format_html(
        '<div class="version-work" id="version-work">{}</div>', mark_safe("".join(boxes))
    )
