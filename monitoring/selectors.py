"""Permission-scoped reads of monitoring data: what a reader may see, and the
progress of a whole version in a fixed number of queries.

A year's values are public once its round is published; staff, council
members and unit members also see the years of open rounds (docs/monitoring.md).
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from planportal import roles
from plans.models import Indicator, Measure, Plan, PlanVersion
from plans.selectors import VersionTree, version_tree

from . import permissions
from .models import ActualValue, ItemComment, MeasureImplementation, MonitoringRound, RoundStatus
from .progress import Expected, ProgressStatus, indicator_progress, measure_progress, node_progress
from .progress import status_of as progress_status

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from django.db.models import QuerySet

    from planportal.roles import AnyUser
    from plans.levels import AnyNode


def sees_open_rounds(user: AnyUser | None) -> bool:
    """Staff, council members and unit members see a round's values before it is published."""
    return roles.can_see_drafts(user) or permissions.is_unit_member(user)


def visible_rounds(user: AnyUser | None, plan: Plan | int) -> QuerySet[MonitoringRound]:
    rounds = MonitoringRound.objects.filter(plan_id=getattr(plan, "pk", plan))
    if not sees_open_rounds(user):
        rounds = rounds.filter(status=RoundStatus.PUBLISHED)
    return rounds.order_by("year")


@dataclass
class IndicatorProgress:
    indicator: Indicator
    actuals: list[ActualValue]
    target: Decimal | None
    target_year: int | None
    progress: float | None
    status: str

    @property
    def latest(self) -> ActualValue | None:
        return self.actuals[-1] if self.actuals else None


@dataclass
class NodeProgress:
    level: str
    node: object
    progress: float | None
    status: str


@dataclass
class VersionProgress:
    version: PlanVersion
    tree: VersionTree
    years: list[int]
    """The years whose values the reader sees, oldest first."""
    indicators: dict[int, IndicatorProgress] = field(default_factory=dict)
    nodes: dict[tuple[str, int], NodeProgress] = field(default_factory=dict)
    implementations: dict[int, MeasureImplementation] = field(default_factory=dict)
    """The latest visible implementation entry of each measure, by measure id."""
    progress: float | None = None
    status: str = ProgressStatus.NO_DATA

    def of(self, node: AnyNode) -> NodeProgress:
        return self.nodes[node.tree_level.name, node.pk]

    @property
    def counts(self) -> Counter:
        """How many measures are in each progress status."""
        return Counter(self.nodes[("measure", m.pk)].status for m in self.tree.all_measures)


def version_progress(
    version: PlanVersion, user: AnyUser | None, *, until: int | None = None
) -> VersionProgress:
    """The progress of every indicator and node of ``version`` as ``user`` may
    see it, with the values up to ``until`` (a year; by default all visible).

    A fixed number of queries whatever the size of the plan: the tree's, the
    rounds', the actual values', the implementation entries' (with money).
    """
    tree = version_tree(version)
    plan = version.plan
    years = [r.year for r in visible_rounds(user, plan) if until is None or r.year <= until]
    result = VersionProgress(version=version, tree=tree, years=years)
    indicators = [
        indicator for node in tree.iter_nodes() for indicator in getattr(node, "indicator_list", [])
    ]
    actuals: defaultdict = defaultdict(list)
    for entry in ActualValue.objects.filter(
        plan=plan, indicator_key__in=[i.key for i in indicators], year__in=years
    ).order_by("year"):
        actuals[entry.indicator_key].append(entry)
    implementations: dict = {}
    for entry in (
        MeasureImplementation.objects.filter(
            plan=plan, measure_key__in=[m.key for m in tree.all_measures], year__in=years
        )
        .prefetch_related("spent__source")
        .order_by("year")
    ):
        implementations[entry.measure_key] = entry  # the latest year wins
    now = years[-1] if years else plan.period_start
    plan_expected = Expected(plan.period_start, plan.period_end).share(now)

    for indicator in indicators:
        targets = getattr(indicator, "target_list", [])
        final = targets[-1] if targets else None
        entries = actuals[indicator.key]
        progress = indicator_progress(
            baseline=indicator.baseline_value,
            target=final.value if final else None,
            actual=entries[-1].value if entries else None,
            direction=indicator.direction,
        )
        expected = Expected(
            indicator.baseline_year or plan.period_start,
            final.year if final else plan.period_end,
        ).share(entries[-1].year if entries else now)
        result.indicators[indicator.pk] = IndicatorProgress(
            indicator=indicator,
            actuals=entries,
            target=final.value if final else None,
            target_year=final.year if final else None,
            progress=progress,
            status=progress_status(progress, expected),
        )

    def own(node: AnyNode) -> list[float | None]:
        return [result.indicators[i.pk].progress for i in getattr(node, "indicator_list", [])]

    def record(
        level: str, node: AnyNode, progress: float | None, completed: bool = False
    ) -> float | None:
        result.nodes[level, node.pk] = NodeProgress(
            level=level,
            node=node,
            progress=progress,
            status=progress_status(progress, plan_expected, completed=completed),
        )
        return progress

    priority_values = []
    for priority in tree.priorities:
        goal_values = []
        for goal in priority.children:
            task_values = []
            for task in goal.children:
                measure_values, weights = [], []
                for measure in task.children:
                    entry = implementations.get(measure.key)
                    if entry is not None:
                        result.implementations[measure.pk] = entry
                    status = entry.status if entry else None
                    if status == "cancelled":
                        # A cancelled measure no longer counts towards its task.
                        record("measure", measure, None)
                        continue
                    value = measure_progress(own(measure), status)
                    measure_values.append(
                        record("measure", measure, value, completed=status == "completed")
                    )
                    weights.append(measure.funding_total)
                task_values.append(
                    record("task", task, node_progress(own(task), measure_values, weights))
                )
            goal_values.append(record("goal", goal, node_progress(own(goal), task_values)))
        priority_values.append(record("priority", priority, node_progress([], goal_values)))
    result.progress = node_progress([], priority_values)
    result.status = progress_status(result.progress, plan_expected)
    return result


