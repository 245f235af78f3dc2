"""Every write of the yearly implementation reports.

The way of a report (docs/reports.md)::

    draft ──submit──▶ council_review ──voting passed / decision recorded──▶ approved
      ▲                    │                                                  │
      └──take back, or ────┘                       revise (with a reason): a new draft
         voting failed                              revision; approving it supersedes this one

Who may do what, checked here whatever the caller: only administration
staff create, write, submit, take back, revise and record decisions; the
council decides through a voting (``council.services.voting_open`` with a
report, whose closing calls ``report_decide``) or staff record the decision
a council session took (``report_approve``). Each write locks the report's
row first, so two staff doing the same at once get one result and one
refusal; the partial unique constraints of ``Report`` settle the rest.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import MonitoringRound
from planportal import extensions, pagecache
from planportal.errors import Conflict
from planportal.roles import require_staff
from plans import decisions
from plans.models import Plan, PlanVersion

from . import pdf as documents
from . import snapshot as snapshots
from .models import Report, ReportEvent, ReportNarrative, ReportStatus
from .narratives import NARRATIVE_MAX_LENGTH, to_html

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser

REASON_MAX_LENGTH = 2000


class ReportStateError(Conflict):
    """A step that the report's state does not allow (409)."""

    code = "report_state"


class ReportExists(Conflict):
    code = "report_exists"


class RoundNotPublished(Conflict):
    code = "round_not_published"


def _bump_on_commit() -> None:
    # Public pages are cached per generation; a page cached from the old
    # state must not outlive the transaction that changed it.
    transaction.on_commit(pagecache.bump)


def _locked(report: Report | int) -> Report:
    pk: int = report.pk if isinstance(report, Report) else report
    try:
        return (
            Report.objects.select_for_update(of=("self",))
            .select_related("plan", "version", "round")
            .get(pk=pk)
        )
    except Report.DoesNotExist:
        raise Http404 from None


def _expect(report: Report, allowed: set[str], message: str) -> None:
    if report.status not in allowed:
        raise ReportStateError(message)


def _touch(report: Report, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    report.change_counter += 1
    report.save(update_fields=[*fields, "change_counter"])


def _event(report: Report, kind: str, user: AnyUser | None, reason: str = "", **data: Any) -> None:
    ReportEvent.objects.create(
        report=report,
        kind=kind,
        user=user if isinstance(user, get_user_model()) else None,
        reason=reason,
        data=data,
    )


def _clean_reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Say why: the reason is kept with the report.")})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("The reason can be at most %(max)d characters long.")
                % {"max": REASON_MAX_LENGTH}
            }
        )
    return reason


# --- Making and writing a report ----------------------------------------------------


@transaction.atomic
def report_create(*, user: User, plan: Plan, year: int) -> Report:
    """Make the draft report of ``plan`` for ``year`` from that year's round.

    Preconditions: ``user`` is staff; the plan has a monitoring round of that
    year and a version in force (whose tree the report follows); no report
    of that year exists yet (a correction of one is ``report_revise``).
    """
    require_staff(user)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter the year as a number, e.g. 2024.")}) from None
    round_ = MonitoringRound.objects.filter(plan=plan, year=year).first()
    if round_ is None:
        raise ValidationError(
            {
                "year": _(
                    "There is no monitoring round of %(year)d for this plan: a report is made "
                    "from the year's round."
                )
                % {"year": year}
            }
        )
    version = PlanVersion.objects.in_force_for(plan)
    if version is None:
        raise ReportStateError(_("This plan has no version in force to report on."))
    if Report.objects.filter(plan=plan, year=year).exists():
        raise ReportExists(
            _(
                "A report of %(year)d exists already. To correct an approved report, "
                "start a corrected revision of it."
            )
            % {"year": year}
        )
    try:
        with transaction.atomic():
            report = Report.objects.create(
                plan=plan, year=year, version=version, round=round_, created_by=user
            )
    except IntegrityError:
        raise ReportExists(_("A report of %(year)d exists already.") % {"year": year}) from None
    _event(report, ReportEvent.Kind.CREATED, user)
    return report


