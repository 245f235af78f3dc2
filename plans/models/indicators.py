"""Indicators (evaluation criteria) of goals, tasks and measures, with yearly targets."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.years import YEAR_VALIDATORS
from plans.kinds import IndicatorKind
from plans.levels import INDICATOR_LEVELS, LEVELS

from .guards import GuardedQuerySet, guard_delete, guard_save
from .tree import Goal, Measure, Task
from .versions import PlanVersion

# The kind an indicator has by default at each level (domain notes, §2).
DEFAULT_INDICATOR_KIND = {
    level.name: IndicatorKind(level.default_indicator_kind)
    for level in LEVELS.values()
    if level.default_indicator_kind is not None  # level.has_indicators
}


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class IndicatorQuerySet(GuardedQuerySet):
    placement_fields = frozenset({"version", *INDICATOR_LEVELS})


class TargetQuerySet(GuardedQuerySet):
    version_path = "indicator__version"
    placement_fields = frozenset({"indicator"})


class Indicator(models.Model):
    """An evaluation criterion of a goal, a task or a measure (exactly one)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="indicators"
    )
    key = models.UUIDField(_("key"), default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit of measure"), max_length=100)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveIntegerField(
        _("baseline year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    data_source = models.CharField(_("data source"), max_length=500, blank=True)
    direction = models.CharField(
        _("desired direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    # The description card (stebėsenos rodiklio aprašymo kortelė) of Finance
    # Ministry order 1K-275 (docs/planning-law.md): with the name, kind, unit,
    # data source, baseline and targets above, these make the whole card.
    code = models.CharField(_("indicator code"), max_length=50, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    calculation_method = models.TextField(_("calculation method"), blank=True)
    frequency = models.CharField(_("frequency of measurement"), max_length=200, blank=True)
    responsible_body = models.CharField(
        _("body responsible for the data"), max_length=500, blank=True
    )
    remarks = models.TextField(_("remarks"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, task__isnull=True, measure__isnull=True)
                    | Q(goal__isnull=True, task__isnull=False, measure__isnull=True)
                    | Q(goal__isnull=True, task__isnull=True, measure__isnull=False)
                ),
                name="indicator_exactly_one_owner",
            ),
            models.UniqueConstraint(fields=["version", "key"], name="indicator_unique_key"),
        ]

    def __str__(self):
        return self.name

    # The last line of defence (plans.models.guards): a frozen version's
    # indicator does not change, and no indicator moves to another version's node.
    def save(self, *args, **kwargs):
        guard_save(self, version_path="version", parents=INDICATOR_LEVELS, own_version=True)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_delete(self, version_path="version")
        return super().delete(*args, **kwargs)

    @property
    def owner_level(self) -> str:
        """The level of the node the indicator belongs to: "goal", "task" or "measure"."""
        return next(name for name in INDICATOR_LEVELS if getattr(self, f"{name}_id"))

    @property
    def owner(self):
        return getattr(self, self.owner_level)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)

    objects = TargetQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("target value")
        verbose_name_plural = _("target values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year"),
        ]

    def __str__(self):
        return f"{self.year}: {self.value}"

    def save(self, *args, **kwargs):
        guard_save(
            self, version_path="indicator__version", parents=["indicator"], own_version=False
        )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_delete(self, version_path="indicator__version")
        return super().delete(*args, **kwargs)
