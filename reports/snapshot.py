"""What a yearly implementation report shows, as plain data: its snapshot.

``build(report)`` reads the plan's monitoring data as it is now and returns
one JSON-serialisable dict; a draft's pages call it on every view (the live
data), ``services.report_submit`` stores its result in ``Report.snapshot``
and from then on every page, the API, the PDF and the XLSX annex read only
that stored dict. So a correction of an actual value after submission
changes nothing a submitted or approved report shows.

The dict holds codes, not labels (``status: "delayed"``), so that each
reader sees them in their language; numbers as strings (decimals keep their
digits in JSON); dates ISO. A change of this layout bumps ``SCHEMA`` and
keeps reading the older one, since approved reports are never rebuilt.

Schema 1::

    {"schema": 1, "year": 2018, "built_at": iso,
     "plan": {"id", "title", "municipality", "kind", "period_start", "period_end"},
     "version": {"id", "number", "label"},
     "round": {"id", "year", "published_at"},
     "summary": {"progress", "status", "measure_total", "not_reported",
                 "progress_counts": {ProgressStatus: n},
                 "implementation_counts": {ImplementationStatus: n},
                 "planned", "spent",                     # the year's money, all sources
                 "money_by_priority": [{"key", "code", "title", "planned", "spent"}],
                 "money_by_source": [{"code", "name", "planned", "spent"}],
                 "narrative": html},
     "priorities": [{"key", "code", "title", "progress", "status", "narrative",
        "goals": [{"key", "code", "title", "progress", "status", "narrative",
            "indicators": [{"key", "code", "name", "unit", "kind", "level",
                "node_code", "baseline", "baseline_year", "target", "target_year",
                "year_target", "actual", "actual_year", "progress", "status",
                "series": [{"year", "target", "actual"}]}],
            "measures": [{"key", "code", "title", "unit", "implementation",
                "progress", "status", "planned", "spent", "reason",
                "start_year", "end_year"}]}]}],
     "sections": {ReportSection.key: {...}}}

Progress is a float 0…1 or None; "status" a ``ProgressStatus``;
"implementation" an ``ImplementationStatus`` or None (not reported); money
in euros as strings with two decimals.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from monitoring.models import ImplementationStatus
from monitoring.progress import ProgressStatus
from monitoring.selectors import version_progress
from planportal.extensions import registry

from .narratives import narratives_of

if TYPE_CHECKING:
    from planportal.roles import AnyUser

    from .models import Report

SCHEMA = 1
CENT = Decimal("0.01")


def _num(value: Decimal | None) -> str | None:
    """A decimal as a string without trailing zeros ("12.5", "3"), or None."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    return text


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _section_key(level: str, node: Any) -> str:
    return f"{level}:{node.key}"


