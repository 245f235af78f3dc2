"""Reads of the links between an action plan and its development plan.

A measure of an action plan names goals and tasks of the development plan by
``key`` (``plans.links``). These reads resolve the keys in the versions a
reader should see: the development plan's version in force (else its latest
version) for the editor's picker, and each action plan's version in force
(plus, for staff and council, its latest version not yet in force) for the
development plan's pages. Every function runs a fixed number of queries
however large either plan grows (tests/plans/test_links.py).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Sum

from planportal.roles import can_see_drafts
from plans.kinds import PlanKind
from plans.models import (
    PUBLIC_STATUSES,
    FundingLine,
    Goal,
    Measure,
    MeasureLink,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)

if TYPE_CHECKING:
    from planportal.roles import AnyUser

# Versions that are neither in force nor a past record: the work in progress.
_IN_PROGRESS = (VersionStatus.DRAFT, VersionStatus.CONSULTATION, VersionStatus.COUNCIL_REVIEW)


# --- The editor's picker ---------------------------------------------------------


@dataclass
class LinkTarget:
    """A goal or task of the development plan a measure may implement."""

    level: str
    key: uuid.UUID
    code: str
    title: str
    tasks: list[LinkTarget] = field(default_factory=list)


@dataclass
class LinkPicker:
    """The development plan's goals and tasks, grouped by priority, to choose from."""

    plan: Plan
    version: PlanVersion | None
    groups: list[tuple[Priority, list[LinkTarget]]]
    keys: set[uuid.UUID]

    @property
    def in_force(self) -> bool:
        return self.version is not None and self.version.is_in_force


def development_version(plan: Plan) -> PlanVersion | None:
    """The version of a development plan to link to: the one in force, else the newest."""
    versions = PlanVersion.objects.filter(plan=plan).order_by("-number")
    return versions.filter(status=VersionStatus.APPROVED).first() or versions.first()


def link_picker(action_plan: Plan) -> LinkPicker | None:
    """The choice of goals and tasks for ``action_plan``'s measures (5 queries), or None
    when the plan names no development plan."""
    development = action_plan.development_plan
    if development is None:
        return None
    version = development_version(development)
    if version is None:
        return LinkPicker(plan=development, version=None, groups=[], keys=set())
    priorities = list(Priority.objects.filter(version=version).order_by("position", "id"))
    goals: dict[int, list[LinkTarget]] = defaultdict(list)
    goal_targets: dict[int, LinkTarget] = {}
    for goal in Goal.objects.filter(version=version).order_by("position", "id"):
        target = LinkTarget("goal", goal.key, goal.code, goal.title)
        goals[goal.priority_id].append(target)
        goal_targets[goal.pk] = target
    keys = {target.key for target in goal_targets.values()}
    for task in Task.objects.filter(version=version).order_by("position", "id"):
        goal_targets[task.goal_id].tasks.append(LinkTarget("task", task.key, task.code, task.title))
        keys.add(task.key)
    groups = [(priority, goals[priority.pk]) for priority in priorities]
    return LinkPicker(plan=development, version=version, groups=groups, keys=keys)


def stale_links(picker: LinkPicker, keys: list[uuid.UUID]) -> list[LinkTarget]:
    """The ``keys`` that are no goal or task of the picker's version, each with
    the code and title of its newest version (2 queries)."""
    missing = [key for key in keys if key not in picker.keys]
    if not missing:
        return []
    found: dict[uuid.UUID, LinkTarget] = {}
    for model, level in ((Goal, "goal"), (Task, "task")):
        rows = model.objects.filter(version__plan=picker.plan, key__in=missing).order_by(
            "version__number"
        )
        for node in rows:  # the newest version's wording wins
            found[node.key] = LinkTarget(level, node.key, node.code, node.title)
    return [found.get(key) or LinkTarget("task", key, "", str(key)) for key in missing]


@dataclass
class MeasureLinks:
    """What the editor shows of a measure's links: the picker, the keys saved,
    those no longer in the picker's version, and the form's choices."""

    picker: LinkPicker | None
    saved: list[uuid.UUID]
    stale: list[LinkTarget]

    @property
    def choices(self) -> list[tuple[str, str]] | None:
        if self.picker is None:
            return None
        targets = [
            target
            for _, goals in self.picker.groups
            for goal in goals
            for target in (goal, *goal.tasks)
        ]
        return [(str(t.key), f"{t.code} {t.title}".strip()) for t in [*targets, *self.stale]]

    @property
    def saved_targets(self) -> list[tuple[LinkTarget, bool]]:
        """Each saved link's goal or task, and whether it is stale."""
        choices = dict(self.choices or [])
        stale = {target.key for target in self.stale}
        return [
            (LinkTarget("", key, "", choices.get(str(key), str(key))), key in stale)
            for key in self.saved
        ]


