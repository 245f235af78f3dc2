"""A resident's part: submitting, editing and withdrawing a proposal, supporting
and reporting another's.

A support or a report is an INSERT that a unique constraint lets through once
(a second one is a clear "already"); a resident's submissions queue on their
user row (``select_for_update``) so the per-account limit counts exactly.
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
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal.errors import NotAllowed
from planportal.ratelimit import address_hash

from ..models import Consultation, Eldership, Proposal, ProposalRevision, Report, Support
from ._common import (
    AlreadyDoneError,
    ConsultationClosedError,
    ProposalStateError,
    RateLimitError,
    _expect_open,
    _require_logged_in,
    find_target,
)
from .moderation import resident_report_count, tell_author_hidden

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser


# --- Proposals -------------------------------------------------------------------


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
    fields = {
        "consultation": consultation,
        "author": user,
        "text": text,
        "show_name": bool(show_name),
        "eldership": eldership,
        "address_hash": hashed,
        "consented_at": now,
        **target_fields,
    }
    return _create_numbered(consultation, fields)


# Two residents' submissions at the same moment read the same highest number;
# the unique constraint lets one through and the other takes the next one.
NUMBER_ATTEMPTS = 5


def _create_numbered(consultation: Consultation, fields: dict) -> Proposal:
    """Create the proposal with the consultation's next public number.

    The consultation's row is locked first (PostgreSQL), so submissions to
    one consultation take their numbers in turn; the unique constraint
    (consultation, number) is what settles it on any database, and a
    submission that lost the race retries with the next number.
    """
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    for attempt in range(NUMBER_ATTEMPTS):
        highest = (
            Proposal.objects.filter(consultation=consultation)
            .aggregate(highest=Max("public_number"))
            .get("highest")
        ) or 0
        try:
            with transaction.atomic():
                return Proposal.objects.create(public_number=highest + 1, **fields)
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def proposal_edit_check(*, user: AnyUser, proposal: Proposal) -> None:
    """Refuse, with the reason, an edit that ``proposal_edit`` would refuse.

    For the edit page, which says so before the author types anything; the
    service asks the same under its lock.
    """
    _check_own_open_proposal(user, proposal)
    _check_not_hidden(proposal)


def _check_not_hidden(proposal: Proposal) -> None:
    # A hidden proposal keeps the text the moderator judged: an edit would
    # replace what the reporters saw with a politer text.
    if proposal.hidden:
        raise ProposalStateError(
            _(
                "This proposal was hidden by the moderator (reason: %(reason)s): "
                "it can no longer be changed."
            )
            % {"reason": proposal.hidden_reason}
        )


def _lock_own_open_proposal(user: User, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _check_own_open_proposal(user, proposal)
    return proposal


def _check_own_open_proposal(user: AnyUser, proposal: Proposal) -> None:
    _require_logged_in(user)
    if not proposal.is_authored_by(user):
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


@transaction.atomic
def proposal_edit(
    *,
    user: User,
    proposal: Proposal,
    text: str,
    show_name: bool | None = None,
    eldership: Eldership | None | EllipsisType = ...,
) -> Proposal:
    """The author changes their proposal while the consultation is open and it is unanswered.

    Preconditions: ``user`` is the author; the proposal is neither withdrawn,
    answered nor hidden by a moderator; the consultation is open; the text is
    within the length bounds. The text it replaces is kept for the
    moderators (``ProposalRevision``).
    """
    proposal = _lock_own_open_proposal(user, proposal)
    _check_not_hidden(proposal)
    text = _clean_text(text)
    now = timezone.now()
    if text != proposal.text:
        ProposalRevision.objects.create(
            proposal=proposal,
            text=proposal.text,
            written_at=proposal.edited_at or proposal.created_at,
            replaced_at=now,
            replaced_by=user,
        )
    proposal.text = text
    fields = ["text", "edited_at"]
    if show_name is not None:
        proposal.show_name = bool(show_name)
        fields.append("show_name")
    if eldership is not ...:
        proposal.eldership = eldership
        fields.append("eldership")
    proposal.edited_at = now
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
    if proposal.is_authored_by(user):
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

    When the number of distinct resident accounts that reported it reaches
    ``CONSULTATIONS_AUTO_HIDE_REPORTS`` (reports of staff and council members
    are for the moderator, not counted) the proposal is hidden automatically,
    with a public reason saying so, until a moderator decides; its author is
    told.
    """
    _require_logged_in(user)
    proposal = _visible_for_actions(proposal)
    if proposal.is_authored_by(user):
        raise NotAllowed(_("You cannot report your own proposal."))
    reason = (reason or "").strip()[:500]
    try:
        with transaction.atomic():
            report = Report.objects.create(proposal=proposal, user=user, reason=reason)
    except IntegrityError:
        raise AlreadyDoneError(_("You already reported this proposal.")) from None
    threshold = settings.CONSULTATIONS_AUTO_HIDE_REPORTS
    if threshold:
        # Only the proposal's row is locked (the author may be gone: a
        # nullable join PostgreSQL cannot lock).
        locked = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("consultation", "author")
            .get(pk=proposal.pk)
        )
        if not locked.hidden and resident_report_count(locked) >= threshold:
            locked.hidden = True
            locked.hidden_reason = _(
                "Hidden automatically after several reports, until a moderator reviews it."
            )
            locked.hidden_at = timezone.now()
            locked.save(update_fields=["hidden", "hidden_reason", "hidden_at"])
            tell_author_hidden(locked)
    return report
