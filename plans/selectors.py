"""Permission-scoped reads of plans, versions and their trees.

Every function here already does its joins and prefetches: a page or an API
endpoint that uses them runs the same number of queries however large the
plan grows (tests/plans/test_query_counts.py holds that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404

from planportal.roles import can_see_drafts
from plans.levels import LEVELS
from plans.models import (
    PUBLIC_STATUSES,
    FundingLine,
    FundingSource,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    Node,
    Plan,
    PlanVersion,
    Priority,
    Task,
    Unit,
    VersionStatus,
)
from plans.search import search_levels

if TYPE_CHECKING:
    from planportal.roles import AnyUser
    from plans.levels import AnyNode

# The keys of a money table's rows and columns (years, priority or source ids).
_RowKey = TypeVar("_RowKey")
_ColumnKey = TypeVar("_ColumnKey")


def visible_statuses(user: AnyUser | None) -> set[str]:
    if can_see_drafts(user):
        return set(VersionStatus.values)
    return set(PUBLIC_STATUSES)


def versions_visible_to(user: AnyUser | None) -> QuerySet[PlanVersion]:
    return PlanVersion.objects.filter(status__in=visible_statuses(user)).select_related("plan")


def plans_with_current_version() -> Sequence[Plan]:
    """Plans, each with ``current`` set to its approved version (or None)."""
    plans = list(
        Plan.objects.prefetch_related(
            Prefetch(
                "versions",
                queryset=PlanVersion.objects.in_force(),
                to_attr="approved_versions",
            )
        )
    )
    for plan in plans:
        plan.current = plan.approved_versions[0] if plan.approved_versions else None
    return plans


def version_for_user(user: AnyUser | None, version_id: int | str) -> PlanVersion:
    """The version, if this user may read it; 404 for an unknown id, 403 for a hidden one."""
    try:
        version = PlanVersion.objects.select_related("plan").get(pk=version_id)
    except (PlanVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if version.status not in visible_statuses(user):
        raise PermissionDenied
    return version


def plan_versions_for_user(user: AnyUser | None, plan: Plan) -> QuerySet[PlanVersion]:
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
        return bool(self.q or self.structural)

    @property
    def structural(self) -> bool:
        """Whether a filter on measures (unit, source, year) is set."""
        return bool(self.unit or self.source or self.year)


@dataclass
class VersionTree:
    version: PlanVersion
    priorities: list[Priority] = field(default_factory=list)
    goals: dict[int, Goal] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    measures: dict[int, Measure] = field(default_factory=dict)

    def iter_nodes(self) -> Iterator[AnyNode]:
        for priority in self.priorities:
            yield priority
            for goal in priority.children:
                yield goal
                for task in goal.children:
                    yield task
                    yield from task.children

    @property
    def all_measures(self) -> list[Measure]:
        return [
            m for p in self.priorities for g in p.children for t in g.children for m in t.children
        ]

    @property
    def funding_total(self) -> Decimal:
        return sum((m.funding_total for m in self.all_measures), Decimal("0"))


def _indicators_by_owner(version: PlanVersion) -> defaultdict[tuple[str, int], list[Indicator]]:
    targets = IndicatorTarget.objects.filter(indicator__version=version).order_by("year")
    indicators = Indicator.objects.filter(version=version).prefetch_related(
        Prefetch("targets", queryset=targets, to_attr="target_list")
    )
    by_owner: defaultdict[tuple[str, int], list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        level = indicator.owner_level
        by_owner[level, getattr(indicator, f"{level}_id")].append(indicator)
    return by_owner


def version_tree(version: PlanVersion, *, with_details: bool = True) -> VersionTree:
    """The whole tree of a version in a fixed number of queries.

    Each node gets ``children`` (a list, in order); goals, tasks and measures
    get ``indicator_list``; measures get ``funding_list``, ``funding_total``,
    ``co_executor_list`` and ``link_list`` (the development plan's goals and
    tasks they implement).
    """
    tree = VersionTree(version=version)
    priorities = list(Priority.objects.filter(version=version).order_by("position", "id"))
    goals = list(Goal.objects.filter(version=version).order_by("position", "id"))
    tasks = list(Task.objects.filter(version=version).order_by("position", "id"))
    measures = Measure.objects.filter(version=version).order_by("position", "id")
    if with_details:
        measures = measures.select_related(
            "responsible_unit", "appropriation_manager"
        ).prefetch_related("co_executors")
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
    links = defaultdict(list)
    if with_details:
        for link in MeasureLink.objects.filter(measure__version=version).order_by("position", "id"):
            links[link.measure_id].append(link)

    for measure in measures:
        measure.children = []
        measure.indicator_list = indicators["measure", measure.id]
        measure.funding_list = funding[measure.id]
        measure.funding_total = sum((f.amount for f in measure.funding_list), Decimal("0"))
        measure.funding_count = len(measure.funding_list)  # as outline_tree's
        measure.co_executor_list = list(measure.co_executors.all()) if with_details else []
        measure.link_list = links[measure.id]
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


# What a row of the staff outline shows, and nothing else: the node's place
# and title; for a measure its unit, years, funding total and indicator count.
_OUTLINE_FIELDS = ("id", "key", "code", "position", "title", "version_id")


def outline_tree(version: PlanVersion) -> VersionTree:
    """The tree as the staff outline shows it, in a fixed number of queries.

    Lighter than ``version_tree``: no descriptions, indicator targets, funding
    lines, co-executors or links are loaded as model objects (the outline of
    the demo's draft spent a third of its time building them). Measures get
    ``funding_count`` and ``funding_total`` (summed by the database) and
    ``indicator_count``; every node gets
    ``children`` and ``parent_node``.
    """
    tree = VersionTree(version=version)
    priorities = list(
        Priority.objects.filter(version=version).only(*_OUTLINE_FIELDS).order_by("position", "id")
    )
    goals = list(
        Goal.objects.filter(version=version)
        .only(*_OUTLINE_FIELDS, "priority_id")
        .order_by("position", "id")
    )
    tasks = list(
        Task.objects.filter(version=version)
        .only(*_OUTLINE_FIELDS, "goal_id")
        .order_by("position", "id")
    )
    measures = list(
        Measure.objects.filter(version=version)
        .select_related("responsible_unit")
        .only(*_OUTLINE_FIELDS, "task_id", "start_year", "end_year", "responsible_unit__name")
        .order_by("position", "id")
    )
    # One row per measure rather than one per line (the demo's 2013–2020 plan
    # has ten lines a measure); the sum is exact on PostgreSQL and, on
    # SQLite, rounded to the field's two decimals like every amount it reads.
    funding = {
        row["measure_id"]: (row["lines"], row["total"])
        for row in FundingLine.objects.filter(measure__version=version)
        .order_by()
        .values("measure_id")
        .annotate(lines=Count("id"), total=Sum("amount"))
    }
    indicators: defaultdict[int, int] = defaultdict(int)
    for measure_id in Indicator.objects.filter(version=version, measure__isnull=False).values_list(
        "measure_id", flat=True
    ):
        indicators[measure_id] += 1
    for measure in measures:
        measure.children = []
        measure.funding_count, measure.funding_total = funding.get(measure.id, (0, Decimal("0")))
        measure.indicator_count = indicators[measure.id]
        tree.measures[measure.id] = measure
    for priority in priorities:
        priority.children = []
    for goal in goals:
        goal.children = []
    for task in tasks:
        task.children = []
    tree.priorities = priorities
    by_priority = {p.id: p for p in priorities}
    tree.goals = {g.id: g for g in goals}
    tree.tasks = {t.id: t for t in tasks}
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


def measure_passes(measure: Measure, flt: TreeFilter) -> bool:
    """Whether a measure passes the unit, source and year filters."""
    if (
        flt.unit
        and measure.responsible_unit_id != flt.unit
        and not any(unit.id == flt.unit for unit in measure.co_executor_list)
    ):
        return False
    if flt.source and not any(line.source_id == flt.source for line in measure.funding_list):
        return False
    if flt.year:
        # A measure "runs" in a year of its period, or in a year it has
        # money for (funding can start before the measure formally does).
        in_period = (measure.start_year or 0) <= flt.year <= (measure.end_year or 9999)
        funded = any(line.year == flt.year for line in measure.funding_list)
        if not (in_period or funded):
            return False
    return True


def filter_tree(tree: VersionTree, flt: TreeFilter) -> VersionTree:
    """Keep the measures that pass the unit, source and year filters and the
    ancestors that lead to them; a branch without one disappears.

    The text query is not applied here: a search lists the nodes whose own
    text matches, ranked (``plans.selectors_search.search_tree``).

    The nodes' ``children`` lists are replaced: the tree passed in is spent.
    """
    if not flt.structural:
        return tree
    kept = VersionTree(version=tree.version)
    for priority in tree.priorities:
        goals = []
        for goal in priority.children:
            tasks = []
            for task in goal.children:
                measures = [m for m in task.children if measure_passes(m, flt)]
                if measures:
                    task.children = measures
                    tasks.append(task)
            if tasks:
                goal.children = tasks
                goals.append(goal)
        if goals:
            priority.children = goals
            kept.priorities.append(priority)
    return kept


def search_nodes(queryset: QuerySet[AnyNode], q: str) -> QuerySet[AnyNode]:
    """The nodes of ``queryset`` whose own title or description (or, for a
    code such as "D.1.3", whose code) match every term of ``q``, by
    Lithuanian word forms (``plans.search``).

    One query reads the candidates' texts (with PostgreSQL's stems), the
    queryset returned is filtered to the matches by id.
    """
    hits = search_levels({queryset.model.__name__.lower(): queryset}, q)
    return queryset.filter(pk__in=[hit.node_id for hit in hits])


# --- Public pages -------------------------------------------------------------


def plan_page_versions(
    user: AnyUser | None, plan_id: int | str
) -> tuple[Plan, PlanVersion | None, list[PlanVersion]]:
    """The plan, its version in force (or None) and the versions ``user`` may
    see, newest first: one query, two when the user sees no version at all.

    The public plan page is the most read page of the portal, hence one query
    where three would read more naturally.
    """
    versions = list(
        PlanVersion.objects.select_related("plan")
        .filter(plan_id=plan_id, status__in=visible_statuses(user))
        .order_by("-number")
    )
    if versions:
        plan = versions[0].plan
        for version in versions:
            version.plan = plan
    else:
        try:
            plan = Plan.objects.get(pk=plan_id)
        except (Plan.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
    current = next((v for v in versions if v.is_in_force), None)
    return plan, current, versions


# Rows shown with a node wherever it appears on a page: a measure's units.
NODE_EXTRAS = {"measure": ("responsible_unit", "appropriation_manager")}


def node_related(level: str) -> list[str]:
    """The ``select_related`` paths of a node's page: its ancestors, top first
    (one path loads them all) and, for a measure, its responsible unit."""
    info = LEVELS[level]
    return [*filter(None, [info.ancestors_lookup]), *NODE_EXTRAS.get(level, ())]


def node_detail(version: PlanVersion, level: str, node_id: int | str) -> AnyNode:
    """One node of ``version`` with what its page shows, in a fixed number of queries.

    The node gets ``level``, ``ancestors`` (priority first, each with its
    ``level``), ``children`` and, below
    priorities, ``indicator_list`` (each indicator with ``target_list``);
    a measure also gets ``co_executor_list`` and ``funding_list``. A node of
    another version is a 404, whatever its id.
    """
    info = LEVELS[level]
    model = info.model
    try:
        node = model.objects.select_related(*node_related(level)).get(version=version, pk=node_id)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

    node.level = level
    ancestors: list[Node] = []
    parent = node.parent
    while parent is not None:
        parent.level = parent.tree_level.name
        ancestors.insert(0, parent)
        parent = parent.parent
    node.ancestors = ancestors

    child = info.child
    if child is None:
        node.children = []
    else:
        children = child.model.objects.filter(**{child.parent_field: node})
        node.children = list(
            children.select_related(*NODE_EXTRAS.get(child.name, ())).order_by("position", "id")
        )

    if info.has_indicators:
        targets = IndicatorTarget.objects.order_by("year")
        # A goal, a task or a measure (``has_indicators``), which mypy cannot
        # tell from the level's name.
        node.indicator_list = list(  # type: ignore[union-attr]
            Indicator.objects.filter(**{level: node})
            .order_by("position", "id")
            .prefetch_related(Prefetch("targets", queryset=targets, to_attr="target_list"))
        )
    if isinstance(node, Measure):  # level == "measure"
        node.co_executor_list = list(node.co_executors.all())
        node.funding_list = list(
            node.funding.select_related("source").order_by(
                "year", "source__position", "source__code"
            )
        )
        node.funding_total = sum((line.amount for line in node.funding_list), Decimal("0"))
    return node


# The paths that load an indicator's owner with all its ancestors, whichever
# level owns it (two of the three joins find nothing).
_INDICATOR_OWNER_PATHS = [
    f"{level}__{LEVELS[level].ancestors_lookup}" for level in ("goal", "task", "measure")
]


@dataclass
class IndicatorCard:
    """An indicator with what its description card's page shows around it."""

    indicator: Indicator
    """With ``target_list``: its targets by year."""
    ancestors: list[Node]
    """The indicator's owner and the nodes above it, top first, each with ``level``."""

    @property
    def owner(self) -> Node:
        return self.ancestors[-1]

    @property
    def level(self) -> str:
        """The level of the indicator's owner: "goal", "task" or "measure"."""
        return self.indicator.owner_level


