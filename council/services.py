"""Council review and votes: every state change of a version after drafting.

The state machine (docs/council.md):

    draft ──submit──▶ council_review ──close (passed)──▶ approved ──▶ superseded
    consultation ─┘        │   ▲                       (when a newer one passes)
                           │   └─ open voting (staff)
          ◀─withdraw (reason)─┘
          ◀─close (not passed)─┘

A version taken back or rejected returns to ``draft`` under the same number;
``VersionEvent`` keeps the trail (who, when, why). A version whose base is no
longer the version in force (``plans.lineage``) is submitted or approved only
with a confirmation naming the version in force it would undo; a council
decision is recorded once, and corrected only with a reason. Writes are
keyword-only, run in one transaction, lock the version row first
(``select_for_update``), so that an edit, a submission and a closing of the
same version queue up rather than interleave, and re-check the state under
the lock. Each status change retires the public page cache once the
transaction commits.

Other parts (notifications, review comments) build on what these functions
return and on ``VersionEvent``; nothing here imports them. Parts that must
hold a submission back or follow a decision register hooks
(``planportal.extensions``: ``SubmitGuard``, ``VersionRecordChanged``).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from council import notices
from council.models import Ballot, BallotChoice, VersionEvent, Voting

# The decision rule lives in council/tally.py; its names stay importable here.
from council.tally import (  # noqa: F401
    DID_NOT_VOTE,
    Tally,
    council_members,
    member_name,
    tally_of,
)
from planportal import extensions, pagecache
from planportal.errors import Conflict
from planportal.extensions import registry
from planportal.roles import is_council_member, require_staff
from plans import decisions
from plans.lineage import StaleBase, stale_base
from plans.models import PlanVersion, VersionStatus
from reports import services as reports

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from reports.models import Report

SUBMITTABLE_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.CONSULTATION})
# Votings and their roll calls become public with the version they decided.
PUBLIC_VOTING_STATUSES = frozenset({VersionStatus.APPROVED, VersionStatus.SUPERSEDED})
PUBLIC_EVENT_KINDS = (
    VersionEvent.Kind.APPROVED,
    VersionEvent.Kind.SUPERSEDED,
    VersionEvent.Kind.DECISION_RECORDED,
    # A public record corrected in public: who may see the decision sees
    # that it was corrected, from what, and why.
    VersionEvent.Kind.DECISION_CORRECTED,
)
# Without a voting in the portal (an approval recorded from the paper
# archive), a plan is taken to be adopted at most this many years before its
# period begins: a decision dated earlier is a typing error.
YEARS_ADOPTED_BEFORE_PERIOD = 3


class TransitionError(Conflict):
    """The action is not allowed in the current state (answered with 409).

    The code says which state: ``transition_not_allowed`` (the version's
    status), ``voting_open``, ``voting_closed``, ``deadline_passed``, or the
    code of the submit guard that held the version back.
    """

    code = "transition_not_allowed"


class StaleBaseError(Conflict):
    """The version was copied from one that is no longer in force (409 ``stale_base``).

    Submitting or approving it would undo what the version now in force
    changed; staff must confirm with that version's id (``confirm_stale``).
    ``details()`` gives the API client what it needs to look before it does.
    """

    code = "stale_base"

    def __init__(self, stale: StaleBase, *, action: str) -> None:
        base = stale.base.number if stale.base else None
        if base is None:
            message = _(
                "Version %(number)s was not copied from version %(in_force)s, which has come "
                "into force since it was made: %(action)s it would replace version "
                "%(in_force)s and undo its changes. Compare the two versions and confirm."
            )
        else:
            message = _(
                "Version %(number)s was copied from version %(base)s, but version %(in_force)s "
                "has come into force since: %(action)s it would undo the changes of version "
                "%(in_force)s. Compare the two versions and confirm."
            )
        super().__init__(
            message
            % {
                "number": stale.version.number,
                "base": base,
                "in_force": stale.in_force.number,
                "action": action,
            }
        )
        self.stale = stale

    def details(self) -> dict:
        from plans.diff import version_diff

        version, in_force = self.stale.version, self.stale.in_force
        counts = version_diff(version, in_force).counts
        return {
            "in_force": in_force.pk,
            "based_on": self.stale.base.pk if self.stale.base else None,
            # What the version would change in the plan in force: the nodes it
            # lacks (removed) and those it adds, by the comparison's rules.
            "difference": counts,
            "diff": reverse("version-diff", args=[version.pk]) + f"?against={in_force.pk}",
            "compare": self.stale.compare_url,
        }


class DecisionRecordedError(Conflict):
    """The version's council decision is recorded already (409 ``decision_recorded``)."""

    code = "decision_recorded"


