"""The yearly implementation report (įgyvendinimo ataskaita) of a plan.

A report is one plan's account of one year, made from that year's monitoring
round. While it is a draft its pages show the live data; submitting it to the
council freezes everything it shows into ``snapshot`` (reports/snapshot.py
says what that holds), so later corrections of the monitoring data change
neither the report under review nor the approved one. A corrected report is
a new revision of the same plan and year, with its reason; the approved
revision it replaces becomes ``superseded`` when the new one is approved.

The writes live in reports/services.py, the reads in reports/selectors.py.
An approved or superseded report is a council decision's record: its
snapshot, narratives and year cannot change by any path
(``ReportQuerySet``, ``Report.save``, ``ReportNarrative.save``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import DocumentStatus, DocumentVariant
from monitoring.models import MonitoringRound
from planportal.errors import Conflict
from planportal.years import YEAR_VALIDATORS
from plans.models import Plan, PlanVersion


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COUNCIL_REVIEW = "council_review", _("Council review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded by a corrected report")


# A report's figures are frozen from submission on; its narratives change
# only in a draft; approved and superseded reports are public records.
OPEN_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.COUNCIL_REVIEW})
FROZEN_STATUSES = frozenset(
    {ReportStatus.COUNCIL_REVIEW, ReportStatus.APPROVED, ReportStatus.SUPERSEDED}
)
RECORD_STATUSES = frozenset({ReportStatus.APPROVED, ReportStatus.SUPERSEDED})
PUBLIC_STATUSES = RECORD_STATUSES


class ReportFrozen(Conflict):
    """A change of a report that its state does not allow (409)."""

    code = "report_frozen"


def frozen_report_error(status: str) -> ReportFrozen:
    label = ReportStatus(status).label if status in ReportStatus.values else status
    return ReportFrozen(
        _("This report is %(status)s: it can no longer be changed.")
        % {"status": str(label).lower()}
    )


# Fields that a report of record keeps as they were approved; what may still
# change is its status (approved → superseded) and the council decision's
# number and date (a correction is an event of its own, with its reason).
RECORD_FIELDS = ("plan_id", "year", "revision", "version_id", "round_id", "snapshot", "reason")


class ReportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # ``update()`` skips ``save()``: refuse rewriting a record's content.
        names = set(RECORD_FIELDS) | {f.removesuffix("_id") for f in RECORD_FIELDS}
        if names & set(kwargs):
            status = (
                self.filter(status__in=FROZEN_STATUSES).values_list("status", flat=True).first()
            )
            if status is not None:
                raise frozen_report_error(status)
        return super().update(**kwargs)

    def delete(self):
        status = self.exclude(status=ReportStatus.DRAFT).values_list("status", flat=True).first()
        if status is not None:
            raise frozen_report_error(status)
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]

    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)


class Report(models.Model):
    """One plan's yearly implementation report, in one revision."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The version whose tree the report follows: the plan's version in force
    # when the report was made (the one its round collected values for).
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(MonitoringRound, on_delete=models.PROTECT, related_name="reports")
    # Everything the report shows, frozen at submission (reports/snapshot.py);
    # null while a draft, whose pages compute it from the live data.
    snapshot = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    # Why this revision was made (a revision after the first one must say).
    reason = models.TextField(_("reason for the revision"), blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    decision_number = models.CharField(_("council decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("council decision date"), null=True, blank=True)
    # Bumped by every change of the report or its narratives: the pages'
    # cache keys and the PDF's content hash follow it.
    change_counter = models.PositiveIntegerField(default=0, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-year", "-revision"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "revision"], name="report_unique_revision"
            ),
            # One report of a year in the making at a time: two staff creating
            # or revising it at once get one report and one refusal.
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=Q(status__in=["draft", "council_review"]),
                name="report_one_open_per_year",
            ),
            models.UniqueConstraint(
                fields=["plan", "year"],
                condition=Q(status="approved"),
                name="report_one_approved_per_year",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(snapshot__isnull=False),
                name="report_frozen_has_snapshot",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "superseded"]) | Q(approved_at__isnull=False),
                name="report_approved_has_date",
            ),
        ]

    def __str__(self):
        title = _("%(year)d implementation report") % {"year": self.year}
        if self.revision > 1:
            title = _("%(title)s, revision %(revision)d") % {
                "title": title,
                "revision": self.revision,
            }
        return f"{self.plan} – {title}"

    def save(self, *args, **kwargs):
        # The last line of defence: a record's content stays as approved,
        # whatever path (the admin, a shell) tries to change it.
        if self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values("status", *RECORD_FIELDS).first()
            )
            if stored is not None and stored["status"] in FROZEN_STATUSES:
                changed = {f for f in RECORD_FIELDS if getattr(self, f) != stored[f]}
                if stored["status"] in RECORD_STATUSES:
                    # A record stays a record: approved, or superseded by its correction.
                    allowed = not changed and self.status in RECORD_STATUSES
                else:
                    # Under review: approved as frozen, or back to a live draft.
                    allowed = not changed or (
                        self.status == ReportStatus.DRAFT and changed == {"snapshot"}
                    )
                if not allowed:
                    raise frozen_report_error(stored["status"])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    def delete(self, *args, **kwargs):
        stored = type(self)._base_manager.filter(pk=self.pk).values_list("status", flat=True)
        status = stored.first()
        if status is not None and status != ReportStatus.DRAFT:
            raise frozen_report_error(status)
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_record(self) -> bool:
        return self.status in RECORD_STATUSES

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class NarrativeQuerySet(models.QuerySet):
    def _refuse_frozen(self) -> None:
        status = (
            self.exclude(report__status=ReportStatus.DRAFT)
            .values_list("report__status", flat=True)
            .first()
        )
        if status is not None:
            raise frozen_report_error(status)

    def update(self, **kwargs):
        self._refuse_frozen()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_frozen()
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]