def _known_sections(report: Report) -> set[str]:
    """The narrative sections a report's tree has: the summary, its priorities and goals."""
    from plans.models import Goal, Priority

    names = {"summary"}
    names |= {
        f"priority:{k}"
        for k in Priority.objects.filter(version=report.version).values_list("key", flat=True)
    }
    names |= {
        f"goal:{k}"
        for k in Goal.objects.filter(version=report.version).values_list("key", flat=True)
    }
    return names


@transaction.atomic
def narrative_save(
    *, user: User, report: Report, section: str, text: str
) -> ReportNarrative | None:
    """Write staff's narrative of one section of a draft (blank text removes it).

    ``section``: ``summary``, ``priority:<key>`` or ``goal:<key>`` of the
    report's version. The text is plain text with paragraphs and lists, or
    HTML, and is stored sanitised (reports/narratives.py). Returns the
    narrative, or None when it was removed.
    """
    require_staff(user)
    report = _locked(report)
    _expect(
        report,
        {ReportStatus.DRAFT},
        _("Only a draft report's texts can be changed: take it back from the council first."),
    )
    if section not in _known_sections(report):
        raise ValidationError({"section": _("This report has no such section.")})
    if len(text or "") > NARRATIVE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _(
                    "A text can be at most %(max)d characters long (this one has %(length)d)."
                )
                % {"max": NARRATIVE_MAX_LENGTH, "length": len(text)}
            }
        )
    html = to_html(text)
    _touch(report)
    if not html:
        ReportNarrative.objects.filter(report=report, section=section).delete()
        return None
    narrative, _created = ReportNarrative.objects.update_or_create(
        report=report, section=section, defaults={"html": html, "updated_by": user}
    )
    return narrative


# --- The way through the council ------------------------------------------------------


