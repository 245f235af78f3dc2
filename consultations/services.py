"""Every write of the public consultation.

Keyword-only functions, each in one transaction, each checking the role and
the consultation's state first with a clear message. Browser views, the API
and the demo loader all call these, so the rules cannot disagree.

Races are settled by the database: a support or a report is an INSERT that a
unique constraint lets through once (a second one is a clear "already"); a
resident's submissions queue on their user row (``select_for_update``) so
the per-account limit counts exactly; moderation and answers lock the
proposal row.
"""

from __future__ import annotations

import datetime
import uuid
from types import EllipsisType
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import services as notifications
from planportal import pagecache
from planportal.errors import Conflict, NotAllowed, RateLimited
from planportal.ratelimit import address_hash
from planportal.roles import ANONYMOUS, require_staff, role_of
from plans.levels import LEVELS
from plans.models import FrozenVersionError, PlanVersion, VersionStatus

from .models import (
    LINKABLE_STATUSES,
    Consultation,
    ConsultationState,
    Eldership,
    Proposal,
    Report,
    ResponseStatus,
    Support,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser
    from plans.models import Node

PROPOSAL_ANSWERED = "proposal_answered"


# Each refusal declares its code and HTTP status once (planportal/errors.py);
# the browser views and the API both read them, so they cannot disagree. Any
# other ValidationError is a form to correct (400).


class ConsultationClosedError(Conflict):
    """The consultation does not take proposals now (before start or after end).

    ``consultation_not_started`` before the start, ``consultation_closed`` after.
    """

    code = "consultation_closed"


class AlreadyDoneError(Conflict):
    """A support or report that this user already gave (answered with 409)."""

    code = "already_done"


class RateLimitError(RateLimited):
    """Too many proposals in the last hour (answered with 429)."""

    code = "rate_limited"


class ProposalStateError(Conflict):
    """The proposal's state forbids it: withdrawn, already answered, hidden, or
    without an answer to publish (answered with 409)."""

    code = "proposal_state"


def _require_logged_in(user: AnyUser) -> None:
    if role_of(user) == ANONYMOUS:
        raise PermissionDenied(_("Log in to take part in the consultation."))


def _bump_on_commit() -> None:
    # The plan pages of a consultation version are never cached, but the
    # plan page of the version in force lists the versions and their states.
    transaction.on_commit(pagecache.bump)


def _format_moment(moment: datetime.datetime) -> str:
    from django.utils import formats

    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _expect_open(consultation: Consultation) -> None:
    state = consultation.state
    if state == ConsultationState.UPCOMING:
        raise ConsultationClosedError(
            _("The consultation opens on %(start)s: proposals are not accepted yet.")
            % {"start": _format_moment(consultation.starts_at)},
            code="consultation_not_started",
        )
    if (
        state == ConsultationState.CLOSED
        or consultation.version.status != VersionStatus.CONSULTATION
    ):
        raise ConsultationClosedError(
            _("The consultation closed on %(end)s: proposals are no longer accepted.")
            % {"end": _format_moment(consultation.ends_at)}
        )


# --- Opening and extending -------------------------------------------------------


@transaction.atomic
def consultation_open(
    *,
    user: User,
    version: PlanVersion,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    description: str = "",
) -> Consultation:
    """Open the public consultation of a draft.

    Preconditions: ``user`` is staff; ``version`` is a draft without a
    consultation; ``ends_at`` is after ``starts_at`` and in the future. The
    version becomes ``consultation``: public and read-only.
    """
    require_staff(user)
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the consultation a title.")
    if starts_at is None:
        errors["starts_at"] = _("Give the start of the consultation.")
    if ends_at is None:
        errors["ends_at"] = _("Give the end of the consultation.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    elif ends_at <= timezone.now():
        errors["ends_at"] = _("The end must be in the future.")
    if errors:
        raise ValidationError(errors)
    version = PlanVersion.objects.locked(version.pk)
    if version.status != VersionStatus.DRAFT:
        raise FrozenVersionError(
            {
                "version": _(
                    "Only a draft can be put to public consultation; this version is %(status)s."
                )
                % {"status": VersionStatus(version.status).label.lower()}
            }
        )
    if Consultation.objects.filter(version=version).exists():
        raise AlreadyDoneError({"version": _("This version already had a public consultation.")})
    consultation = Consultation.objects.create(
        version=version,
        title=title,
        description=(description or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        opened_by=user,
    )
    PlanVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.CONSULTATION, updated_at=timezone.now()
    )
    version.status = VersionStatus.CONSULTATION
    _bump_on_commit()
    return consultation


@transaction.atomic
def consultation_extend(
    *, user: User, consultation: Consultation, ends_at: datetime.datetime
) -> Consultation:
    """Move the end of a consultation later (also re-opening one that just closed).

    Preconditions: ``user`` is staff; the version is still under
    consultation (not yet sent to the council); the new end is later than the
    current one and in the future.
    """
    require_staff(user)
    consultation = (
        Consultation.objects.select_for_update().select_related("version").get(pk=consultation.pk)
    )
    if consultation.version.status != VersionStatus.CONSULTATION:
        raise ConsultationClosedError(
            {
                "ends_at": _(
                    "The version has left public consultation: its end can no longer change."
                )
            }
        )
    if ends_at is None or ends_at <= consultation.ends_at:
        raise ValidationError({"ends_at": _("The new end must be later than the current one.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The end must be in the future.")})
    consultation.ends_at = ends_at
    consultation.save(update_fields=["ends_at", "updated_at"])
    _bump_on_commit()
    return consultation


# --- Proposals -------------------------------------------------------------------


def find_target(version: PlanVersion, key: uuid.UUID | str) -> tuple[str, Node] | None:
    """The (level, node) of ``version`` whose key is ``key``; None if none."""
    try:
        key = uuid.UUID(str(key))
    except (ValueError, TypeError, AttributeError):
        return None
    for level in LEVELS.values():
        node = level.model.objects.filter(version=version, key=key).first()
        if node is not None:
            return level.name, node
    return None


def _clean_text(text: str, field: str = "text") -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    low, high = (
        settings.CONSULTATIONS_PROPOSAL_MIN_LENGTH,
        settings.CONSULTATIONS_PROPOSAL_MAX_LENGTH,
    )
    if len(text) < low:
        raise ValidationError(
            {field: _("A proposal needs at least %(min)d characters.") % {"min": low}}
        )
    if len(text) > high:
        raise ValidationError(
            {
                field: _("A proposal can have at most %(max)d characters (this one has %(count)d).")
                % {"max": high, "count": len(text)}
            }
        )
    return text


def _check_rate(*, user: User, address: str) -> None:
    since = timezone.now() - datetime.timedelta(hours=1)
    per_account = settings.CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ACCOUNT
    if (
        per_account
        and Proposal.objects.filter(author=user, created_at__gte=since).count() >= per_account
    ):
        raise RateLimitError(
            _(
                "You have submitted %(count)d proposals in the last hour, the most allowed. "
                "Please try again later."
            )
            % {"count": per_account}
        )
    per_address = settings.CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS
    if (
        per_address
        and address
        and Proposal.objects.filter(address_hash=address, created_at__gte=since).count()
        >= per_address
    ):
        raise RateLimitError(
            _(
                "Too many proposals were sent from your network in the last hour. "
                "Please try again later."
            )
        )


@transaction.atomic
def proposal_submit(
    *,
    user: User,
    consultation: Consultation,
    text: str,
    target: uuid.UUID | str | None = None,
    show_name: bool = False,
    eldership: Eldership | None = None,
    address: str | None = None,
    honeypot: str = "",
) -> Proposal:
    """A resident's proposal on the plan as a whole (``target`` None) or on a node.

    Preconditions: ``user`` is logged in; the consultation is open (after
    ``starts_at``, before ``ends_at``, version still under consultation);
    ``target`` is the key of a node of the consultation's version; the text
    is within the length bounds; the honeypot is empty; the account and the
    address are within their hourly limits.
    """
    _require_logged_in(user)
    if honeypot:
        # Only bots fill the hidden field; the message says nothing useful to them.
        raise ValidationError(_("The proposal could not be accepted."))
    consultation = Consultation.objects.select_related("version").get(pk=consultation.pk)
    _expect_open(consultation)
    text = _clean_text(text)
    target_fields = {}
    if target not in (None, ""):
        found = find_target(consultation.version, target)
        if found is None:
            raise ValidationError(
                {"target": _("This part of the plan is not in the draft under consultation.")}
            )
        level, node = found
        target_fields = {
            "target_key": node.key,
            "target_level": level,
            "target_code": node.code,
            "target_title": node.title[:500],
        }
    # Queue this resident's submissions on their row, so that the hourly
    # count below cannot be passed by sending many at once.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    hashed = address_hash(address)
    _check_rate(user=user, address=hashed)
    now = timezone.now()
    return Proposal.objects.create(
        consultation=consultation,
        author=user,
        text=text,
        show_name=bool(show_name),
        eldership=eldership,
        address_hash=hashed,
        consented_at=now,
        **target_fields,
    )


def _lock_own_open_proposal(user: User, proposal: Proposal) -> Proposal:
    _require_logged_in(user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != user.pk:
        raise PermissionDenied(_("Only the author can change a proposal."))
    if proposal.withdrawn_at:
        raise ProposalStateError(_("This proposal was withdrawn."))
    consultation = Consultation.objects.select_related("version").get(pk=proposal.consultation_id)
    try:
        _expect_open(consultation)
    except ConsultationClosedError as error:
        raise ConsultationClosedError(
            _("The consultation is closed: proposals can no longer be changed or withdrawn.")
        ) from error
    if proposal.response_published_at:
        raise ProposalStateError(_("This proposal has been answered: it can no longer be changed."))
    return proposal


@transaction.atomic
def proposal_edit(
    *,
    user: User,
    proposal: Proposal,
    text: str,
    show_name: bool | None = None,
    eldership: Eldership | None | EllipsisType = ...,
) -> Proposal:
    """The author changes their proposal while the consultation is open and it is unanswered."""
    proposal = _lock_own_open_proposal(user, proposal)
    proposal.text = _clean_text(text)
    fields = ["text", "edited_at"]
    if show_name is not None:
        proposal.show_name = bool(show_name)
        fields.append("show_name")
    if eldership is not ...:
        proposal.eldership = eldership
        fields.append("eldership")
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=fields)
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: Proposal) -> Proposal:
    """The author withdraws their proposal while the consultation is open.

    The row stays (the author still sees it, marked withdrawn); the public no
    longer does.
    """
    proposal = _lock_own_open_proposal(user, proposal)
    proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["withdrawn_at"])
    return proposal