class ReportNarrative(models.Model):
    """Staff's text on one section of a report (sanitised HTML, reports/narratives.py).

    ``section`` names the part of the report: ``summary``, ``priority:<key>``
    or ``goal:<key>`` (the node's key, which survives a renumbering and the
    next version).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narratives")
    section = models.CharField(_("section"), max_length=60)
    html = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = NarrativeQuerySet.as_manager()

    class Meta:
        ordering = ["report", "section"]
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="narrative_one_per_section"),
        ]

    def __str__(self):
        return f"{self.report_id} {self.section}"

    def save(self, *args, **kwargs):
        self._refuse_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_frozen()
        return super().delete(*args, **kwargs)

    def _refuse_frozen(self) -> None:
        status = (
            Report._base_manager.filter(pk=self.report_id).values_list("status", flat=True).first()
        )
        if status is not None and status != ReportStatus.DRAFT:
            raise frozen_report_error(status)


class ReportEvent(models.Model):
    """One step of a report's way: who did what, when, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Report created")
        REVISED = "revised", _("Corrected revision started")
        SUBMITTED = "submitted", _("Submitted to the council")
        WITHDRAWN = "withdrawn", _("Taken back for revision")
        VOTING_OPENED = "voting_opened", _("Voting opened")
        APPROVED = "approved", _("Approved by the council")
        REJECTED = "rejected", _("Not approved; returned for revision")
        SUPERSEDED = "superseded", _("Superseded by a corrected report")
        DECISION_RECORDED = "decision_recorded", _("Council decision recorded")
        DECISION_CORRECTED = "decision_corrected", _("Council decision corrected")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self):
        return f"{self.report_id} {self.kind}"


class ReportDocument(models.Model):
    """A rendered PDF of a report, in one language and variant (reports/pdf.py).

    Like ``documents.PlanDocument``: ``content_hash`` is the hash of the HTML
    it was rendered from, and two requests for the same content claim one row.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(_("language"), max_length=8)
    variant = models.CharField(
        _("variant"), max_length=8, choices=DocumentVariant.choices, default=DocumentVariant.UA
    )
    report_status = models.CharField(max_length=20, choices=ReportStatus.choices)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="reports/pdf/", blank=True)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "language", "variant", "content_hash"],
                name="report_document_unique_content",
            ),
        ]

    def __str__(self):
        return f"{self.report} ({self.language}, {self.variant}, {self.status})"
