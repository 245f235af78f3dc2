"""The deep copy of a version's tree that a new draft starts from.

Called by ``services.version_create_draft`` under the plan's lock; it writes
into a draft that nobody else can see yet.
"""

from __future__ import annotations

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


def copy_tree(source: PlanVersion, target: PlanVersion, user=None) -> None:
    """Copy every row of ``source``'s tree into ``target`` in a few bulk inserts.

    Each copied row also gets its first history record ("copied from version
    N"), so that the audit trail of the new draft shows the previous value of
    the first change made to it.
    """
    reason = f"copied from version {source.number}"  # plans/history.py filters on this

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

    same = {"version": lambda row: target, "revision": lambda row: 1}
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
    through.objects.bulk_create(
        [
            through(measure_id=measure_map[old], unit_id=unit_id)
            for old, units in co_executors.items()
            for unit_id in units
        ]
    )
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
    copy(
        FundingLine,
        rows(FundingLine, measure__version=source),
        measure_id=lambda f: measure_map[f.measure_id],
    )
    copy(
        MeasureLink,
        rows(MeasureLink, measure__version=source),
        measure_id=lambda link: measure_map[link.measure_id],
    )