def indicator_detail(version: PlanVersion, indicator_id: int | str) -> IndicatorCard:
    """One indicator of ``version`` for its description card: two queries
    however many targets it has. An indicator of another version is a 404,
    whatever its id."""
    targets = IndicatorTarget.objects.order_by("year")
    try:
        indicator = (
            Indicator.objects.select_related(*_INDICATOR_OWNER_PATHS)
            .prefetch_related(Prefetch("targets", queryset=targets, to_attr="target_list"))
            .get(version=version, pk=indicator_id)
        )
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    indicator.version = version
    ancestors: list[Node] = []
    node = indicator.owner
    while node is not None:
        node.level = node.tree_level.name
        ancestors.insert(0, node)
        node = node.parent
    return IndicatorCard(indicator=indicator, ancestors=ancestors)


def outline_facets(tree: VersionTree) -> dict:
    """``tree_facets`` of an ``outline_tree``: the same choices, the
    co-executors and the funding's sources and years read by the database
    (three queries, however big the plan)."""
    version = tree.version
    units = {
        m.responsible_unit.id: m.responsible_unit for m in tree.all_measures if m.responsible_unit
    }
    for unit in Unit.objects.filter(co_executed_measures__version=version).distinct():
        units.setdefault(unit.id, unit)
    pairs = set(
        FundingLine.objects.filter(measure__version=version)
        .order_by()
        .values_list("source_id", "year")
        .distinct()
    )
    sources = FundingSource.objects.filter(pk__in={source for source, _year in pairs})
    return {
        "units": sorted(units.values(), key=lambda unit: unit.name),
        "sources": sorted(sources, key=lambda source: (source.position, source.code)),
        "years": sorted(set(version.years) | {year for _source, year in pairs}),
    }


