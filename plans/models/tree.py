"""The tree of a version: priorities, goals, tasks and measures.

Every node points straight at its version (``version``) as well as at its
parent, so that a whole tree loads in one query per level and "is this
version editable?" is one lookup, whatever the depth. The levels' relations
(parent field, level below, names) are described in ``plans.levels``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.years import YEAR_VALIDATORS
from plans.levels import Level, level_of

from .guards import GuardedQuerySet, guard_delete, guard_save
from .reference import Unit
from .versions import PlanVersion

if TYPE_CHECKING:
    from plans.selectors import MoneyGrid

    from .funding import FundingLine
    from .indicators import Indicator


class NodeQuerySet(GuardedQuerySet):
    # Every level's parent field (a priority's is its version).
    placement_fields = frozenset({"version", "priority", "goal", "task"})

    def in_version(self, version):
        return self.filter(version=version)


class Node(models.Model):
    """Fields every level of the hierarchy shares."""

    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=32, blank=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Every level's own foreign key to the version (``version``) provides it.
    version_id: int
    # Not stored: plans.selectors.node_detail sets the node's level name and
    # its ancestors (top first) for the node's page; plans.diff sets the level
    # and the key of the node above while comparing two trees; consultations.views
    # sets each node's count of proposals on a consultation's outline.
    level: str
    ancestors: list[Node]
    parent_key: str | None
    proposal_count: int

    objects = NodeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    # The guards below are the last line of defence (plans.models.guards):
    # services check editability with a clear message first, but the admin, a
    # shell or a future code path must not be able to change a frozen version
    # or move a node into another version's tree either.
    def save(self, *args, **kwargs):
        level = self.tree_level
        parents = () if level.is_top else (level.parent_field,)
        guard_save(self, version_path="version", parents=parents, own_version=True)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_delete(self, version_path="version")
        return super().delete(*args, **kwargs)

    @property
    def tree_level(self) -> Level:
        """This node's level in the registry (``plans.levels``)."""
        return level_of(self)

    @property
    def parent(self):
        """The node above, or None for a priority (whose parent is the version)."""
        level = self.tree_level
        return None if level.is_top else getattr(self, level.parent_field)


class Priority(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="priorities")
    # Not stored: plans.selectors (version_tree, node_detail) sets the nodes
    # below; documents.sections an action plan's programme table for the PDF.
    children: list[Goal]
    appropriations: object

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="priority_unique_key"),
        ]


class Goal(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="goals")
    # Not stored: plans.selectors (version_tree, node_detail) sets the nodes
    # below and the indicators; version_tree also the node above.
    children: list[Task]
    indicator_list: list[Indicator]
    parent_node: Priority

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_unique_key")]


class Task(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks")
    # Not stored: plans.selectors (version_tree, node_detail) sets the nodes
    # below and the indicators; version_tree also the node above.
    children: list[Measure]
    indicator_list: list[Indicator]
    parent_node: Goal

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="task_unique_key")]


class MeasureKind(models.TextChoices):
    PROGRESS = "progress", _("Progress measure")
    CONTINUING = "continuing", _("Continuing activity")


class Measure(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeasureKind.choices, default=MeasureKind.PROGRESS
    )
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
    )
    # The appropriation manager (asignavimų valdytojas) of an action plan's
    # measure: the body that manages its budget money, often not the executor.
    appropriation_manager = models.ForeignKey(
        Unit,
        verbose_name=_("appropriation manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_measures",
    )
    co_executors = models.ManyToManyField(
        Unit, verbose_name=_("co-executors"), blank=True, related_name="co_executed_measures"
    )
    start_year = models.PositiveIntegerField(
        _("start year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveIntegerField(
        _("end year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    # Not stored: plans.selectors (version_tree, node_detail) sets the
    # indicators, the funding lines (in order) with their total and the
    # co-executors; version_tree also the node above. ``children`` is always
    # empty (measures are the lowest level), for code that walks any node.
    # documents.services sets the funding table of the PDF (``funding_grid``).
    children: list[Node]
    indicator_list: list[Indicator]
    funding_list: list[FundingLine]
    funding_total: Decimal
    co_executor_list: list[Unit]
    link_list: list[MeasureLink]
    # Not stored: plans.selectors.outline_tree sets these for the staff outline.
    funding_count: int
    indicator_count: int
    # Not stored: documents.sections resolves the links for the PDF.
    implemented: list
    parent_node: Task
    funding_grid: MoneyGrid

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[co_executors])

    class Meta(Node.Meta):
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="measure_unique_key"),
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(end_year__isnull=True)
                | Q(end_year__gte=models.F("start_year")),
                name="measure_years_ordered",
            ),
        ]

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})


class LinkLevel(models.TextChoices):
    GOAL = "goal", _("Goal")
    TASK = "task", _("Task")


class MeasureLinkQuerySet(GuardedQuerySet):
    version_path = "measure__version"
    placement_fields = frozenset({"measure"})


class MeasureLink(models.Model):
    """A goal or task of a development plan that an action plan's measure implements.

    The target is named by its ``key`` (and level), not by a row: the link
    holds through new versions of both plans, and resolves to the node with
    that key in whichever version of the development plan is read (the
    version in force, for the public). The development plan is the one the
    measure's plan names (``Plan.development_plan``).
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="links")
    level = models.CharField(_("level"), max_length=10, choices=LinkLevel.choices)
    key = models.UUIDField(_("key"))
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = MeasureLinkQuerySet.as_manager()
    history = HistoricalRecords()
    # Not stored: "code title" of the goal or task, set for the comparison
    # (plans.selectors_links.label_links).
    label: str

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("link to the development plan")
        verbose_name_plural = _("links to the development plan")
        constraints = [
            models.UniqueConstraint(fields=["measure", "key"], name="measure_link_unique_key"),
        ]
        indexes = [models.Index(fields=["key"], name="measure_link_key")]

    def __str__(self):
        return f"{self.level} {self.key}"

    # The last line of defence (plans.models.guards), as for funding lines.
    def save(self, *args, **kwargs):
        guard_save(self, version_path="measure__version", parents=["measure"], own_version=False)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_delete(self, version_path="measure__version")
        return super().delete(*args, **kwargs)