def _status_label(status: str) -> str:
    return str(VersionStatus(status).label).lower()


def _lock_voting(voting_id: int) -> Voting:
    return Voting.objects.select_for_update().get(pk=voting_id)


def _expect_status(version: PlanVersion, allowed: Collection[str], action: str) -> None:
    if version.status not in allowed:
        raise TransitionError(
            _("Version %(number)s is %(status)s: it cannot be %(action)s.")
            % {"number": version.number, "status": _status_label(version.status), "action": action}
        )


def _set_status(version: PlanVersion, status: str, **fields: Any) -> None:
    version.status = status
    for name, value in fields.items():
        setattr(version, name, value)
    version.save(update_fields=["status", "updated_at", *fields])
    # Other parts act on the new state (documents queues its PDF).
    extensions.version_status_changed(version)


def _check_stale(
    user: User, version: PlanVersion, confirm_stale: int | None, *, action: str, step: str
) -> None:
    """Refuse ``version`` when its base is stale, unless the confirmation names
    the version in force; a confirmed override is kept as an event."""
    stale = stale_base(version)
    if stale is None:
        return
    # The id, not a yes: a confirmation given for one version in force does
    # not carry over to another approved meanwhile.
    if confirm_stale != stale.in_force.pk:
        raise StaleBaseError(stale, action=action)
    VersionEvent.objects.create(
        version=version,
        kind=VersionEvent.Kind.STALE_BASE_CONFIRMED,
        user=user,
        data={
            "in_force": stale.in_force.pk,
            "in_force_number": stale.in_force.number,
            "step": step,
        },
    )


def _bump_on_commit() -> None:
    # Public pages are cached per status; a page cached from the old state
    # must not outlive the transaction that changed it.
    transaction.on_commit(pagecache.bump)


# --- Submit and take back ---------------------------------------------------------


def submit_refusal(version: PlanVersion) -> TransitionError | None:
    """Why ``version`` cannot go to the council now, or None when it can.

    The same rules ``version_submit`` applies under its lock (the version's
    status, then the submit guards of other parts: a public consultation
    still open), read without writing, so that a page offers the submit
    button only when the service would accept it and names the reason
    otherwise. A stale base is not a refusal: it asks for a confirmation.
    """
    try:
        _expect_status(version, SUBMITTABLE_STATUSES, _("submitted to the council"))
    except TransitionError as error:
        return error
    # Other parts may hold a version back (a public consultation still open:
    # consultations/apps.py registers that guard).
    for guard in registry.submit_guards:
        reason = guard.refusal(version)
        if reason:
            return TransitionError(reason, code=guard.code)
    return None


@transaction.atomic
def version_submit(
    *, user: User, version: PlanVersion, confirm_stale: int | None = None
) -> PlanVersion:
    """Send a draft (or a version whose public consultation is over) to the council.

    From here on the version is frozen: only drafts can be edited. A version
    under public consultation goes only once the consultation has ended:
    residents must have had the whole announced period. A version whose base
    is no longer in force goes only with ``confirm_stale`` set to the id of the
    version in force (``StaleBaseError`` otherwise).
    """
    require_staff(user)
    version = PlanVersion.objects.locked(version.pk)
    refusal = submit_refusal(version)
    if refusal is not None:
        raise refusal
    _check_stale(user, version, confirm_stale, action=_("submitting"), step="submit")
    _set_status(version, VersionStatus.COUNCIL_REVIEW)
    VersionEvent.objects.create(version=version, kind=VersionEvent.Kind.SUBMITTED, user=user)
    _bump_on_commit()
    notices.notify_council_version_submitted(version)
    return version


@transaction.atomic
def version_withdraw(*, user: User, version: PlanVersion, reason: str) -> PlanVersion:
    """Take a version under review back for revision: same number, draft again."""
    require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the version is taken back.")})
    version = PlanVersion.objects.locked(version.pk)
    _expect_status(version, {VersionStatus.COUNCIL_REVIEW}, _("taken back for revision"))
    if Voting.objects.filter(version=version, status=Voting.Status.OPEN).exists():
        raise TransitionError(
            _("A voting on this version is open: close it first."), code="voting_open"
        )
    _set_status(version, VersionStatus.DRAFT)
    VersionEvent.objects.create(
        version=version, kind=VersionEvent.Kind.WITHDRAWN, user=user, reason=reason
    )
    _bump_on_commit()
    return version