def tree_facets(tree: VersionTree) -> dict:
    """The units, funding sources and years a reader can filter this tree by.

    Taken from the loaded tree, so offering the choices costs no query.
    """
    units, sources, years = {}, {}, set(tree.version.years)
    for measure in tree.all_measures:
        for unit in [measure.responsible_unit, *measure.co_executor_list]:
            if unit is not None:
                units[unit.id] = unit
        for line in measure.funding_list:
            sources[line.source_id] = line.source
            years.add(line.year)
    return {
        "units": sorted(units.values(), key=lambda unit: unit.name),
        "sources": sorted(sources.values(), key=lambda source: (source.position, source.code)),
        "years": sorted(years),
    }


# --- Money tables ---------------------------------------------------------------


@dataclass
class GridRow:
    header: object
    values: list[Decimal]
    total: Decimal


@dataclass
class MoneyGrid:
    """A table of euro amounts with row and column totals, ready to render."""

    columns: list[object]
    rows: list[GridRow]
    column_totals: list[Decimal]
    total: Decimal

    def transposed(self) -> MoneyGrid:
        """The same amounts with rows and columns swapped (and their totals with them)."""
        return MoneyGrid(
            columns=[row.header for row in self.rows],
            rows=[
                GridRow(header=header, values=[row.values[i] for row in self.rows], total=total)
                for i, (header, total) in enumerate(
                    zip(self.columns, self.column_totals, strict=True)
                )
            ],
            column_totals=[row.total for row in self.rows],
            total=self.total,
        )


