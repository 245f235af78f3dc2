"""Monitoring a plan after approval: rounds, actual values, measures' implementation.

What is measured belongs to the **plan**, keyed by the ``key`` of the
indicator or measure, not to a version's row: a new approved version keeps
the keys of what it kept, so it shows the whole history of every indicator
and measure (docs/monitoring.md). A year's values are collected in a
``MonitoringRound``; they become public when staff publish the round.

Every value keeps its corrections (simple_history): who entered what, when,
and what it replaced.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.years import YEAR_VALIDATORS
from plans.models import FundingSource, Plan, Unit


class UnitMembership(models.Model):
    """A user who enters the monitoring data of a responsible unit's items."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unit member")
        verbose_name_plural = _("unit members")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="unit_membership_unique"),
        ]

    def __str__(self):
        return f"{self.user} – {self.unit}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Published")


class MonitoringRound(models.Model):
    """One year's collection of actual values and implementation data of a plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="monitoring_rounds")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "-year"]
        verbose_name = _("monitoring round")
        verbose_name_plural = _("monitoring rounds")
        constraints = [
            # One round per plan and year: two staff opening it at once get
            # one round and one refusal, settled by the database.
            models.UniqueConstraint(fields=["plan", "year"], name="round_unique_year"),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN) | Q(published_at__isnull=False),
                name="round_published_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class Entry(models.Model):
    """What an actual value and a measure's implementation share."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)
    # Bumped by every correction: a value changed since someone read it (a
    # spreadsheet downloaded an hour ago) is reported as a conflict, not
    # overwritten.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ActualValue(Entry):
    """The value an indicator actually reached in a year."""

    indicator_key = models.UUIDField(_("indicator key"))
    value = models.DecimalField(_("actual value"), max_digits=18, decimal_places=4)
    measured_on = models.DateField(_("date of the value"), null=True, blank=True)
    source_note = models.CharField(_("source of the value"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "indicator_key", "year"]
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator_key", "year"], name="actual_unique_year"
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.value}"


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# A delayed or cancelled measure says why (the note is required).
STATUSES_NEEDING_REASON = frozenset({ImplementationStatus.DELAYED, ImplementationStatus.CANCELLED})


class MeasureImplementation(Entry):
    """How a measure was carried out in a year: its status and the money spent."""

    measure_key = models.UUIDField(_("measure key"))
    status = models.CharField(_("status"), max_length=20, choices=ImplementationStatus.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "measure_key", "year"]
        verbose_name = _("implementation of a measure")
        verbose_name_plural = _("implementation of measures")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "measure_key", "year"], name="implementation_unique_year"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(STATUSES_NEEDING_REASON)) | ~Q(note=""),
                name="implementation_reason_given",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.status}"


class SpentLine(models.Model):
    """Money a measure spent in a year from one funding source."""

    implementation = models.ForeignKey(
        MeasureImplementation, on_delete=models.CASCADE, related_name="spent"
    )
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("spent, EUR"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source__position", "source__code"]
        verbose_name = _("money spent")
        verbose_name_plural = _("money spent")
        constraints = [
            models.UniqueConstraint(
                fields=["implementation", "source"], name="spent_unique_source"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spent_not_negative"),
        ]

    def __str__(self):
        return f"{self.source.code}: {self.amount}"


class Milestone(models.Model):
    """A dated step of a measure (optional), kept by the measure's key."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    measure_key = models.UUIDField(_("measure key"))
    title = models.CharField(_("title"), max_length=500)
    due = models.DateField(_("planned date"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "measure_key", "position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title


class ItemKind(models.TextChoices):
    INDICATOR = "indicator", _("Indicator")
    MEASURE = "measure", _("Measure")


class ItemComment(models.Model):
    """A comment on one item of a round: the coordinator questions a value,
    the unit answers (a thread per item and round)."""

    round = models.ForeignKey(MonitoringRound, on_delete=models.CASCADE, related_name="comments")
    item_kind = models.CharField(_("item"), max_length=10, choices=ItemKind.choices)
    item_key = models.UUIDField(_("item key"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    # A question of the coordinator stays open until answered or resolved.
    is_question = models.BooleanField(_("question"), default=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["round", "item_kind", "item_key", "created_at", "id"]
        verbose_name = _("monitoring comment")
        verbose_name_plural = _("monitoring comments")
        indexes = [
            models.Index(fields=["round", "item_kind", "item_key"], name="item_comment_item")
        ]

    def __str__(self):
        return self.text[:50]