def measure_links(measure: Measure) -> MeasureLinks:
    """The links of an action plan's measure as the editor shows them (8 queries at most)."""
    plan = measure.version.plan
    if not plan.kind_spec.uses("implements"):
        return MeasureLinks(picker=None, saved=[], stale=[])
    saved = list(MeasureLink.objects.filter(measure=measure).values_list("key", flat=True))
    picker = link_picker(plan)
    stale = stale_links(picker, saved) if picker is not None else []
    return MeasureLinks(picker=picker, saved=saved, stale=stale)


def label_links(plan: Plan, measures: list[Measure]) -> None:
    """Set ``label`` ("code title") on the ``link_list`` of each of ``measures``
    (of ``plan``), from the newest version of the development plan that has
    the goal or task (2 queries, none without links)."""
    keys = {link.key for measure in measures for link in getattr(measure, "link_list", [])}
    if not keys or plan.development_plan_id is None:
        return
    labels: dict[uuid.UUID, str] = {}
    for model in (Goal, Task):
        rows = model.objects.filter(version__plan_id=plan.development_plan_id, key__in=keys)
        for node in rows.order_by("version__number"):  # the newest version's wording wins
            labels[node.key] = f"{node.code} {node.title}".strip()
    for measure in measures:
        for link in measure.link_list:
            link.label = labels.get(link.key, str(link.key))


@dataclass
class ImplementedItem:
    """A goal or task a measure implements, as the measure's public page shows it."""

    target: LinkTarget
    version: PlanVersion
    """The development plan's version it was found in."""
    node_id: int


def measure_implements(measure: Measure) -> list[ImplementedItem]:
    """The development plan's goals and tasks ``measure`` implements, found in
    the development plan's version in force (else its newest public version
    that has them), for a link to their pages (4 queries at most).

    Public versions only, whoever reads: the measure's page is cached for
    every reader, and a goal or task only a draft has is left out.
    """
    plan = measure.version.plan
    keys = list(MeasureLink.objects.filter(measure=measure).values_list("key", flat=True))
    if not keys or plan.development_plan_id is None:
        return []
    public = PlanVersion.objects.filter(
        plan_id=plan.development_plan_id, status__in=PUBLIC_STATUSES
    )
    versions = {version.pk: version for version in public.select_related("plan")}
    found: dict[uuid.UUID, ImplementedItem] = {}
    for model, level in ((Goal, "goal"), (Task, "task")):
        rows = model.objects.filter(version_id__in=versions, key__in=keys)
        for node in rows.order_by("version__number"):
            known = found.get(node.key)
            # The version in force wins; otherwise the newest that has it.
            if known is None or not known.version.is_in_force:
                target = LinkTarget(level, node.key, node.code, node.title)
                found[node.key] = ImplementedItem(target, versions[node.version_id], node.pk)
    return [found[key] for key in keys if key in found]


# --- The development plan's pages ---------------------------------------------------


@dataclass
class ActionVersions:
    """The versions of the action plans of one development plan a reader sees."""

    in_force: list[PlanVersion]
    latest: list[PlanVersion]
    """Each action plan's newest version not yet in force (staff and council only)."""

    @property
    def all(self) -> list[PlanVersion]:
        return [*self.in_force, *self.latest]


def action_versions(user: AnyUser | None, development: Plan) -> ActionVersions:
    """The action plans' versions to read links from (1 query)."""
    versions = list(
        PlanVersion.objects.filter(plan__development_plan=development, plan__kind=PlanKind.ACTION)
        .filter(status__in=[VersionStatus.APPROVED, *_IN_PROGRESS])
        .select_related("plan")
        .order_by("plan__title", "plan_id", "-number")
    )
    in_force = [v for v in versions if v.status == VersionStatus.APPROVED]
    latest: list[PlanVersion] = []
    if can_see_drafts(user):
        seen: set[int] = set()
        for version in versions:  # newest first within each plan
            if version.plan_id in seen:
                continue
            seen.add(version.plan_id)
            if version.status in _IN_PROGRESS:
                latest.append(version)
    return ActionVersions(in_force=in_force, latest=latest)