def build(report: Report, *, user: AnyUser | None = None) -> dict:
    """The report's content computed from the data as it is now.

    ``user`` decides which rounds' values count: None (the default, and what
    submission uses) counts published rounds only, as the public sees them;
    a draft's preview passes the staff member reading it, who sees the
    report's open round too. A fixed number of queries whatever the size of
    the plan: the tree's, the progress's, the narratives', and each
    registered ``ReportSection``'s own.
    """
    version = report.version
    plan = report.plan
    year = report.year
    progress = version_progress(version, user, until=year)
    tree = progress.tree
    narratives = narratives_of(report)

    planned_by_priority: dict[int, Decimal] = defaultdict(Decimal)
    spent_by_priority: dict[int, Decimal] = defaultdict(Decimal)
    sources: dict[int, dict] = {}

    def source_row(source) -> dict:
        row = sources.get(source.pk)
        if row is None:
            row = sources[source.pk] = {
                "code": source.code,
                "name": source.name,
                "position": source.position,
                "planned": Decimal("0"),
                "spent": Decimal("0"),
            }
        return row

    def indicator_row(indicator, level: str, node) -> dict:
        item = progress.indicators[indicator.pk]
        targets = {t.year: t.value for t in getattr(indicator, "target_list", [])}
        actuals = {a.year: a.value for a in item.actuals}
        latest = item.latest
        return {
            "key": str(indicator.key),
            "code": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "kind": indicator.kind,
            "level": level,
            "node_code": node.code,
            "baseline": _num(indicator.baseline_value),
            "baseline_year": indicator.baseline_year,
            "target": _num(item.target),
            "target_year": item.target_year,
            "year_target": _num(targets.get(year)),
            "actual": _num(latest.value) if latest else None,
            "actual_year": latest.year if latest else None,
            "progress": item.progress,
            "status": item.status,
            "series": [
                {"year": y, "target": _num(targets.get(y)), "actual": _num(actuals.get(y))}
                for y in sorted(set(targets) | set(actuals))
            ],
        }

    def measure_row(measure, priority) -> dict:
        entry = progress.implementations.get(measure.pk)
        planned = Decimal("0")
        for line in measure.funding_list:
            if line.year == year:
                planned += line.amount
                source_row(line.source)["planned"] += line.amount
        spent = Decimal("0")
        # Money spent is the report year's own entry; an earlier year's
        # status still tells how the measure stands.
        if entry is not None and entry.year == year:
            for line in entry.spent.all():
                spent += line.amount
                source_row(line.source)["spent"] += line.amount
        planned_by_priority[priority.pk] += planned
        spent_by_priority[priority.pk] += spent
        node = progress.of(measure)
        return {
            "key": str(measure.key),
            "code": measure.code,
            "title": measure.title,
            "unit": measure.responsible_unit.name if measure.responsible_unit else "",
            "implementation": entry.status if entry else None,
            "implementation_year": entry.year if entry else None,
            "progress": node.progress,
            "status": node.status,
            "planned": _money(planned),
            "spent": _money(spent),
            "reason": entry.note if entry else "",
            "start_year": measure.start_year,
            "end_year": measure.end_year,
        }

    priorities = []
    for priority in tree.priorities:
        goals = []
        for goal in priority.children:
            indicators = [indicator_row(i, "goal", goal) for i in goal.indicator_list]
            measures = []
            for task in goal.children:
                indicators += [indicator_row(i, "task", task) for i in task.indicator_list]
                for measure in task.children:
                    indicators += [
                        indicator_row(i, "measure", measure) for i in measure.indicator_list
                    ]
                    measures.append(measure_row(measure, priority))
            node = progress.of(goal)
            goals.append(
                {
                    "key": str(goal.key),
                    "code": goal.code,
                    "title": goal.title,
                    "progress": node.progress,
                    "status": node.status,
                    "narrative": narratives.get(_section_key("goal", goal), ""),
                    "indicators": indicators,
                    "measures": measures,
                }
            )
        node = progress.of(priority)
        priorities.append(
            {
                "key": str(priority.key),
                "code": priority.code,
                "title": priority.title,
                "progress": node.progress,
                "status": node.status,
                "narrative": narratives.get(_section_key("priority", priority), ""),
                "goals": goals,
            }
        )

    counts = progress.counts
    implemented = Counter(entry.status for entry in progress.implementations.values())
    planned_total = sum(planned_by_priority.values(), Decimal("0"))
    spent_total = sum(spent_by_priority.values(), Decimal("0"))
    summary = {
        "progress": progress.progress,
        "status": progress.status,
        "measure_total": len(tree.all_measures),
        "not_reported": len(tree.all_measures) - len(progress.implementations),
        "progress_counts": {value: counts.get(value, 0) for value in ProgressStatus.values},
        "implementation_counts": {
            value: implemented.get(value, 0) for value in ImplementationStatus.values
        },
        "planned": _money(planned_total),
        "spent": _money(spent_total),
        "money_by_priority": [
            {
                "key": str(p.key),
                "code": p.code,
                "title": p.title,
                "planned": _money(planned_by_priority[p.pk]),
                "spent": _money(spent_by_priority[p.pk]),
            }
            for p in tree.priorities
        ],
        "money_by_source": [
            {"code": row["code"], "name": row["name"], **_money_pair(row)}
            for row in sorted(sources.values(), key=lambda r: (r["position"], r["code"]))
        ],
        "narrative": narratives.get("summary", ""),
    }

    sections = {}
    for hook in registry.report_sections:
        content = hook.build(plan=plan, year=year, version=version)
        if content is not None:
            sections[hook.key] = content

    round_ = report.round
    return {
        "schema": SCHEMA,
        "year": year,
        "built_at": timezone.now().isoformat(),
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "municipality": plan.municipality,
            "kind": plan.kind,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
        },
        "version": {"id": version.pk, "number": version.number, "label": str(version)},
        "round": {
            "id": round_.pk,
            "year": round_.year,
            "published_at": round_.published_at.isoformat() if round_.published_at else None,
        },
        "summary": summary,
        "priorities": priorities,
        "sections": sections,
    }


def _money_pair(row: dict) -> dict:
    return {"planned": _money(row["planned"]), "spent": _money(row["spent"])}


def indicator_rows(snapshot: dict) -> list[dict]:
    """Every indicator row of a snapshot, in the report's order (the API's ``indicators``)."""
    return [
        row
        for priority in snapshot.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["indicators"]
    ]


def measure_rows(snapshot: dict) -> list[dict]:
    """Every measure row of a snapshot, in the report's order."""
    return [
        row
        for priority in snapshot.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["measures"]
    ]


def section_names(snapshot: dict) -> list[str]:
    """The names of a snapshot's sections, in order (what threads and narratives attach to)."""
    names = ["summary"]
    for priority in snapshot.get("priorities", []):
        names.append(f"priority:{priority['key']}")
        names += [f"goal:{goal['key']}" for goal in priority["goals"]]
    names += list(snapshot.get("sections", {}))
    return names
