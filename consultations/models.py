"""The public consultation (viešas aptarimas) of a draft plan version.

Staff open a ``Consultation`` on a draft: the version becomes
``consultation`` (public and frozen). Between ``starts_at`` and ``ends_at``
residents submit ``Proposal``s on the plan as a whole or on one node (found by
its ``key``, which survives renumbering and later drafts), support other
residents' proposals once (``Support``) and report abusive ones (``Report``).
Staff answer each proposal; an answer is prepared first and becomes public
when published.

Whether a consultation is open is computed from its dates on every read, so
it closes by itself at ``ends_at`` without any scheduled job. The writes live
in ``services/``; the constraints here are the last line of defence against
races (one support and one report per resident and proposal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.levels import NodeLevel
from plans.models import PlanVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from planportal.roles import AnyUser


class Eldership(models.Model):
    """A seniūnija of the municipality, which a resident may name with a proposal."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("eldership")
        verbose_name_plural = _("elderships")

    def __str__(self):
        return self.name


class ConsultationState(models.TextChoices):
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Consultation(models.Model):
    version = models.OneToOneField(
        PlanVersion,
        verbose_name=_("plan version"),
        on_delete=models.PROTECT,
        related_name="consultation",
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="consultation_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    def state_at(self, moment) -> str:
        if moment < self.starts_at:
            return ConsultationState.UPCOMING
        if moment >= self.ends_at:
            return ConsultationState.CLOSED
        return ConsultationState.OPEN

    @property
    def state(self) -> str:
        return self.state_at(timezone.now())

    @property
    def is_open(self) -> bool:
        return self.state == ConsultationState.OPEN

    def get_state_display(self) -> StrOrPromise:
        return ConsultationState(self.state).label


class ResponseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    # The two extras documented in docs/api.md: the proposal asks for what
    # the plan already has, or for something a municipal plan cannot decide.
    ALREADY_IN_PLAN = "already_in_plan", _("Already in the plan")
    OUT_OF_SCOPE = "out_of_scope", _("Outside the plan's scope")


# A proposal's public status: one of the answers above once published, or:
PENDING = "pending"
HIDDEN = "hidden"
WITHDRAWN = "withdrawn"
LINKABLE_STATUSES = frozenset({ResponseStatus.ACCEPTED, ResponseStatus.PARTLY_ACCEPTED})


class ProposalQuerySet(models.QuerySet):
    def visible(self):
        """Proposals the public counts: neither withdrawn by their author nor hidden
        by a moderator (a hidden one stays listed, with the reason, but is not counted)."""
        return self.filter(withdrawn_at__isnull=True, hidden=False)


class Proposal(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    # The one number the public knows a proposal by, within its consultation:
    # the page, its own address, the files, the PDF annex and the e-mails all
    # show it. Given once by ``proposal_submit`` (1, 2, 3 … in order of
    # submission) and never reused: a hidden or withdrawn proposal keeps its
    # number, so the public list may have gaps but a number never changes.
    public_number = models.PositiveIntegerField(_("number"), editable=False)
    # The node the proposal is about, or none for the plan as a whole. The
    # code and title are kept as they were when the proposal was written, so
    # the table of answers still reads right after renumbering.
    target_key = models.UUIDField(_("node key"), null=True, blank=True)
    target_level = models.CharField(
        _("level"), max_length=10, choices=NodeLevel.choices, blank=True
    )
    target_code = models.CharField(_("code"), max_length=32, blank=True)
    target_title = models.CharField(_("node title"), max_length=500, blank=True)
    # Null once the author deleted their account: the text stays, anonymised.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    show_name = models.BooleanField(_("show my name publicly"), default=False)
    eldership = models.ForeignKey(
        Eldership,
        verbose_name=_("eldership"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    text = models.TextField(_("proposal"))
    # A keyed hash of the sender's address, for the per-address rate limit
    # only: the address itself is never stored.
    address_hash = models.CharField(max_length=64, blank=True, editable=False)
    consented_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    response_status = models.CharField(
        _("answer"), max_length=20, choices=ResponseStatus.choices, blank=True
    )
    response_text = models.TextField(_("justification"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_published_at = models.DateTimeField(_("answer published"), null=True, blank=True)
    # Where an accepted proposal went: a node (by key) of a later version.
    linked_version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("changed in version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    linked_key = models.UUIDField(_("changed node"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["consultation", "target_key"], name="proposal_by_node"),
            models.Index(fields=["author", "created_at"], name="proposal_by_author"),
            models.Index(fields=["address_hash", "created_at"], name="proposal_by_address"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "public_number"], name="proposal_number_once"
            ),
            models.CheckConstraint(
                condition=Q(public_number__gte=1), name="proposal_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(response_published_at__isnull=True) | ~Q(response_status=""),
                name="proposal_published_answer_has_status",
            ),
            models.CheckConstraint(
                condition=Q(hidden=False) | ~Q(hidden_reason=""),
                name="proposal_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        """The proposal's own page, its permanent address."""
        return reverse("consultations:proposal", args=[self.consultation_id, self.public_number])

    @property
    def anchor(self) -> str:
        """The id of the proposal's card on the consultation's page."""
        return f"proposal-{self.public_number}"

    def get_list_url(self) -> str:
        """The proposal's card in the consultation's list."""
        return reverse("consultations:detail", args=[self.consultation_id]) + f"#{self.anchor}"

    @property
    def author_display(self) -> str:
        """The name shown publicly: the author's, only if they chose so."""
        if self.author_id and self.show_name and self.author is not None:
            name = self.author.get_full_name().strip()
            if name:
                return name
        return str(_("Resident"))

    def is_authored_by(self, user: AnyUser | None) -> bool:
        """Whether ``user`` wrote this proposal: a signed-in account whose id is the author's.

        A proposal whose author deleted their account has no author, and
        nobody is its author then: comparing ``author_id`` with the id of an
        anonymous visitor (both None) must never say yes.
        """
        return (
            self.author_id is not None
            and user is not None
            and user.is_authenticated
            and user.pk == self.author_id
        )

    @property
    def public_status(self) -> str:
        if self.withdrawn_at:
            return WITHDRAWN
        if self.hidden:
            return HIDDEN
        if self.response_published_at:
            return self.response_status
        return PENDING

    def get_public_status_display(self) -> str:
        return str(STATUS_LABELS[self.public_status])


STATUS_LABELS = {
    PENDING: _("Awaiting an answer"),
    HIDDEN: _("Hidden by the moderator"),
    WITHDRAWN: _("Withdrawn by the author"),
    **{choice.value: choice.label for choice in ResponseStatus},
}
PUBLIC_STATUS_CHOICES = (
    [(PENDING, STATUS_LABELS[PENDING])]
    + list(ResponseStatus.choices)
    + [(HIDDEN, STATUS_LABELS[HIDDEN])]
)


class ProposalRevision(models.Model):
    """A text a proposal had before its author changed it: the moderators' record.

    Written by ``proposal_edit`` before every change of the text, so that a
    moderator judging a report sees what the reporters saw, not only the
    text as it is now. Staff only (browser and API); the author finds their
    own earlier texts in their data download. Erased with the proposal's text
    when the author deletes their account after withdrawing it
    (services/personal_data.py).
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(_("earlier text"))
    # When this text was written: the proposal's submission or its previous edit.
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    # Who replaced it (the author; null once that account is deleted).
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["proposal", "replaced_at", "id"]
        verbose_name = _("earlier text of a proposal")
        verbose_name_plural = _("earlier texts of proposals")

    def __str__(self):
        return f"{self.proposal_id} @ {self.replaced_at:%Y-%m-%d %H:%M}"


class Support(models.Model):
    """A resident's "pritariu" to someone else's proposal: once, by constraint."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_resident"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}"


class Report(models.Model):
    """Someone logged in flagged a proposal for the moderators: once each."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="report_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user_id} ⚑ {self.proposal_id}"


class AnswerLetterOptOut(models.Model):
    """A resident who asked not to be e-mailed when a proposal they wrote or
    supported is answered (the profile's setting; no row: letters are sent).

    A row rather than a flag on the user: accounts knows nothing of
    consultations, and the choice goes with the account when it is deleted.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("refusal of answer letters")
        verbose_name_plural = _("refusals of answer letters")

    def __str__(self):
        return str(self.user_id)