# --- "My items": what a unit member enters in an open round ------------------------


@dataclass
class Item:
    """One measure or indicator to enter in a round, with what was planned
    for the year and what is entered so far."""

    kind: str  # ItemKind: "indicator" or "measure"
    node: object  # the Measure or the Indicator of the version in force
    units: frozenset[int]
    """The responsible units whose members enter it (none: the coordinator's)."""
    measure: object | None = None
    """The measure the item belongs to (an indicator's, when it has one)."""
    target: Decimal | None = None
    """An indicator's target for the round's year."""
    funding: list = field(default_factory=list)
    """A measure's planned funding lines for the round's year."""
    entry: ActualValue | MeasureImplementation | None = None
    open_questions: int = 0

    @property
    def key(self) -> uuid.UUID:
        return self.node.key  # type: ignore[attr-defined]

    @property
    def missing(self) -> bool:
        return self.entry is None

    @property
    def funding_total(self) -> Decimal:
        return sum((line.amount for line in self.funding), Decimal("0"))


@dataclass
class UnitCompleteness:
    unit: object | None  # a Unit; None for the coordinator's own items
    entered: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.entered + self.missing


def round_version(round: MonitoringRound) -> PlanVersion | None:
    """The version whose items a round collects: the plan's version in force."""
    return PlanVersion.objects.in_force_for(round.plan_id)


@dataclass(frozen=True)
class EntryItem:
    """An item of a version as the rule of ``permissions`` sees it."""

    kind: str  # "indicator" or "measure"
    node: Any  # the Indicator or Measure
    owner: Any  # the node the indicator belongs to (a measure: its task)
    units: frozenset[int]
    """The responsible units whose members enter it (none: the coordinator's)."""
    measure: Any | None = None
    """The measure an item belongs to (a measure itself; a measure's indicator's)."""


def entry_items(priorities: Iterable[Any]) -> Iterator[EntryItem]:
    """Every item of a loaded tree (nodes with ``children`` and, for goals,
    tasks and measures, ``indicator_list``), in tree order, with the units
    whose members enter it: the one place that applies ``permissions``'
    rule to a whole tree (pages, API and workbooks all read through it).
    """
    for priority in priorities:
        for goal in priority.children:
            for indicator in getattr(goal, "indicator_list", []):
                yield EntryItem("indicator", indicator, goal, frozenset())
            for task in goal.children:
                task_units = frozenset(
                    u for m in task.children for u in permissions.units_of_measure(m)
                )
                for indicator in getattr(task, "indicator_list", []):
                    yield EntryItem("indicator", indicator, task, task_units)
                for measure in task.children:
                    units = permissions.units_of_measure(measure)
                    yield EntryItem("measure", measure, task, units, measure=measure)
                    for indicator in getattr(measure, "indicator_list", []):
                        yield EntryItem("indicator", indicator, measure, units, measure=measure)


