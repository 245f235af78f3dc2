"""The council's permission-scoped reads: votings, the council page, a plan's history.

Who reads what: staff and council members every voting; everyone else the
closed votings of approved and superseded versions and reports, with their
roll call (a council decision is public).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404

from council.models import VersionEvent, Voting
from council.services import PUBLIC_EVENT_KINDS, PUBLIC_VOTING_STATUSES, SUBMITTABLE_STATUSES
from council.tally import council_members
from planportal.roles import can_see_drafts
from plans.models import Plan, PlanVersion, VersionStatus
from reports.models import PUBLIC_STATUSES as PUBLIC_REPORT_STATUSES
from reports.models import Report, ReportStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from planportal.roles import AnyUser


def votings_visible_to(user: AnyUser) -> QuerySet[Voting]:
    """Staff and council see every voting; others the closed votings of approved
    and superseded versions and reports (a council decision is public)."""
    votings = Voting.objects.select_related("version__plan", "report__plan").prefetch_related(
        "ballots"
    )
    if can_see_drafts(user):
        return votings
    return votings.filter(status=Voting.Status.CLOSED).filter(
        Q(version__status__in=PUBLIC_VOTING_STATUSES) | Q(report__status__in=PUBLIC_REPORT_STATUSES)
    )


def is_public(voting: Voting) -> bool:
    """Whether everyone may read ``voting``: closed, on a decided version or report."""
    if voting.status != Voting.Status.CLOSED:
        return False
    subject = voting.subject
    statuses = PUBLIC_VOTING_STATUSES if voting.version_id else PUBLIC_REPORT_STATUSES
    return subject is not None and subject.status in statuses


def voting_for_user(user: AnyUser, voting_id: int | str) -> Voting:
    try:
        voting = Voting.objects.select_related("version__plan", "report__plan").get(pk=voting_id)
    except (Voting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_see_drafts(user) and not is_public(voting):
        raise PermissionDenied
    return voting


def report_votings(report: Report) -> list[Voting]:
    """A report's votings, newest first (one query): what its page shows."""
    return list(Voting.objects.filter(report=report).order_by("-opened_at", "-id"))


def reports_under_review() -> Sequence[Report]:
    """Reports under council review, each with ``open_voting`` (or None). Two queries."""
    open_votings = Prefetch(
        "votings", queryset=Voting.objects.filter(status=Voting.Status.OPEN), to_attr="open_votings"
    )
    reports = list(
        Report.objects.filter(status=ReportStatus.COUNCIL_REVIEW)
        .select_related("plan")
        .prefetch_related(open_votings)
        .order_by("plan__title", "year", "revision")
    )
    for report in reports:
        # For the council page's template; Report has no such field.
        report.open_voting = report.open_votings[0] if report.open_votings else None  # type: ignore[attr-defined]
    return reports


def council_overview() -> tuple[Sequence[PlanVersion], list[PlanVersion]]:
    """What the council page lists: versions under review with their open
    voting, and drafts that staff may submit. Three queries."""
    open_votings = Prefetch(
        "votings", queryset=Voting.objects.filter(status=Voting.Status.OPEN), to_attr="open_votings"
    )
    under_review = list(
        PlanVersion.objects.filter(status=VersionStatus.COUNCIL_REVIEW)
        .select_related("plan")
        .prefetch_related(open_votings)
        .order_by("plan__title", "number")
    )
    for version in under_review:
        # For the council page's template; PlanVersion has no such field.
        version.open_voting = version.open_votings[0] if version.open_votings else None  # type: ignore[attr-defined]
    drafts = list(
        PlanVersion.objects.filter(status__in=SUBMITTABLE_STATUSES)
        .select_related("plan")
        .order_by("plan__title", "number")
    )
    return under_review, drafts


def plan_history(user: AnyUser, plan_id: int | str) -> tuple[Plan, Sequence[PlanVersion]]:
    """Every version ``user`` may see, newest first, each with ``voting_list``
    (closed votings, newest first) and ``event_list``. Four queries however
    many versions and votings the plan has."""
    try:
        plan = Plan.objects.get(pk=plan_id)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    internal = can_see_drafts(user)
    statuses = set(VersionStatus.values) if internal else set(PUBLIC_VOTING_STATUSES)
    votings = Voting.objects.all()
    events = VersionEvent.objects.select_related("user")
    if not internal:
        # The public sees decisions, not the internal back and forth.
        votings = votings.filter(status=Voting.Status.CLOSED)
        events = events.filter(kind__in=PUBLIC_EVENT_KINDS)
    versions = list(
        plan.versions.filter(status__in=statuses)
        .order_by("-number")
        .prefetch_related(
            Prefetch(
                "votings", queryset=votings.order_by("-opened_at", "-id"), to_attr="voting_list"
            ),
            Prefetch("events", queryset=events, to_attr="event_list"),
        )
    )
    for version in versions:
        version.plan = plan
    return plan, versions


def council_size() -> int:
    """How many members an open voting's count is out of, as its page says."""
    return council_members().count()
