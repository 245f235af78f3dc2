"""The permission-scoped reads of the yearly implementation reports.

Who reads what: administration staff read every report; council members
every report that reached the council (under review, approved, superseded);
everyone else, the public, approved and superseded reports only (a
superseded one stays readable as the record it was, marked as corrected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from planportal.extensions import registry
from planportal.roles import COUNCIL, STAFF, role_of

from . import snapshot as snapshots
from .models import PUBLIC_STATUSES, Report, ReportStatus

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from planportal.roles import AnyUser
    from plans.models import Plan

COUNCIL_STATUSES = frozenset({ReportStatus.COUNCIL_REVIEW, *PUBLIC_STATUSES})


def visible_statuses(user: AnyUser | None) -> frozenset[str] | None:
    """The report statuses ``user`` may read (None: all)."""
    role = role_of(user)
    if role == STAFF:
        return None
    if role == COUNCIL:
        return COUNCIL_STATUSES
    return frozenset(PUBLIC_STATUSES)


def reports_visible_to(user: AnyUser | None, plan: Plan | int | None = None) -> QuerySet[Report]:
    """The reports ``user`` may read, newest year first, with plan and version."""
    reports = Report.objects.select_related("plan", "version", "round")
    statuses = visible_statuses(user)
    if statuses is not None:
        reports = reports.filter(status__in=statuses)
    if plan is not None:
        reports = reports.filter(plan_id=getattr(plan, "pk", plan))
    return reports.order_by("plan_id", "-year", "-revision")


def report_for_user(user: AnyUser | None, report_id: int | str) -> Report:
    """The report ``report_id`` if ``user`` may read it; Http404 otherwise
    (a draft's existence is not revealed)."""
    try:
        return reports_visible_to(user).get(pk=report_id)
    except (Report.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_content(report: Report, user: AnyUser | None = None) -> dict:
    """What the report shows (reports/snapshot.py): the frozen snapshot of a
    submitted report; a draft's content computed now, as ``user`` sees the
    data (staff: the open round's values too)."""
    if report.snapshot is not None:
        return report.snapshot
    return snapshots.build(report, user=user)


def approved_report(plan: Plan | int, year: int) -> Report | None:
    """The approved (current) report of a plan's year, or None."""
    return (
        Report.objects.select_related("plan", "version", "round")
        .filter(plan_id=getattr(plan, "pk", plan), year=year, status=ReportStatus.APPROVED)
        .first()
    )


def extra_sections(content: dict) -> list[dict]:
    """The sections other parts wrote into a report (``ReportSection``), in
    order, with their title and template: ``[{"key", "title", "template",
    "section"}]``. A snapshot may hold a section whose hook is gone (an app
    removed since): it is left out rather than shown without its template."""
    stored = content.get("sections", {})
    return [
        {
            "key": hook.key,
            "title": hook.title,
            "template": hook.template,
            "section": stored[hook.key],
        }
        for hook in registry.report_sections
        if hook.key in stored
    ]
