"""The deep copy of a version's tree that a new draft starts from.

Called by ``services.version_create_draft`` under the plan's lock, and by
``services.plan_create`` for a plan that continues another one in a new
period; it writes into a draft that nobody else can see yet.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.apps import apps
from simple_history.utils import bulk_create_with_history

from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    PlanVersion,
    Priority,
    Task,
)


@dataclass(frozen=True)
class CopyReport:
    """What a copy left out: funding lines outside ``years``, and links to a
    development plan that the target's plan does not implement."""

    dropped_funding: int = 0
    dropped_links: int = 0


def copy_tree(
    source: PlanVersion,
    target: PlanVersion,
    user=None,
    *,
    new_keys: bool = False,
    years: range | None = None,
    keep_links: bool = True,
) -> CopyReport:
    """Copy every row of ``source``'s tree into ``target`` in a few bulk inserts.

    Each copied row also gets its first history record ("copied from version
    N"), so that the audit trail of the new draft shows the previous value of
    the first change made to it.

    A new version of the same plan keeps every node's and indicator's ``key``
    (versions are compared, reviewed and monitored by key). With ``new_keys``
    the nodes and indicators get keys of their own: a plan for a new period
    is a new document approved by a new council decision (docs/planning-law.md
    §7, "each year's SVP replaces the previous one"; a development plan's
    successor likewise), so its items are new items, not the old plan's items
    in a new version, and nothing (proposals, review threads, monitoring
    actuals) follows them from the old plan. ``years``, when given, keeps only
    the funding lines of those years; ``keep_links=False`` drops the measures'
    links to development-plan goals and tasks.
    """
    reason = f"copied from version {source.number}"  # plans/history.py filters on this
    keyed = {"key": lambda row: uuid.uuid4()} if new_keys else {}

    def clone(obj, **overrides):
        obj.pk = obj.id = None
        obj._state.adding = True
        for name, value in overrides.items():
            setattr(obj, name, value)
        return obj

    def copy(model, rows, **overrides_of):
        old_ids = [row.id for row in rows]
        objs = [clone(row, **{k: f(row) for k, f in overrides_of.items()}) for row in rows]
        created = bulk_create_with_history(
            objs, model, default_user=user, default_change_reason=reason
        )
        return dict(zip(old_ids, (obj.id for obj in created), strict=True))

    def rows(model, **filters):
        return list(model.objects.filter(**filters).order_by("id"))

    same = {"version": lambda row: target, "revision": lambda row: 1, **keyed}
    priority_map = copy(Priority, rows(Priority, version=source), **same)
    goal_map = copy(
        Goal, rows(Goal, version=source), priority_id=lambda g: priority_map[g.priority_id], **same
    )
    task_map = copy(Task, rows(Task, version=source), goal_id=lambda t: goal_map[t.goal_id], **same)
    measures = list(
        Measure.objects.filter(version=source).prefetch_related("co_executors").order_by("id")
    )
    co_executors = {m.id: [u.id for u in m.co_executors.all()] for m in measures}
    measure_map = copy(Measure, measures, task_id=lambda m: task_map[m.task_id], **same)
    through = Measure.co_executors.through
    partners = through.objects.bulk_create(
        [
            through(measure_id=measure_map[old], unit_id=unit_id)
            for old, units in co_executors.items()
            for unit_id in units
        ]
    )
    _record_copied_partners(partners, reason)
    indicator_map = copy(
        Indicator,
        rows(Indicator, version=source),
        goal_id=lambda i: goal_map.get(i.goal_id),
        task_id=lambda i: task_map.get(i.task_id),
        measure_id=lambda i: measure_map.get(i.measure_id),
        **same,
    )
    copy(
        IndicatorTarget,
        rows(IndicatorTarget, indicator__version=source),
        indicator_id=lambda t: indicator_map[t.indicator_id],
    )
    funding = rows(FundingLine, measure__version=source)
    kept_funding = [f for f in funding if years is None or f.year in years]
    copy(FundingLine, kept_funding, measure_id=lambda f: measure_map[f.measure_id])
    links = rows(MeasureLink, measure__version=source)
    kept_links = links if keep_links else []
    copy(MeasureLink, kept_links, measure_id=lambda link: measure_map[link.measure_id])
    return CopyReport(
        dropped_funding=len(funding) - len(kept_funding),
        dropped_links=len(links) - len(kept_links),
    )


def _record_copied_partners(partners, reason: str) -> None:
    """Put the copied co-executors into the copied measures' first history records.

    ``bulk_create_with_history`` writes a measure's record before its
    co-executors exist, so that record would hold none, and the first later
    change of the measure would show every co-executor as added by whoever
    made it. The record of the copy holds them instead: the history then
    says they came with the copy.
    """
    if not partners:
        return
    historical = Measure.history.model
    # django-simple-history's table of a record's co-executors (m2m_fields).
    partner_history = apps.get_model(
        historical._meta.app_label, f"{historical.__name__}_co_executors"
    )
    records = dict(
        historical.objects.filter(
            id__in={row.measure_id for row in partners}, history_change_reason=reason
        ).values_list("id", "history_id")
    )
    partner_history.objects.bulk_create(
        [
            partner_history(
                history_id=records[row.measure_id],
                id=row.id,
                measure_id=row.measure_id,
                unit_id=row.unit_id,
            )
            for row in partners
            if row.measure_id in records
        ]
    )