def money_grid(
    amounts: Mapping[tuple[_RowKey, _ColumnKey], Decimal],
    rows: Sequence[tuple[_RowKey, object]],
    columns: Sequence[tuple[_ColumnKey, object]],
) -> MoneyGrid:
    """Lay ``amounts`` (``{(row_key, column_key): Decimal}``) out as a table.

    ``rows`` and ``columns`` are lists of ``(key, header)`` pairs in display
    order; a cell that is not in ``amounts`` is zero. Totals are exact
    decimal sums of the cells shown.
    """
    zero = Decimal("0")
    body = []
    column_totals = [zero] * len(columns)
    for row_key, header in rows:
        values = [amounts.get((row_key, column_key), zero) for column_key, _ in columns]
        column_totals = [a + b for a, b in zip(column_totals, values, strict=True)]
        body.append(GridRow(header=header, values=values, total=sum(values, zero)))
    return MoneyGrid(
        columns=[header for _, header in columns],
        rows=body,
        column_totals=column_totals,
        total=sum(column_totals, zero),
    )


def funding_grid(lines: Iterable[FundingLine]) -> MoneyGrid:
    """A measure's funding: a row per year, a column per source, with totals."""
    amounts: defaultdict[tuple[int, int], Decimal]
    sources: dict[int, FundingSource]
    amounts, sources = defaultdict(Decimal), {}
    for line in lines:
        amounts[line.year, line.source_id] += line.amount
        sources[line.source_id] = line.source
    years = sorted({year for year, _ in amounts})
    ordered = sorted(sources.values(), key=lambda source: (source.position, source.code))
    return money_grid(dict(amounts), [(year, year) for year in years], [(s.id, s) for s in ordered])