def entry_units_of(user: AnyUser | None) -> frozenset[int] | None:
    """The units whose items ``user`` enters; ``None`` for staff (every item).
    At most two queries (the role, the memberships)."""
    if roles.is_staff_member(user):
        return None
    return permissions.unit_ids_of(user)


def enterable(items: Iterable[EntryItem], units: frozenset[int] | None) -> list[EntryItem]:
    """The items of ``items`` that a reader entering ``units`` may enter
    (``None``: staff, all of them)."""
    if units is None:
        return list(items)
    return [item for item in items if item.units & units]


def round_items(round: MonitoringRound) -> list[Item]:
    """Every item of ``round`` (measures and indicators of the version in
    force), with its planned values and entry for the round's year.

    A fixed number of queries: the version tree's, the values', the
    implementation entries' (with money), the open questions'.
    """
    version = round_version(round)
    if version is None:
        return []
    year = round.year
    items = [
        Item(
            e.kind,
            e.node,
            e.units,
            measure=e.measure,
            funding=[f for f in e.node.funding_list if f.year == year]
            if e.kind == "measure"
            else [],
        )
        for e in entry_items(version_tree(version).priorities)
    ]
    for item in items:
        if item.kind == "indicator":
            item.target = next(
                (t.value for t in getattr(item.node, "target_list", []) if t.year == year), None
            )
    actuals = {
        a.indicator_key: a
        for a in ActualValue.objects.filter(
            plan_id=round.plan_id,
            year=year,
            indicator_key__in=[i.key for i in items if i.kind == "indicator"],
        )
    }
    implementations = {
        e.measure_key: e
        for e in MeasureImplementation.objects.filter(
            plan_id=round.plan_id,
            year=year,
            measure_key__in=[i.key for i in items if i.kind == "measure"],
        ).prefetch_related("spent__source")
    }
    questions = Counter(
        (kind, key)
        for kind, key in round.comments.filter(is_question=True, resolved_at=None).values_list(
            "item_kind", "item_key"
        )
    )
    for item in items:
        item.entry = (
            actuals.get(item.key) if item.kind == "indicator" else implementations.get(item.key)
        )
        item.open_questions = questions[item.kind, item.key]
    return items


def my_items(
    user: AnyUser | None, round: MonitoringRound, *, unit_id: int | None = None
) -> list[Item]:
    """The items of ``round`` that ``user`` enters: a unit member's units'
    (as ``permissions`` decides); staff see all, or one unit's (``unit_id``).
    Anyone else: none. Queries as ``round_items``, plus one for the units."""
    units = entry_units_of(user)
    if units is not None and not units:
        return []
    items = round_items(round)
    if units is not None:
        items = [i for i in items if i.units & units]
    if unit_id is not None:
        items = [i for i in items if unit_id in i.units]
    return items


def completeness(items: list[Item], round: MonitoringRound) -> list[UnitCompleteness]:
    """Entered and missing items per responsible unit (an item of several
    units counts for each); the coordinator's own items last. One query
    (the units' names)."""
    from plans.models import Unit

    by_unit: dict[int | None, UnitCompleteness] = {}
    for item in items:
        for unit_id in item.units or [None]:
            row = by_unit.setdefault(unit_id, UnitCompleteness(unit=None))
            if item.missing:
                row.missing += 1
            else:
                row.entered += 1
    names = Unit.objects.in_bulk([pk for pk in by_unit if pk is not None])
    for pk, row in by_unit.items():
        row.unit = names.get(pk) if pk is not None else None
    return sorted(by_unit.values(), key=lambda r: (r.unit is None, getattr(r.unit, "name", "")))


def open_rounds_for(user: AnyUser | None) -> QuerySet[MonitoringRound]:
    """The open rounds whose items ``user`` may enter (staff: all open rounds)."""
    rounds = MonitoringRound.objects.filter(status=RoundStatus.OPEN).select_related("plan")
    if roles.is_staff_member(user) or permissions.is_unit_member(user):
        return rounds.order_by("plan__title", "-year")
    return rounds.none()


