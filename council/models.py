"""The council's part: a version's way through review, its votings and ballots.

The transitions live in council/services.py; these models only record them.
See docs/council.md for the state machine and the decision rule.

Each table keeps the name it had when the model lived in ``plans`` (made by
plans' migrations 0002–0004): an existing database moves forward without
copying a row, since this app's first migration only takes over the state.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models import PlanVersion


class VersionEvent(models.Model):
    """One step of a version's way through review: who did what, when, and why.

    A version taken back for revision keeps its number and returns to draft;
    this log is what shows that it was once submitted, and the reason given.
    A council decision is recorded once; a correction of it is an event of its
    own, with the old and the new number and date in ``data`` and the reason.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted to the council")
        WITHDRAWN = "withdrawn", _("Taken back for revision")
        VOTING_OPENED = "voting_opened", _("Voting opened")
        APPROVED = "approved", _("Approved by the council")
        REJECTED = "rejected", _("Not approved; returned for revision")
        SUPERSEDED = "superseded", _("Superseded by a newer version")
        DECISION_RECORDED = "decision_recorded", _("Council decision recorded")
        DECISION_CORRECTED = "decision_corrected", _("Council decision corrected")
        # Submitted or approved although another version came into force
        # after it was copied, confirmed by staff (``data`` names that version).
        STALE_BASE_CONFIRMED = "stale_confirmed", _("Confirmed despite a newer version in force")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    # What the step changed, for the record: a decision's
    # {"old": {"number", "date"}, "new": {"number", "date"}} (ISO dates), or
    # the version in force that a confirmation overrode ({"in_force": id}).
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        db_table = "plans_versionevent"
        ordering = ["created_at", "id"]
        verbose_name = _("version event")
        verbose_name_plural = _("version events")

    def __str__(self):
        return f"{self.version_id} {self.kind}"


class BallotChoice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Voting(models.Model):
    """A council vote on one version under review, or on a yearly report.

    While open, the ballots are the record. At closing the roll call (every
    council member and their choice, or "did not vote") and the counts are
    written here, so that the record does not change when the council's
    membership changes later.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # What is voted on: a version under review, or a yearly implementation
    # report (exactly one of the two, ``voting_has_one_subject``).
    version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="votings"
    )
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="votings"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    council_size = models.PositiveIntegerField(_("council members"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    did_not_vote = models.PositiveIntegerField(_("did not vote"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # [{"member_id": 7, "member": "Ona Onaitė", "choice": "for" | … | "did_not_vote"}]
    roll = models.JSONField(_("roll call"), default=list, blank=True)

    class Meta:
        db_table = "plans_voting"
        ordering = ["-opened_at", "-id"]
        verbose_name = _("voting")
        verbose_name_plural = _("votings")
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(status="open"),
                name="voting_one_open_per_version",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="open"),
                name="voting_one_open_per_report",
            ),
            models.CheckConstraint(
                condition=Q(version__isnull=True, report__isnull=False)
                | Q(version__isnull=False, report__isnull=True),
                name="voting_has_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject} – {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("council:voting", args=[self.pk])

    @property
    def subject(self):
        """The version or the report voted on."""
        return self.version if self.version_id is not None else self.report

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Ballot(models.Model):
    """A council member's choice in a voting: one row per member, changed in place."""

    voting = models.ForeignKey(Voting, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=10, choices=BallotChoice.choices)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        db_table = "plans_ballot"
        ordering = ["voting", "voter"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["voting", "voter"], name="ballot_one_per_member"),
            models.CheckConstraint(
                condition=Q(choice__in=["for", "against", "abstain"]), name="ballot_choice_valid"
            ),
        ]

    def __str__(self):
        return f"{self.voter} – {self.choice}"