def _visible_for_actions(proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_related("consultation__version").get(pk=proposal.pk)
    if proposal.withdrawn_at:
        raise ProposalStateError(_("This proposal was withdrawn."))
    return proposal


# --- Supports and reports ---------------------------------------------------------


@transaction.atomic
def proposal_support(*, user: User, proposal: Proposal) -> Support:
    """Say "pritariu" to another resident's proposal: once per resident.

    Preconditions: ``user`` is logged in and not the author; the proposal is
    public and the consultation open. A second support (even sent at the same
    moment) is refused by the unique constraint.
    """
    _require_logged_in(user)
    proposal = _visible_for_actions(proposal)
    if proposal.hidden:
        raise ProposalStateError(_("A hidden proposal cannot be supported."))
    if proposal.author_id == user.pk:
        raise NotAllowed(_("You cannot support your own proposal."))
    _expect_open(proposal.consultation)
    try:
        with transaction.atomic():
            return Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise AlreadyDoneError(_("You already support this proposal.")) from None


@transaction.atomic
def proposal_unsupport(*, user: User, proposal: Proposal) -> int:
    """Take one's support back while the consultation is open; returns 1 or 0."""
    _require_logged_in(user)
    proposal = _visible_for_actions(proposal)
    _expect_open(proposal.consultation)
    deleted, _rows = Support.objects.filter(proposal=proposal, user=user).delete()
    return deleted


@transaction.atomic
def proposal_report(*, user: User, proposal: Proposal, reason: str = "") -> Report:
    """Flag a proposal for the moderators: once per user.

    When the number of reports reaches ``CONSULTATIONS_AUTO_HIDE_REPORTS``
    the proposal is hidden automatically, with a public reason saying so,
    until a moderator decides.
    """
    _require_logged_in(user)
    proposal = _visible_for_actions(proposal)
    if proposal.author_id == user.pk:
        raise NotAllowed(_("You cannot report your own proposal."))
    reason = (reason or "").strip()[:500]
    try:
        with transaction.atomic():
            report = Report.objects.create(proposal=proposal, user=user, reason=reason)
    except IntegrityError:
        raise AlreadyDoneError(_("You already reported this proposal.")) from None
    threshold = settings.CONSULTATIONS_AUTO_HIDE_REPORTS
    if threshold:
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not locked.hidden and locked.reports.count() >= threshold:
            locked.hidden = True
            locked.hidden_reason = _(
                "Hidden automatically after several reports, until a moderator reviews it."
            )
            locked.hidden_at = timezone.now()
            locked.save(update_fields=["hidden", "hidden_reason", "hidden_at"])
    return report


# --- Moderation -----------------------------------------------------------------


@transaction.atomic
def proposal_hide(*, user: User, proposal: Proposal, reason: str) -> Proposal:
    """Staff hide a proposal with a public reason; the record and its text stay."""
    require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the public reason for hiding the proposal.")})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.hidden = True
    proposal.hidden_reason = reason[:500]
    proposal.hidden_at = timezone.now()
    proposal.hidden_by = user
    proposal.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    return proposal


@transaction.atomic
def proposal_unhide(*, user: User, proposal: Proposal) -> Proposal:
    """Staff show a hidden proposal again (e.g. one hidden automatically by mistake)."""
    require_staff(user)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.hidden = False
    proposal.hidden_reason = ""
    proposal.hidden_at = None
    proposal.hidden_by = user
    proposal.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    return proposal


# --- Official answers -------------------------------------------------------------


def _link_target(
    proposal: Proposal,
    status: str,
    linked_version: PlanVersion | None,
    linked_key: uuid.UUID | str | None,
) -> tuple[PlanVersion | None, uuid.UUID | None]:
    if linked_version is None and not linked_key:
        return None, None
    if linked_version is not None and not linked_key and proposal.target_key:
        # A node keeps its key in later drafts: by default the change is in
        # the node the proposal was about.
        linked_key = proposal.target_key
    errors = {}
    if status not in LINKABLE_STATUSES:
        errors["linked_key"] = _(
            "Only an accepted or partly accepted proposal can be linked to a change."
        )
    elif linked_version is None or not linked_key:
        errors["linked_key"] = _("Choose both the later version and the node that changed.")
    else:
        origin = proposal.consultation.version
        if linked_version.plan_id != origin.plan_id or linked_version.number <= origin.number:
            errors["linked_version"] = _("Choose a later version of the same plan.")
        else:
            linked_key = _node_key(linked_version, linked_key)
            if linked_key is None or find_target(linked_version, linked_key) is None:
                errors["linked_key"] = _("That node is not in the chosen version.")
    if errors:
        raise ValidationError(errors)
    return linked_version, uuid.UUID(str(linked_key))


def _node_key(version: PlanVersion, value: uuid.UUID | str) -> uuid.UUID | None:
    """The key ``value`` names: a key as it is, or a node's code in ``version``.

    Staff know a node by its code ("C.3.4.4"), not by its key; codes are
    unique within a version (each level has its own shape of code).
    """
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        pass
    code = str(value).strip()
    for level in LEVELS.values():
        key = (
            level.model.objects.filter(version=version, code=code)
            .values_list("key", flat=True)
            .first()
        )
        if key is not None:
            return key
    return None


@transaction.atomic
def proposal_answer(
    *,
    user: User,
    proposal: Proposal,
    status: str,
    text: str,
    publish: bool = False,
    linked_version: PlanVersion | None = None,
    linked_key: uuid.UUID | str | None = None,
    notify: bool = True,
) -> Proposal:
    """Staff write (or change) the official answer to a proposal.

    Preconditions: ``user`` is staff; ``status`` is one of ``ResponseStatus``;
    ``text`` (the justification) is not empty; a link to a later version's
    node only for an accepted or partly accepted proposal. With ``publish``
    the answer becomes public at once and the author is told by e-mail;
    otherwise it stays prepared until published (``answers_publish``). An
    answer already published is changed in public too, and the author told.
    ``notify=False`` publishes without telling (the demo loader's invented
    residents have no mailbox).
    """
    require_staff(user)
    text = (text or "").strip()
    errors = {}
    if status not in ResponseStatus.values:
        errors["status"] = _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(ResponseStatus.values)
        }
    if not text:
        errors["text"] = _("Give the justification of the answer.")
    if errors:
        raise ValidationError(errors)
    proposal = (
        Proposal.objects.select_for_update()
        .select_related("consultation__version")
        .get(pk=proposal.pk)
    )
    if proposal.withdrawn_at:
        raise ProposalStateError(
            _("This proposal was withdrawn by its author: it needs no answer.")
        )
    proposal.linked_version, proposal.linked_key = _link_target(
        proposal, status, linked_version, linked_key
    )
    proposal.response_status = status
    proposal.response_text = text
    proposal.responded_by = user
    proposal.responded_at = timezone.now()
    was_published = proposal.response_published_at is not None
    proposal.save(
        update_fields=[
            "response_status",
            "response_text",
            "responded_by",
            "responded_at",
            "linked_version",
            "linked_key",
        ]
    )
    if publish or was_published:
        _publish([proposal], notify=notify)
    return proposal