def item_detail(round: MonitoringRound, node: Indicator | Measure) -> Item:
    """One item of ``round`` (a Measure or Indicator of the version in force)
    with its plan for the year, its entry and its comment thread."""
    from . import services

    year = round.year
    if isinstance(node, Measure):
        item = Item("measure", node, permissions.units_of_measure(node), measure=node)
        item.funding = list(node.funding.filter(year=year).select_related("source"))
        item.entry = (
            MeasureImplementation.objects.filter(
                plan_id=round.plan_id, measure_key=node.key, year=year
            )
            .prefetch_related("spent__source")
            .first()
        )
    else:
        item = Item("indicator", node, services.units_of(node), measure=node.measure)
        target = node.targets.filter(year=year).first()
        item.target = target.value if target else None
        item.entry = ActualValue.objects.filter(
            plan_id=round.plan_id, indicator_key=node.key, year=year
        ).first()
    return item


def item_comments(round: MonitoringRound, kind: str, key: uuid.UUID | str) -> QuerySet[ItemComment]:
    return round.comments.filter(item_kind=kind, item_key=key).select_related("author")


@dataclass
class RoundItems:
    indicators: list[int]
    measures: list[int]


def items_for(user: AnyUser | None, round: MonitoringRound) -> RoundItems:
    """The ids of the items of the plan's version in force that ``user`` may
    write in ``round`` (the rule of ``permissions``), in at most five queries:
    the version in force, the reader's role and units, the measures, the indicators.

    Staff may write every item; a unit member the measures their unit is
    responsible for, those measures' indicators and the indicators of the
    tasks those measures are under; anyone else nothing.
    """
    version = PlanVersion.objects.in_force_for(round.plan_id)
    if version is None or not user or not user.is_authenticated:
        return RoundItems(indicators=[], measures=[])
    units = entry_units_of(user)
    if units is not None and not units:
        return RoundItems(indicators=[], measures=[])
    chosen = enterable(entry_items(_bare_tree(version)), units)
    return RoundItems(
        indicators=sorted(e.node.pk for e in chosen if e.kind == "indicator"),
        measures=sorted(e.node.pk for e in chosen if e.kind == "measure"),
    )


def _bare_tree(version: PlanVersion) -> list[SimpleNamespace]:
    """Just enough of ``version``'s tree for ``entry_items``, in two queries
    (the measures, the indicators): who enters an item does not depend on
    priorities or on the goals' tasks, so one pseudo-priority and one
    pseudo-goal hold them all."""
    tasks: dict[int, SimpleNamespace] = {}
    measures: dict[int, SimpleNamespace] = {}
    for pk, task_id, unit_id in Measure.objects.filter(version=version).values_list(
        "pk", "task_id", "responsible_unit_id"
    ):
        task = tasks.setdefault(task_id, SimpleNamespace(children=[], indicator_list=[]))
        measure = SimpleNamespace(pk=pk, responsible_unit_id=unit_id, indicator_list=[])
        task.children.append(measure)
        measures[pk] = measure
    goal = SimpleNamespace(indicator_list=[], children=list(tasks.values()))
    for pk, task_id, measure_id in Indicator.objects.filter(version=version).values_list(
        "pk", "task_id", "measure_id"
    ):
        node = SimpleNamespace(pk=pk)
        if measure_id is not None:
            measures[measure_id].indicator_list.append(node)
        elif task_id is not None:
            if task_id not in tasks:  # a task without measures: the coordinator's
                tasks[task_id] = SimpleNamespace(children=[], indicator_list=[])
                goal.children.append(tasks[task_id])
            tasks[task_id].indicator_list.append(node)
        else:
            goal.indicator_list.append(node)
    return [SimpleNamespace(children=[goal])]


def actual_history(user: AnyUser | None, indicator: Indicator) -> QuerySet[ActualValue]:
    """``indicator``'s stored values of the years ``user`` sees, oldest first
    (one query, with who entered them)."""
    version = indicator.version
    years = visible_rounds(user, version.plan_id).values("year")
    return (
        ActualValue.objects.filter(plan_id=version.plan_id, indicator_key=indicator.key)
        .filter(year__in=years)
        .select_related("entered_by")
        .order_by("year")
    )


def implementation_history(
    user: AnyUser | None, measure: Measure
) -> QuerySet[MeasureImplementation]:
    """``measure``'s implementation entries of the years ``user`` sees, with the money spent."""
    version = measure.version
    years = visible_rounds(user, version.plan_id).values("year")
    return (
        MeasureImplementation.objects.filter(
            plan_id=version.plan_id,
            measure_key=measure.key,
        )
        .filter(year__in=years)
        .select_related("entered_by")
        .prefetch_related("spent__source")
        .order_by("year")
    )