@transaction.atomic
def report_submit(*, user: User, report: Report) -> Report:
    """Freeze a draft's figures and texts and put it under council review.

    Preconditions: ``user`` is staff; the report is a draft; its round is
    published (the report shows the figures the public sees). The snapshot
    counts published rounds only (``snapshot.build(report)``).
    """
    require_staff(user)
    report = _locked(report)
    _expect(report, {ReportStatus.DRAFT}, _("Only a draft report can be submitted to the council."))
    round_ = MonitoringRound.objects.get(pk=report.round_id)
    if not round_.is_published:
        raise RoundNotPublished(
            _(
                "The monitoring round of %(year)d is not published yet: publish it first, so that "
                "the report shows the figures the public sees."
            )
            % {"year": report.year}
        )
    content = snapshots.build(report)
    _touch(
        report,
        snapshot=content,
        status=ReportStatus.COUNCIL_REVIEW,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    _event(report, ReportEvent.Kind.SUBMITTED, user)
    # The council is told (council/apps.py registers the hook).
    extensions.report_submitted(report)
    documents.queue_prerender(report=report)
    _bump_on_commit()
    return report


def _has_open_voting(report: Report) -> bool:
    # ``votings`` is council's relation to the report; reports does not import council.
    return report.votings.filter(status="open").exists()


@transaction.atomic
def report_withdraw(*, user: User, report: Report, reason: str) -> Report:
    """Take a report back from the council to its draft (its figures live again).

    Preconditions: ``user`` is staff; the report is under council review and
    no voting on it is open; a reason is given.
    """
    require_staff(user)
    reason = _clean_reason(reason, required=True)
    report = _locked(report)
    _expect(
        report,
        {ReportStatus.COUNCIL_REVIEW},
        _("Only a report under council review can be taken back."),
    )
    if _has_open_voting(report):
        raise ReportStateError(_("A voting on this report is open: close it first."))
    _touch(report, snapshot=None, status=ReportStatus.DRAFT, submitted_at=None, submitted_by=None)
    _event(report, ReportEvent.Kind.WITHDRAWN, user, reason)
    _bump_on_commit()
    return report


def _decision_errors(
    report: Report, number: str, date: datetime.date | None, *, since: datetime.date | None
) -> dict:
    errors = {}
    if problem := decisions.number_error(number):
        errors["decision_number"] = problem
    if date is None:
        errors["decision_date"] = decisions.missing_date()
    elif problem := decisions.date_error(date):
        errors["decision_date"] = problem
    elif date.year <= report.year:
        errors["decision_date"] = _(
            "A report of %(year)d is approved after the year ends: check the date."
        ) % {"year": report.year}
    elif since is not None and date < since:
        errors["decision_date"] = _(
            "The decision cannot be dated before the report was submitted (%(date)s)."
        ) % {"date": since.isoformat()}
    return errors


def _approve(
    report: Report, user: AnyUser | None, number: str, date: datetime.date | None, **data: Any
) -> None:
    now = timezone.now()
    # The approved revision this one corrects steps aside first: the database
    # holds one approved report per plan and year.
    for old in (
        Report.objects.select_for_update()
        .filter(plan_id=report.plan_id, year=report.year, status=ReportStatus.APPROVED)
        .exclude(pk=report.pk)
    ):
        _touch(old, status=ReportStatus.SUPERSEDED)
        _event(old, ReportEvent.Kind.SUPERSEDED, user, superseded_by=report.pk)
        documents.queue_prerender(report=old)
    _touch(
        report,
        status=ReportStatus.APPROVED,
        approved_at=now,
        decision_number=number,
        decision_date=date,
    )
    _event(report, ReportEvent.Kind.APPROVED, user, **data)
    if number or date:
        _event(
            report,
            ReportEvent.Kind.DECISION_RECORDED,
            user,
            new={"number": number, "date": date.isoformat() if date else None},
        )
    documents.queue_prerender(report=report)
    _bump_on_commit()


@transaction.atomic
def report_approve(
    *, user: User, report: Report, decision_number: str, decision_date: datetime.date | None
) -> Report:
    """Record that a council session approved the report (no voting in the portal).

    Preconditions: ``user`` is staff; the report is under council review with
    no open voting; the decision's number and date are given (the date after
    the report's year and not in the future).
    """
    require_staff(user)
    report = _locked(report)
    _expect(
        report,
        {ReportStatus.COUNCIL_REVIEW},
        _("Only a report under council review can be approved."),
    )
    if _has_open_voting(report):
        raise ReportStateError(_("A voting on this report is open: the voting decides."))
    number = (decision_number or "").strip()
    errors = _decision_errors(report, number, decision_date, since=None)
    if errors:
        raise ValidationError(errors)
    _approve(report, user, number, decision_date, recorded=True)
    return report


def report_decide(
    *,
    user: AnyUser | None,
    report: Report,
    passed: bool,
    voting_id: int,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
) -> Report:
    """Apply a closed council voting's result to its report (``council.services.voting_close``).

    Runs inside the voting's transaction. Passed: approved (the decision's
    number and date may follow, ``report_record_decision``). Not passed: back
    to draft for revision, with live figures again.
    """
    report = _locked(report)
    _expect(
        report,
        {ReportStatus.COUNCIL_REVIEW},
        _("Only a report under council review can be decided."),
    )
    if passed:
        number = (decision_number or "").strip()
        if number or decision_date:
            errors = _decision_errors(report, number, decision_date, since=None)
            if errors:
                raise ValidationError(errors)
        _approve(report, user, number, decision_date, voting=voting_id)
    else:
        _touch(
            report, snapshot=None, status=ReportStatus.DRAFT, submitted_at=None, submitted_by=None
        )
        _event(report, ReportEvent.Kind.REJECTED, user, voting=voting_id)
        _bump_on_commit()
    return report


def report_voting_opened(*, user: AnyUser | None, report: Report) -> None:
    """Council's note that it opened a voting on ``report`` (its event; the
    state is checked by ``check_can_open_voting`` first)."""
    _event(report, ReportEvent.Kind.VOTING_OPENED, user)


def check_can_open_voting(report: Report) -> Report:
    """The locked report, if the council may vote on it now (under review)."""
    report = _locked(report)
    _expect(
        report,
        {ReportStatus.COUNCIL_REVIEW},
        _("Only a report under council review can be put to the vote."),
    )
    return report


@transaction.atomic
def report_record_decision(
    *,
    user: User,
    report: Report,
    decision_number: str,
    decision_date: datetime.date | None,
    reason: str = "",
) -> Report:
    """Record (or, with a reason, correct) the decision that approved a report."""
    require_staff(user)
    report = _locked(report)
    _expect(report, {ReportStatus.APPROVED}, _("Only an approved report has a council decision."))
    number = (decision_number or "").strip()
    correcting = bool(report.decision_number or report.decision_date)
    reason = _clean_reason(reason, required=correcting)
    errors = _decision_errors(report, number, decision_date, since=None)
    if errors:
        raise ValidationError(errors)
    old = {
        "number": report.decision_number,
        "date": report.decision_date.isoformat() if report.decision_date else None,
    }
    new = {"number": number, "date": decision_date.isoformat() if decision_date else None}
    if correcting and old == new:
        raise ValidationError(
            {
                "decision_number": _(
                    "This is the decision already recorded: there is nothing to correct."
                )
            }
        )
    _touch(report, decision_number=number, decision_date=decision_date)
    _event(
        report,
        ReportEvent.Kind.DECISION_CORRECTED if correcting else ReportEvent.Kind.DECISION_RECORDED,
        user,
        reason,
        **({"old": old, "new": new} if correcting else {"new": new}),
    )
    # The title page names the decision: the stored PDFs are made again.
    documents.queue_prerender(report=report)
    _bump_on_commit()
    return report


@transaction.atomic
def report_revise(*, user: User, report: Report, reason: str) -> Report:
    """Start a corrected revision of an approved report: a new draft with its reason.

    The approved report stays public until the new revision is approved,
    which supersedes it. The draft follows the plan's version in force now,
    keeps the round and copies the narratives.
    """
    require_staff(user)
    reason = _clean_reason(reason, required=True)
    report = _locked(report)
    _expect(
        report, {ReportStatus.APPROVED}, _("Only an approved report can get a corrected revision.")
    )
    if Report.objects.filter(
        plan_id=report.plan_id,
        year=report.year,
        status__in=[ReportStatus.DRAFT, ReportStatus.COUNCIL_REVIEW],
    ).exists():
        raise ReportExists(_("A corrected revision of this report is in the making already."))
    version = PlanVersion.objects.in_force_for(report.plan_id) or report.version
    revision = (
        Report.objects.filter(plan_id=report.plan_id, year=report.year).aggregate(
            n=Max("revision")
        )["n"]
        or 0
    ) + 1
    try:
        with transaction.atomic():
            draft = Report.objects.create(
                plan_id=report.plan_id,
                year=report.year,
                revision=revision,
                version=version,
                round_id=report.round_id,
                reason=reason,
                replaces=report,
                created_by=user,
            )
    except IntegrityError:
        raise ReportExists(
            _("A corrected revision of this report is in the making already.")
        ) from None
    ReportNarrative.objects.bulk_create(
        [
            ReportNarrative(report=draft, section=n.section, html=n.html, updated_by=n.updated_by)
            for n in report.narratives.all()
        ]
    )
    _event(draft, ReportEvent.Kind.REVISED, user, reason, replaces=report.pk)
    return draft