# --- Votings ----------------------------------------------------------------------


@transaction.atomic
def voting_open(
    *,
    user: User,
    version: PlanVersion | None = None,
    report: Report | None = None,
    deadline: datetime.datetime | None = None,
) -> Voting:
    """Open the council's voting on a version or a yearly report under review.

    Exactly one of ``version`` and ``report`` is given; one voting is open
    on it at a time. A report's state is the reports part's to judge
    (``reports.services.check_can_open_voting``, 409 ``report_state``), and
    the opening is an event in the report's history.
    """
    require_staff(user)
    if (version is None) == (report is None):
        raise ValidationError(_("Say what the voting is on: a version or a report."))
    if deadline is not None and deadline <= timezone.now():
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    if report is not None:
        return _open_on_report(user, report, deadline)
    assert version is not None  # for mypy: checked above
    version = PlanVersion.objects.locked(version.pk)
    _expect_status(version, {VersionStatus.COUNCIL_REVIEW}, _("put to the vote"))
    if Voting.objects.filter(version=version, status=Voting.Status.OPEN).exists():
        raise TransitionError(_("A voting on this version is already open."), code="voting_open")
    try:
        # The partial unique constraint is the real guard; the check above
        # only gives the usual case a clearer message.
        with transaction.atomic():
            voting = Voting.objects.create(version=version, deadline=deadline, opened_by=user)
    except IntegrityError:
        raise TransitionError(
            _("A voting on this version is already open."), code="voting_open"
        ) from None
    VersionEvent.objects.create(version=version, kind=VersionEvent.Kind.VOTING_OPENED, user=user)
    notices.notify_council_voting_opened(voting)
    return voting


def _open_on_report(user: User, report: Report, deadline: datetime.datetime | None) -> Voting:
    """``voting_open`` for a report, inside its transaction."""
    report = reports.check_can_open_voting(report)
    message = _("A voting on this report is already open.")
    if Voting.objects.filter(report=report, status=Voting.Status.OPEN).exists():
        raise TransitionError(message, code="voting_open")
    try:
        with transaction.atomic():
            voting = Voting.objects.create(report=report, deadline=deadline, opened_by=user)
    except IntegrityError:
        raise TransitionError(message, code="voting_open") from None
    reports.report_voting_opened(user=user, report=report)
    notices.notify_council_voting_opened(voting)
    return voting


def _check_can_vote(voting: Voting) -> None:
    if not voting.is_open:
        raise TransitionError(
            _("This voting is closed: ballots are no longer accepted."), code="voting_closed"
        )
    if voting.deadline is not None and timezone.now() > voting.deadline:
        raise TransitionError(
            _("The deadline of this voting has passed: ballots are no longer accepted."),
            code="deadline_passed",
        )


@transaction.atomic
def ballot_cast(*, user: User, voting: Voting, choice: str) -> tuple[Ballot, bool]:
    """Record a council member's choice; a second call changes the same ballot.

    Returns ``(ballot, created)``. A member has one ballot per voting, held by
    the database (``ballot_one_per_member``): two simultaneous requests of the
    same member queue on the voting's lock, and should the lock not serialise
    them (SQLite has no row locks), the loser of the insert updates the row
    the winner created.
    """
    if not is_council_member(user):
        raise PermissionDenied(_("Only council members can vote."))
    if choice not in BallotChoice.values:
        raise ValidationError({"choice": _("Choose for, against or abstain.")})
    voting = _lock_voting(voting.pk)
    _check_can_vote(voting)
    updated = Ballot.objects.filter(voting=voting, voter=user).update(
        choice=choice, changed_at=timezone.now()
    )
    # update() sends no signal; the voting's turnout shows on cached pages.
    pagecache.bump_on_commit("council")
    if updated:
        return Ballot.objects.get(voting=voting, voter=user), False
    try:
        with transaction.atomic():
            return Ballot.objects.create(voting=voting, voter=user, choice=choice), True
    except IntegrityError:
        Ballot.objects.filter(voting=voting, voter=user).update(
            choice=choice, changed_at=timezone.now()
        )
        return Ballot.objects.get(voting=voting, voter=user), False


