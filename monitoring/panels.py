"""The "actual against target" panel of a node's page (a ``NodePanel``).

Rendered outside the node page's cached fragments (planportal/extensions.py),
so it follows the reader: the public sees published rounds, staff, council
and unit members open rounds too, marked "not yet published". An anonymous
reader's whole page may still be kept by the page cache for an approved
version; publishing a round therefore bumps the cache
(``services.round_publish``), and a published round takes no more entries.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.template.loader import render_to_string

from plans.words import words_for

from .charts import chart_of
from .models import MeasureImplementation, RoundStatus
from .selectors import version_progress, visible_rounds


def _node(tree, level: str, node_id: int):
    if level == "priority":
        return next((p for p in tree.priorities if p.pk == node_id), None)
    return {"goal": tree.goals, "task": tree.tasks, "measure": tree.measures}[level].get(node_id)


def node_progress_panel(request, version, level, node_id, node_key) -> str:
    """Each indicator's chart and table, the node's progress and status, and
    for a measure its implementation by year with money planned and spent."""
    user = request.user
    rounds = list(visible_rounds(user, version.plan))
    if not rounds:
        return ""
    progress = version_progress(version, user)
    node = _node(progress.tree, level, node_id)
    if node is None:
        return ""
    open_years = {r.year for r in rounds if r.status == RoundStatus.OPEN}
    indicators = []
    for indicator in getattr(node, "indicator_list", []):
        item = progress.indicators[indicator.pk]
        targets = {t.year: t.value for t in getattr(indicator, "target_list", [])}
        actuals = {a.year: a for a in item.actuals}
        years = sorted(set(targets) | set(actuals))
        indicators.append(
            {
                "item": item,
                "chart": chart_of(item, chart_id=f"chart-{indicator.pk}"),
                "rows": [
                    {
                        "year": year,
                        "target": targets.get(year),
                        "actual": actuals.get(year),
                        "unpublished": year in open_years and year in actuals,
                    }
                    for year in years
                ],
            }
        )
    context = {
        "version": version,
        "words": words_for(version.plan),
        "level": level,
        "node": node,
        "progress": progress.of(node),
        "indicators": indicators,
        "implementation": _implementation(version, node, progress.years, open_years)
        if level == "measure"
        else None,
        "open_years": sorted(open_years),
    }
    return render_to_string("monitoring/public/node_panel.html", context, request=request)


def _implementation(version, measure, years, open_years) -> list[dict]:
    """The measure's status and money by year: planned (its funding lines)
    against spent (the entries' lines), over the years the reader sees and
    the years with planned money."""
    planned: defaultdict[int, Decimal] = defaultdict(Decimal)
    for line in measure.funding_list:
        planned[line.year] += line.amount
    entries = {
        entry.year: entry
        for entry in MeasureImplementation.objects.filter(
            plan=version.plan, measure_key=measure.key, year__in=years
        ).prefetch_related("spent")
    }
    rows = []
    for year in sorted(set(planned) | set(entries)):
        entry = entries.get(year)
        rows.append(
            {
                "year": year,
                "entry": entry,
                "planned": planned.get(year),
                "spent": sum((s.amount for s in entry.spent.all()), Decimal(0)) if entry else None,
                "unpublished": entry is not None and year in open_years,
            }
        )
    return rows
