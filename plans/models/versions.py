"""Plans and their numbered versions, and the rule that only a draft changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.errors import Conflict, Refusal
from planportal.years import YEAR_VALIDATORS
from plans.kinds import Kind, PlanKind, get_kind

from .record import RecordedReference


class NumberingStyle(models.TextChoices):
    LETTERS = "letters", _("Letters for priorities (D, D.1, D.1.1, D.1.1.1)")
    DIGITS = "digits", _("Digits (1, 1.1, 1.1.1, 1.1.1.1)")
    # The strategic action plan's programme codes: "01", "01.02", "01.02.03" …
    PADDED = "padded", _("Two-digit codes (01, 01.01, 01.01.01, 01.01.01.01)")


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


class OtherVersionError(Refusal):
    """A write that would move content from one version (or plan) to another."""

    code = "other_version"
    status = 400


def other_version_error(field: str) -> OtherVersionError:
    return OtherVersionError(
        {
            field: _(
                "This must belong to the same version: nothing moves from one version to another."
            )
        }
    )


def frozen_version_error(status: str) -> FrozenVersionError:
    """The refusal of a change to a version in ``status``, worded the same on every path."""
    return FrozenVersionError(
        _("This version is %(status)s: it cannot be changed. Create a new draft instead.")
        % {"status": VersionStatus(status).label.lower()}
    )


class Plan(RecordedReference):
    # What the pages and the PDFs of every version say of the plan; the
    # numbering style only guides the next renumbering (codes are stored).
    # The kind decides the words of every page and PDF of its versions.
    RECORD_FIELDS = frozenset({"title", "municipality", "period_start", "period_end", "kind"})

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
    kind = models.CharField(
        _("kind of plan"), max_length=20, choices=PlanKind.choices, default=PlanKind.SPP_2013
    )
    # An action plan's progress measures implement goals and tasks of this
    # development plan (``MeasureLink`` names them by key).
    development_plan = models.ForeignKey(
        "self",
        verbose_name=_("development plan it implements"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
        limit_choices_to={"kind": PlanKind.DEVELOPMENT},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Not stored: plans.selectors.plans_with_current_version (and the staff
    # dashboard) sets the version in force, None without one.
    current: PlanVersion | None

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_ordered"
            ),
            models.UniqueConstraint(fields=["municipality", "title"], name="plan_unique_title"),
            models.CheckConstraint(
                condition=Q(development_plan__isnull=True) | Q(kind=PlanKind.ACTION),
                name="plan_only_action_implements",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.pk])

    def in_frozen_record(self) -> bool:
        return self.pk is not None and self.versions.exclude(status__in=EDITABLE_STATUSES).exists()

    @property
    def kind_spec(self) -> Kind:
        """What this kind of plan calls its levels, numbers and measures (``plans.kinds``)."""
        return get_kind(self.kind)

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)


class PlanVersionQuerySet(models.QuerySet["PlanVersion"]):
    def in_force(self):
        """The versions in force: each plan's approved version.

        The database holds at most one per plan (``version_one_approved_per_plan``).
        """
        return self.filter(status=VersionStatus.APPROVED)

    def in_force_for(self, plan) -> PlanVersion | None:
        """The version in force of ``plan`` (a plan or its id), or None."""
        return self.in_force().filter(plan_id=getattr(plan, "pk", plan)).first()

    def locked(self, pk) -> PlanVersion:
        """The version ``pk`` with its plan, locked until the transaction ends.

        Every write that depends on a version's state takes this lock first
        and checks the state under it, so that an edit, a submission and an
        approval of the same version queue up instead of interleaving. The
        plan's row is locked with it (PostgreSQL locks every joined row), so
        that two versions of one plan are not approved at the same moment.
        """
        return self.select_for_update().select_related("plan").get(pk=pk)


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
    # The years this version covers when they are not the plan's: the yearly
    # update of a three-year action plan moves its window one year forward
    # (2025–2027, then 2026–2028) while staying a version of the same plan, so
    # that keys, links and monitoring carry on. Empty: the plan's period.
    period_start = models.PositiveIntegerField(
        _("first year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    period_end = models.PositiveIntegerField(
        _("last year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    # Bumped by every edit of the version's content; lets the browser detect
    # that someone else changed the vision since the form was opened.
    revision = models.PositiveIntegerField(default=1)
    # Not stored: the reason simple_history writes into the next historical
    # row (its documented way to label a change).
    _change_reason: str

    objects = PlanVersionQuerySet.as_manager()
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
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="version_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.plan} – {self.get_label()}"

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                PlanVersion.objects.filter(pk=self.pk)
                .values("status", "vision", "label", "plan_id", "period_start", "period_end")
                .first()
            )
            # A version's tree and its number belong to its plan: no version
            # moves to another plan, whatever its status.
            if stored and stored["plan_id"] != self.plan_id:
                raise other_version_error("plan")
            if (
                stored
                and stored["status"] not in EDITABLE_STATUSES
                and any(
                    stored[name] != getattr(self, name)
                    for name in ("vision", "label", "period_start", "period_end")
                )
            ):
                raise FrozenVersionError(
                    _("Version %(number)s is %(status)s and cannot be changed.")
                    % {"number": self.number, "status": VersionStatus(stored["status"]).label}
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:version", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.status != VersionStatus.DRAFT:
            raise FrozenVersionError(_("Only a draft can be deleted."))
        return super().delete(*args, **kwargs)

    def get_label(self) -> str:
        return self.label or _("version %(number)s") % {"number": self.number}

    @property
    def first_year(self) -> int:
        """The first year this version covers (its own window, else the plan's)."""
        return self.period_start or self.plan.period_start

    @property
    def last_year(self) -> int:
        return self.period_end or self.plan.period_end

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_in_force(self) -> bool:
        return self.status == VersionStatus.APPROVED

    def ensure_editable(self) -> None:
        """Raise ``FrozenVersionError`` unless this version (as loaded) is a draft."""
        if not self.is_editable:
            raise frozen_version_error(self.status)


def assert_version_editable(version_id) -> None:
    """The models' own guard: refuse a write to a version that is not a draft.

    Services check editability under the version's lock with the same words
    first; this is the last line of defence for the admin, a shell or a
    future code path.
    """
    status = PlanVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status not in EDITABLE_STATUSES:
        raise frozen_version_error(status)