def _record_tally(voting: Voting, user: User) -> Tally:
    """Close ``voting`` (locked, open) with its counts and roll call as they stand."""
    tally, roll = tally_of(voting)
    voting.status = Voting.Status.CLOSED
    voting.closed_by, voting.closed_at = user, timezone.now()
    voting.council_size = tally.members
    voting.votes_for, voting.votes_against = tally.votes_for, tally.votes_against
    voting.votes_abstain, voting.did_not_vote = tally.votes_abstain, tally.did_not_vote
    voting.passed = tally.passed
    voting.roll = roll
    voting.save()
    return tally


@transaction.atomic
def voting_close(
    *,
    user: User,
    voting: Voting,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    confirm_stale: int | None = None,
) -> Voting:
    """Close a voting and apply its result to the version or the report.

    Passed: the version becomes ``approved`` and the version in force, if
    any, ``superseded``, in this one transaction (superseded first, since the
    database allows one approved version per plan). Not passed: the version
    returns to ``draft`` for revision and the version in force stays.
    The council decision's number and date may be given now or later
    (``version_record_decision``). A passed voting on a version whose base is
    no longer in force closes only with ``confirm_stale`` set to the id of the
    version in force (``StaleBaseError`` otherwise, nothing written); a failed
    one undoes nothing and needs no confirmation.

    A report's voting hands its result to ``reports.services.report_decide``
    (passed: approved, superseding an approved earlier revision; not passed:
    a draft again); a decision number or date it refuses (400) undoes the
    closing too. ``confirm_stale`` does not apply to reports.
    """
    require_staff(user)
    if voting.report_id is not None:
        return _close_on_report(user, voting, decision_number, decision_date)
    version = PlanVersion.objects.locked(voting.version_id)
    voting = _lock_voting(voting.pk)
    if not voting.is_open:
        raise TransitionError(_("This voting is already closed."), code="voting_closed")
    _expect_status(version, {VersionStatus.COUNCIL_REVIEW}, _("decided"))
    tally, _roll = tally_of(voting)
    if tally.passed:
        _check_stale(user, version, confirm_stale, action=_("approving"), step="approve")
    _record_tally(voting, user)
    if tally.passed:
        previous = list(
            PlanVersion.objects.select_for_update()
            .in_force()
            .filter(plan_id=version.plan_id)
            .exclude(pk=version.pk)
        )
        for old in previous:
            _set_status(old, VersionStatus.SUPERSEDED)
            VersionEvent.objects.create(version=old, kind=VersionEvent.Kind.SUPERSEDED, user=user)
        _set_status(version, VersionStatus.APPROVED, approved_at=voting.closed_at)
        VersionEvent.objects.create(version=version, kind=VersionEvent.Kind.APPROVED, user=user)
        if decision_number or decision_date:
            _record_decision(user, version, decision_number, decision_date, voting=voting)
    else:
        _set_status(version, VersionStatus.DRAFT)
        VersionEvent.objects.create(version=version, kind=VersionEvent.Kind.REJECTED, user=user)
    _bump_on_commit()
    notices.notify_staff_voting_closed(voting)
    return voting


