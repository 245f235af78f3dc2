"""The strategic development plan and its versions.

A ``Plan`` (Kaunas District 2013–2020) has numbered ``PlanVersion``s. Each
version owns a whole tree: vision → ``Priority`` → ``Goal`` → ``Task`` →
``Measure``, with ``Indicator``s (and their yearly ``IndicatorTarget``s) on
goals, tasks and measures, and ``FundingLine``s on measures. A new draft is a
deep copy of the version in force; every node keeps its ``key`` (a UUID) across
versions, so that "the same measure" can be followed from version to version
while its code changes with renumbering.

Every node also points straight at its version (``version``), so that a whole
tree loads in one query per level and "is this version editable?" is one
lookup, whatever the depth.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.errors import Conflict

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class NumberingStyle(models.TextChoices):
    LETTERS = "letters", _("Letters for priorities (D, D.1, D.1.1, D.1.1.1)")
    DIGITS = "digits", _("Digits (1, 1.1, 1.1.1, 1.1.1.1)")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Public consultation")
    COUNCIL_REVIEW = "council_review", _("Council review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


# Only a draft may change. A version under consultation or council review is
# frozen so that residents and council members judge exactly what they see;
# an approved or superseded version is a council decision's record.
EDITABLE_STATUSES = frozenset({VersionStatus.DRAFT})
PUBLIC_STATUSES = frozenset(
    {VersionStatus.CONSULTATION, VersionStatus.APPROVED, VersionStatus.SUPERSEDED}
)


class FrozenVersionError(Conflict):
    """Raised by every path that would change a version that is not a draft."""

    code = "frozen_version"


class Unit(models.Model):
    """A department of the administration or a municipal institution."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Administration department")
        INSTITUTION = "institution", _("Municipal institution")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")

    def __str__(self):
        return self.name


class FundingSource(models.Model):
    """Where money comes from: SB (municipal budget), VB, ES, SAARSP …"""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return f"{self.code} – {self.name}"


class Plan(models.Model):
    title = models.CharField(_("title"), max_length=255)
    municipality = models.CharField(_("municipality"), max_length=255)
    period_start = models.PositiveIntegerField(_("period start"), validators=YEAR_VALIDATORS)
    period_end = models.PositiveIntegerField(_("period end"), validators=YEAR_VALIDATORS)
    numbering = models.CharField(
        _("numbering"),
        max_length=10,
        choices=NumberingStyle.choices,
        default=NumberingStyle.LETTERS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            ),
            models.UniqueConstraint(fields=["municipality", "title"], name="plan_unique_title"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.pk])

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)


class PlanVersion(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    label = models.CharField(_("label"), max_length=255, blank=True)
    vision = models.TextField(_("vision"), blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_versions",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    decision_number = models.CharField(_("council decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("council decision date"), null=True, blank=True)
    # Bumped by every edit of the version's content; lets the browser detect
    # that someone else changed the vision since the form was opened.
    revision = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="version_unique_number"),
            # The version in force is unique: approving a second one while the
            # first is still approved fails in the database, not by luck.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status=VersionStatus.APPROVED),
                name="version_one_approved_per_plan",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.get_label()}"

    def get_absolute_url(self):
        return reverse("plans:version", args=[self.pk])

    def get_label(self) -> str:
        return self.label or _("version %(number)s") % {"number": self.number}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                PlanVersion.objects.filter(pk=self.pk).values("status", "vision", "label").first()
            )
            if (
                stored
                and stored["status"] not in EDITABLE_STATUSES
                and (stored["vision"] != self.vision or stored["label"] != self.label)
            ):
                raise FrozenVersionError(
                    _("Version %(number)s is %(status)s and cannot be changed.")
                    % {"number": self.number, "status": VersionStatus(stored["status"]).label}
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise FrozenVersionError(_("Only a draft can be deleted."))
        return super().delete(*args, **kwargs)


class NodeQuerySet(models.QuerySet):
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

    objects = NodeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    # The guard below is the last line of defence: services check editability
    # with a clear message first, but the admin, a shell or a future code path
    # must not be able to change a frozen version either.
    def save(self, *args, **kwargs):
        assert_version_editable(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_version_editable(self.version_id)
        return super().delete(*args, **kwargs)


def assert_version_editable(version_id) -> None:
    status = PlanVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status not in EDITABLE_STATUSES:
        raise FrozenVersionError(
            _("This version is %(status)s: it cannot be changed. Create a new draft instead.")
            % {"status": VersionStatus(status).label.lower()}
        )


class Priority(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="priorities")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="priority_unique_key"),
        ]

    @property
    def parent(self):
        return None


class Goal(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="goals")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="goal_unique_key")]

    @property
    def parent(self):
        return self.priority


class Task(Node):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="tasks")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta(Node.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="task_unique_key")]

    @property
    def parent(self):
        return self.goal


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
    co_executors = models.ManyToManyField(
        Unit, verbose_name=_("co-executors"), blank=True, related_name="co_executed_measures"
    )
    start_year = models.PositiveIntegerField(
        _("start year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    end_year = models.PositiveIntegerField(
        _("end year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

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

    @property
    def parent(self):
        return self.task

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The end year cannot be before the start year.")})


class IndicatorKind(models.TextChoices):
    IMPACT = "impact", _("Impact")
    EFFECT = "effect", _("Effect")
    RESULT = "result", _("Result")
    OUTPUT = "output", _("Output")


# The kind an indicator has by default at each level (domain notes, §2).
DEFAULT_INDICATOR_KIND = {
    "goal": IndicatorKind.EFFECT,
    "task": IndicatorKind.RESULT,
    "measure": IndicatorKind.OUTPUT,
}


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


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
    revision = models.PositiveIntegerField(default=1, editable=False)

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

    @property
    def owner(self):
        return self.goal or self.task or self.measure

    def save(self, *args, **kwargs):
        assert_version_editable(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_version_editable(self.version_id)
        return super().delete(*args, **kwargs)


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    value = models.DecimalField(_("target value"), max_digits=18, decimal_places=4)

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
        assert_version_editable(self.indicator.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_version_editable(self.indicator.version_id)
        return super().delete(*args, **kwargs)


class FundingLine(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="funding")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount, EUR"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "source__position", "source__code"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "source"], name="funding_unique_year_source"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.source.code}: {self.amount}"

    def save(self, *args, **kwargs):
        assert_version_editable(self.measure.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        assert_version_editable(self.measure.version_id)
        return super().delete(*args, **kwargs)


NODE_MODELS = {"priority": Priority, "goal": Goal, "task": Task, "measure": Measure}
# The parent field of each level, as the API contract names it.
PARENT_FIELD = {"priority": "version", "goal": "priority", "task": "goal", "measure": "task"}
CHILD_LEVEL = {"priority": "goal", "goal": "task", "task": "measure", "measure": None}