def _publish(proposals: list[Proposal], *, notify: bool = True) -> int:
    now = timezone.now()
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(response_published_at=now)
    for proposal in proposals:
        proposal.response_published_at = now
    if notify:
        _notify_authors(proposals)
    return len(proposals)


def _notify_authors(proposals: list[Proposal]) -> None:
    from django.utils import translation

    # One query for all the authors, not one per proposal (publishing every
    # prepared answer at once may tell hundreds).
    authors = get_user_model().objects.in_bulk(
        {p.author_id for p in proposals if p.author_id is not None}
    )
    with translation.override(settings.LANGUAGE_CODE):
        for proposal in proposals:
            author = authors.get(proposal.author_id)
            if author is None:
                continue
            notifications.notify(
                users=[author],
                kind=PROPOSAL_ANSWERED,
                subject=_("Your proposal was answered: %(title)s")
                % {"title": proposal.consultation.title},
                text=_("The municipality's answer: %(status)s.\n\n%(text)s")
                % {
                    "status": ResponseStatus(proposal.response_status).label,
                    "text": proposal.response_text,
                },
                url=proposal.get_absolute_url(),
            )


@transaction.atomic
def answer_publish(*, user: User, proposal: Proposal) -> Proposal:
    """Publish one prepared answer. Preconditions: staff; the proposal has an answer."""
    require_staff(user)
    proposal = (
        Proposal.objects.select_for_update().select_related("consultation").get(pk=proposal.pk)
    )
    if not proposal.response_status:
        raise ProposalStateError(_("This proposal has no answer to publish yet."))
    if proposal.response_published_at is None:
        _publish([proposal])
    return proposal


@transaction.atomic
def answers_publish(*, user: User, consultation: Consultation) -> int:
    """Publish every prepared, unpublished answer of a consultation at once.

    Returns how many were published; each author is told by e-mail.
    """
    require_staff(user)
    prepared = list(
        Proposal.objects.select_for_update()
        .select_related("consultation")
        .filter(
            consultation=consultation, response_published_at__isnull=True, withdrawn_at__isnull=True
        )
        .exclude(response_status="")
    )
    return _publish(prepared) if prepared else 0


# --- Personal data -----------------------------------------------------------------


@transaction.atomic
def author_anonymise(*, user: User) -> int:
    """Detach a user's proposals before their account is deleted.

    The proposals stay, with their text and answers, shown as by "Resident"
    (author removed, name no longer shown, the address hash dropped); the
    user's supports and reports are deleted (they are about the person, not
    about the plan). Returns the number of proposals anonymised. Called by
    the accounts app inside its delete-account transaction.
    """
    count = Proposal.objects.filter(author=user).update(
        author=None, show_name=False, address_hash=""
    )
    Support.objects.filter(user=user).delete()
    Report.objects.filter(user=user).delete()
    if count:
        _bump_on_commit()
    return count