def _close_on_report(
    user: User, voting: Voting, decision_number: str, decision_date: datetime.date | None
) -> Voting:
    """``voting_close`` for a report, inside its transaction.

    The report is locked before the voting, as a version is, so that a
    closing and a taking back of the same report queue up.
    """
    assert voting.report is not None  # for mypy: the caller checked report_id
    closed = TransitionError(_("This voting is already closed."), code="voting_closed")
    # A closed voting's report has moved on: say that the voting is closed,
    # not that the report's state forbids it.
    if not Voting.objects.filter(pk=voting.pk, status=Voting.Status.OPEN).exists():
        raise closed
    report = reports.check_can_open_voting(voting.report)
    voting = _lock_voting(voting.pk)
    if not voting.is_open:
        raise closed
    tally = _record_tally(voting, user)
    try:
        voting.report = reports.report_decide(
            user=user,
            report=report,
            passed=tally.passed,
            voting_id=voting.pk,
            decision_number=decision_number if tally.passed else "",
            decision_date=decision_date if tally.passed else None,
        )
    except ValidationError as error:
        # Named as this function's (and the API's and the form's) fields, as
        # a version's decision is: "number" and "date".
        if not hasattr(error, "error_dict"):
            raise
        names = {"decision_number": "number", "decision_date": "date"}
        raise ValidationError(
            {names.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from None
    notices.notify_staff_voting_closed(voting)
    return voting


def _approving_voting(version: PlanVersion) -> Voting | None:
    return (
        Voting.objects.filter(version=version, status=Voting.Status.CLOSED, passed=True)
        .order_by("-closed_at", "-id")
        .first()
    )


def _decision_errors(
    version: PlanVersion, number: str, date: datetime.date | None, voting: Voting | None
) -> dict[str, str]:
    """What is wrong with a decision's number and date, by field (empty: nothing).

    The date lies between the approving voting (the day it opened: a council
    session may vote on a voting opened before it) and today; a version
    approved without a voting in the portal takes a date from three years
    before its plan's period on.
    """
    errors = {}
    if problem := decisions.number_error(number):
        errors["number"] = problem
    if date is None:
        errors["date"] = decisions.missing_date()
    elif problem := decisions.date_error(date):
        errors["date"] = problem
    elif voting is not None and date < timezone.localdate(voting.opened_at):
        errors["date"] = _(
            "The decision cannot be dated before the council's voting on it (opened on %(date)s)."
        ) % {"date": timezone.localdate(voting.opened_at).isoformat()}
    elif voting is None:
        earliest = datetime.date(version.plan.period_start - YEARS_ADOPTED_BEFORE_PERIOD, 1, 1)
        if date < earliest:
            errors["date"] = _(
                "A plan for %(start)s–%(end)s cannot have been approved before %(earliest)s: "
                "check the date."
            ) % {
                "start": version.plan.period_start,
                "end": version.plan.period_end,
                "earliest": earliest.isoformat(),
            }
    return errors


def _decision_value(number: str, date: datetime.date | None) -> dict:
    return {"number": number, "date": date.isoformat() if date else None}


def _record_decision(
    user: User,
    version: PlanVersion,
    number: str,
    date: datetime.date | None,
    *,
    voting: Voting | None = None,
    reason: str = "",
) -> None:
    """Write the decision (first time, or corrected with ``reason``) and its event.

    Preconditions: ``version`` is locked and approved.
    """
    number = (number or "").strip()
    errors = _decision_errors(version, number, date, voting or _approving_voting(version))
    if errors:
        raise ValidationError(errors)
    old = _decision_value(version.decision_number, version.decision_date)
    new = _decision_value(number, date)
    correcting = bool(version.decision_number or version.decision_date)
    if correcting and old == new:
        raise ValidationError(
            {"number": _("This is the decision already recorded: there is nothing to correct.")}
        )
    version.decision_number, version.decision_date = number, date
    version._change_reason = reason if correcting else "council decision recorded"
    version.save(update_fields=["decision_number", "decision_date", "updated_at"])
    VersionEvent.objects.create(
        version=version,
        kind=VersionEvent.Kind.DECISION_CORRECTED
        if correcting
        else VersionEvent.Kind.DECISION_RECORDED,
        user=user,
        reason=reason,
        data={"old": old, "new": new} if correcting else {"new": new},
    )
    # The stored PDFs carry the decision on their title page (documents
    # registers this hook and has them made again).
    for hook in registry.version_record_changed:
        hook.changed(version)


@transaction.atomic
def version_record_decision(
    *,
    user: User,
    version: PlanVersion,
    number: str,
    date: datetime.date | None,
    reason: str = "",
) -> PlanVersion:
    """Record the number and date of the decision that approved a version, once.

    Preconditions: ``user`` is staff; the version is approved. The date is
    not before the approving voting and not in the future. A decision once
    recorded is corrected only with a ``reason`` (``DecisionRecordedError``,
    409, without one): the correction is a ``decision_corrected`` event with
    the old and new values, and the version's stored PDFs are made again.
    """
    require_staff(user)
    version = PlanVersion.objects.locked(version.pk)
    _expect_status(
        version,
        {VersionStatus.APPROVED},
        _("given a council decision (only an approved version can)"),
    )
    reason = (reason or "").strip()
    if (version.decision_number or version.decision_date) and not reason:
        raise DecisionRecordedError(
            _(
                "The council decision approving version %(number)s is recorded already "
                "(No. %(decision)s of %(date)s). To correct it, say why."
            )
            % {
                "number": version.number,
                "decision": version.decision_number or "—",
                "date": version.decision_date.isoformat() if version.decision_date else "—",
            }
        )
    _record_decision(user, version, number, date, reason=reason)
    _bump_on_commit()
    return version