@dataclass
class BudgetSummary:
    version: PlanVersion
    years: list[int]
    sources: list[FundingSource]
    by_year: MoneyGrid  # priorities × years, all sources
    by_source: MoneyGrid  # priorities × sources, all years
    per_priority: list[tuple[Priority, MoneyGrid]]  # (priority, years × sources grid)

    @property
    def total(self) -> Decimal:
        return self.by_year.total


def budget_summary(version: PlanVersion) -> BudgetSummary:
    """Funding of a version by priority, source and year, in three queries.

    The sums are done by the database; the grids' totals are sums of those.
    """
    rows = (
        FundingLine.objects.filter(measure__version=version)
        .values("measure__task__goal__priority_id", "source_id", "year")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    cells = {
        (r["measure__task__goal__priority_id"], r["source_id"], r["year"]): r["amount"]
        for r in rows
    }
    priorities = list(Priority.objects.filter(version=version).order_by("position", "id"))
    sources = list(FundingSource.objects.filter(pk__in={key[1] for key in cells}))
    years = sorted(set(version.years) | {key[2] for key in cells})

    by_year: defaultdict[tuple[int, int], Decimal]
    by_source: defaultdict[tuple[int, int], Decimal]
    by_year, by_source = defaultdict(Decimal), defaultdict(Decimal)
    per_priority: defaultdict[int, defaultdict[tuple[int, int], Decimal]]
    per_priority = defaultdict(lambda: defaultdict(Decimal))
    for (priority_id, source_id, year), amount in cells.items():
        by_year[priority_id, year] += amount
        by_source[priority_id, source_id] += amount
        per_priority[priority_id][year, source_id] += amount

    priority_rows = [(p.id, p) for p in priorities]
    source_columns = [(s.id, s) for s in sources]
    year_pairs = [(year, year) for year in years]
    return BudgetSummary(
        version=version,
        years=years,
        sources=sources,
        by_year=money_grid(dict(by_year), priority_rows, year_pairs),
        by_source=money_grid(dict(by_source), priority_rows, source_columns),
        per_priority=[
            (p, money_grid(dict(per_priority[p.id]), year_pairs, source_columns))
            for p in priorities
        ],
    )
