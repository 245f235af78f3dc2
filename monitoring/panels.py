"""The "actual against target" panel of a node's page (a ``NodePanel``).

Rendered outside the node page's cached fragments (planportal/extensions.py),
so it follows the reader: the public sees published rounds, staff, council
and unit members open rounds too, marked "not yet published". An anonymous
reader's whole page may still be kept by the page cache for an approved
version; publishing a round therefore bumps the cache
(``services.round_publish``), and a published round takes no more entries.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal

from django.template.loader import render_to_string

from plans.models import IndicatorTarget, VersionStatus
from plans.words import words_for

from .charts import chart_of
from .models import MeasureImplementation, Milestone, RoundStatus
from .selectors import version_progress, visible_rounds

EarlierTargets = dict[uuid.UUID, dict[int, list[tuple[int, Decimal]]]]


def earlier_targets(version, indicators) -> EarlierTargets:
    """For each of ``indicators`` (by key), the targets that the plan's
    earlier approved or superseded versions set for a year and that differ
    from ``version``'s target of that year: {key: {year: [(version number,
    value)], newest version first}}. One query, however many indicators and
    versions: a reader sees that a target moved, and from what."""
    current = {(i.key, t.year): t.value for i in indicators for t in getattr(i, "target_list", [])}
    found: EarlierTargets = defaultdict(lambda: defaultdict(list))
    rows = (
        IndicatorTarget.objects.filter(
            indicator__version__plan_id=version.plan_id,
            indicator__version__status__in=[VersionStatus.APPROVED, VersionStatus.SUPERSEDED],
            indicator__version__number__lt=version.number,
            indicator__key__in=[i.key for i in indicators],
        )
        .order_by("-indicator__version__number", "year")
        .values_list("indicator__key", "indicator__version__number", "year", "value")
    )
    for key, number, year, value in rows:
        if current.get((key, year)) == value:
            continue
        shown = found[key][year]
        # An older version with the same earlier value says nothing new.
        if not shown or shown[-1][1] != value:
            shown.append((number, value))
    return found


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
    own = list(getattr(node, "indicator_list", []))
    earlier = earlier_targets(version, own) if own else {}
    for indicator in own:
        item = progress.indicators[indicator.pk]
        targets = {t.year: t.value for t in getattr(indicator, "target_list", [])}
        actuals = {a.year: a for a in item.actuals}
        moved = earlier.get(indicator.key, {})
        years = sorted(set(targets) | set(actuals) | set(moved))
        indicators.append(
            {
                "item": item,
                "chart": chart_of(
                    item,
                    chart_id=f"chart-{indicator.pk}",
                    earlier=[(year, values[0][1]) for year, values in sorted(moved.items())],
                ),
                "moved": bool(moved),
                "rows": [
                    {
                        "year": year,
                        "target": targets.get(year),
                        "earlier": moved.get(year, []),
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
        "milestones": _milestones(version, node) if level == "measure" else [],
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


def _milestones(version, measure) -> list[dict]:
    """The measure's milestones with whether each is late: not done by its
    planned date, or done after it (one query)."""
    today = datetime.date.today()
    rows = []
    for milestone in Milestone.objects.filter(
        plan_id=version.plan_id, measure_key=measure.key
    ).order_by("position", "id"):
        due, done = milestone.due, milestone.done_on
        late = due is not None and (done > due if done is not None else today > due)
        rows.append({"milestone": milestone, "late": late})
    return rows