@dataclass
class ImplementingMeasure:
    measure: Measure
    version: PlanVersion
    by_year: list[tuple[int, Decimal]]
    total: Decimal

    @property
    def in_force(self) -> bool:
        return self.version.is_in_force


def implementing_measures(
    user: AnyUser | None, version: PlanVersion, key: uuid.UUID
) -> list[ImplementingMeasure]:
    """The action-plan measures that implement the development plan's node ``key``.

    From each action plan that names ``version``'s plan, in its version in
    force and, for staff and council, its latest version not in force (each
    row says which). Empty for a plan that is no development plan. Three
    queries at most, whatever the size of the plans.
    """
    plan = version.plan
    if plan.kind != PlanKind.DEVELOPMENT:
        return []
    versions = action_versions(user, plan)
    by_id = {v.pk: v for v in versions.all}
    if not by_id:
        return []
    links = (
        MeasureLink.objects.filter(key=key, measure__version_id__in=by_id)
        .select_related("measure__responsible_unit", "measure__appropriation_manager")
        .order_by("measure__version__plan__title", "measure__version_id", "measure__code")
    )
    measures = [link.measure for link in links]
    amounts: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = (
        FundingLine.objects.filter(measure__in=[m.pk for m in measures])
        .values("measure_id", "year")
        .annotate(amount=Sum("amount"))
        .order_by("year")
    )
    for row in rows:
        amounts[row["measure_id"]][row["year"]] = row["amount"]
    result = []
    for measure in measures:
        measure.version = by_id[measure.version_id]
        years = sorted(amounts[measure.pk].items())
        total = sum((amount for _, amount in years), Decimal("0"))
        result.append(ImplementingMeasure(measure, measure.version, years, total))
    # Versions in force first, then the work in progress, each by plan.
    order = {v.pk: index for index, v in enumerate(versions.all)}
    result.sort(key=lambda row: order[row.version.pk])  # stable: by code within a version
    return result


@dataclass
class UnimplementedRow:
    level: str
    node: Goal | Task
    in_force: int
    """How many measures of the action plans' versions in force implement it."""
    latest: int | None
    """The same in their latest versions not yet in force (None: there are none)."""


def unimplemented(user: AnyUser | None, version: PlanVersion) -> tuple[list, ActionVersions]:
    """The goals and tasks of a development plan's ``version`` that the action
    plans leave without a measure, in outline order (5 queries).

    A row is listed when no measure of any action plan's version in force
    implements it, or when the latest versions not yet in force (if any)
    leave it out. A goal counts as implemented when a measure names it or
    any of its tasks: the action plan may carry a goal out task by task.
    """
    versions = action_versions(user, version.plan)
    counts: dict[str, defaultdict[uuid.UUID, int]] = {
        "in_force": defaultdict(int),
        "latest": defaultdict(int),
    }
    in_force_ids = {v.pk for v in versions.in_force}
    links = MeasureLink.objects.filter(measure__version__in=[v.pk for v in versions.all]).values(
        "key", "measure__version_id"
    )
    for link in links:
        column = "in_force" if link["measure__version_id"] in in_force_ids else "latest"
        counts[column][link["key"]] += 1

    goals = list(
        Goal.objects.filter(version=version).order_by("priority__position", "position", "id")
    )
    tasks: defaultdict[int, list[Task]] = defaultdict(list)
    for task in Task.objects.filter(version=version).order_by("position", "id"):
        tasks[task.goal_id].append(task)
    has_latest = bool(versions.latest)

    def row(level, node, keys) -> UnimplementedRow:
        in_force = sum(counts["in_force"][key] for key in keys)
        latest = sum(counts["latest"][key] for key in keys) if has_latest else None
        return UnimplementedRow(level, node, in_force, latest)

    rows = []
    for goal in goals:
        goal_row = row("goal", goal, [goal.key, *(task.key for task in tasks[goal.pk])])
        task_rows = [row("task", task, [task.key]) for task in tasks[goal.pk]]
        for candidate in [goal_row, *task_rows]:
            if candidate.in_force == 0 or candidate.latest == 0:
                rows.append(candidate)
    return rows, versions
