"""Permission-scoped reads of plans, versions and their trees.

Every function here already does its joins and prefetches: a page or an API
endpoint that uses them runs the same number of queries however large the
plan grows (tests/plans/test_query_counts.py holds that).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404

from planportal.roles import can_see_drafts

from .models import (
    PUBLIC_STATUSES,
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)


def visible_statuses(user) -> set[str]:
    if can_see_drafts(user):
        return set(VersionStatus.values)
    return set(PUBLIC_STATUSES)


def versions_visible_to(user):
    return PlanVersion.objects.filter(status__in=visible_statuses(user)).select_related("plan")


def plans_with_current_version():
    """Plans, each with ``current`` set to its approved version (or None)."""
    plans = list(
        Plan.objects.prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.filter(status=VersionStatus.APPROVED),
                to_attr="approved_versions",
            )
        )
    )
    for plan in plans:
        plan.current = plan.approved_versions[0] if plan.approved_versions else None
    return plans


def current_version(plan) -> PlanVersion | None:
    return plan.versions.filter(status=VersionStatus.APPROVED).first()


def version_for_user(user, version_id) -> PlanVersion:
    """The version, if this user may read it; 404 for an unknown id, 403 for a hidden one."""
    try:
        version = PlanVersion.objects.select_related("plan").get(pk=version_id)
    except (PlanVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if version.status not in visible_statuses(user):
        raise PermissionDenied
    return version


def plan_versions_for_user(user, plan):
    return plan.versions.filter(status__in=visible_statuses(user)).order_by("-number")


@dataclass
class TreeFilter:
    """What a reader narrows the outline to; empty means everything."""

    q: str = ""
    unit: int | None = None
    source: int | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.q or self.unit or self.source or self.year)


@dataclass
class VersionTree:
    version: PlanVersion
    priorities: list = field(default_factory=list)
    goals: dict = field(default_factory=dict)
    tasks: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)

    def iter_nodes(self):
        for priority in self.priorities:
            yield priority
            for goal in priority.children:
                yield goal
                for task in goal.children:
                    yield task
                    yield from task.children

    @property
    def all_measures(self):
        return [m for p in self.priorities for g in p.children for t in g.children for m in t.children]

    @property
    def funding_total(self) -> Decimal:
        return sum((m.funding_total for m in self.all_measures), Decimal("0"))


def _indicators_by_owner(version):
    targets = IndicatorTarget.objects.filter(indicator__version=version).order_by("year")
    indicators = Indicator.objects.filter(version=version).prefetch_related(
        Prefetch("targets", queryset=targets, to_attr="target_list")
    )
    by_owner = defaultdict(list)
    for indicator in indicators:
        if indicator.goal_id:
            by_owner["goal", indicator.goal_id].append(indicator)
        elif indicator.task_id:
            by_owner["task", indicator.task_id].append(indicator)
        else:
            by_owner["measure", indicator.measure_id].append(indicator)
    return by_owner


def version_tree(version: PlanVersion, *, with_details: bool = True) -> VersionTree:
    """The whole tree of a version in a fixed number of queries.

    Each node gets ``children`` (a list, in order); goals, tasks and measures
    get ``indicator_list``; measures get ``funding_list``, ``funding_total`` and
    ``co_executor_list``.
    """
    tree = VersionTree(version=version)
    priorities = list(Priority.objects.filter(version=version).order_by("position", "id"))
    goals = list(Goal.objects.filter(version=version).order_by("position", "id"))
    tasks = list(Task.objects.filter(version=version).order_by("position", "id"))
    measures = Measure.objects.filter(version=version).order_by("position", "id")
    if with_details:
        measures = measures.select_related("responsible_unit").prefetch_related("co_executors")
    measures = list(measures)

    indicators = _indicators_by_owner(version) if with_details else defaultdict(list)
    funding = defaultdict(list)
    if with_details:
        lines = (
            FundingLine.objects.filter(measure__version=version)
            .select_related("source")
            .order_by("year", "source__position", "source__code")
        )
        for line in lines:
            funding[line.measure_id].append(line)

    for measure in measures:
        measure.children = []
        measure.indicator_list = indicators["measure", measure.id]
        measure.funding_list = funding[measure.id]
        measure.funding_total = sum((f.amount for f in measure.funding_list), Decimal("0"))
        measure.co_executor_list = list(measure.co_executors.all()) if with_details else []
        tree.measures[measure.id] = measure
    for task in tasks:
        task.children = []
        task.indicator_list = indicators["task", task.id]
        tree.tasks[task.id] = task
    for goal in goals:
        goal.children = []
        goal.indicator_list = indicators["goal", goal.id]
        tree.goals[goal.id] = goal
    for priority in priorities:
        priority.children = []
        tree.priorities.append(priority)
    by_priority = {p.id: p for p in priorities}
    for goal in goals:
        goal.parent_node = by_priority[goal.priority_id]
        goal.parent_node.children.append(goal)
    for task in tasks:
        task.parent_node = tree.goals[task.goal_id]
        task.parent_node.children.append(task)
    for measure in measures:
        measure.parent_node = tree.tasks[measure.task_id]
        measure.parent_node.children.append(measure)
    return tree


def filter_tree(tree: VersionTree, flt: TreeFilter) -> VersionTree:
    """Keep the measures that match and the ancestors that lead to them.

    A text query also matches goals, tasks and priorities by title, code or
    description; such a node is kept with all that is under it.
    """
    if not flt.active:
        return tree

    needle = flt.q.strip().casefold()

    def text_match(node) -> bool:
        if not needle:
            return True
        haystack = f"{node.code} {node.title} {node.description}".casefold()
        return needle in haystack

    def measure_match(measure) -> bool:
        if flt.unit and measure.responsible_unit_id != flt.unit and not any(
            u.id == flt.unit for u in measure.co_executor_list
        ):
            return False
        if flt.source and not any(f.source_id == flt.source for f in measure.funding_list):
            return False
        if flt.year:
            in_period = (measure.start_year or 0) <= flt.year <= (measure.end_year or 9999)
            funded = any(f.year == flt.year for f in measure.funding_list)
            if not (in_period or funded):
                return False
        return True

    structural = bool(flt.unit or flt.source or flt.year)
    kept = VersionTree(version=tree.version)
    for priority in tree.priorities:
        p_text = bool(needle) and text_match(priority)
        goals = []
        for goal in priority.children:
            g_text = p_text or (bool(needle) and text_match(goal))
            tasks = []
            for task in goal.children:
                t_text = g_text or (bool(needle) and text_match(task))
                measures = [
                    m
                    for m in task.children
                    if measure_match(m) and (t_text or not needle or text_match(m))
                ]
                if measures or (t_text and not structural):
                    task.children = measures if structural or not t_text else task.children
                    tasks.append(task)
            if tasks or (g_text and not structural):
                goal.children = tasks
                goals.append(goal)
        if goals or (p_text and not structural):
            priority.children = goals
            kept.priorities.append(priority)
    return kept


def search_query(q: str):
    return Q(title__icontains=q) | Q(description__icontains=q) | Q(code__iexact=q)
