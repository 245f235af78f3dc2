"""The report page: a report as its reader may see it, frozen or a draft's live figures."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from monitoring.models import STATUSES_NEEDING_REASON, ImplementationStatus
from monitoring.progress import ProgressStatus
from planportal.roles import is_staff_member
from plans.words import words_for

from .. import selectors
from ..models import Report, ReportStatus

# The report's other outputs, by URL name (the PDF, the XLSX annex): a name
# not in the URLconf (its part not installed) is left out of the page.
# (The XLSX annex and the comparison are a panel under the summary,
# reports/panels_compare.py.)
DOWNLOADS: list[tuple[str, object, str]] = [
    ("reports_pdf:report-pdf", _("Download as PDF"), ""),
    ("reports_pdf:report-pdf", _("Archival PDF (PDF/A)"), "?variant=pdfa"),
]


def _downloads(report: Report) -> list[tuple[str, object]]:
    links = []
    for name, label, query in DOWNLOADS:
        try:
            links.append((reverse(name, args=[report.pk]) + query, label))
        except NoReverseMatch:
            continue
    return links


def _counts(summary: dict) -> dict:
    progress = summary.get("progress_counts", {})
    implementation = summary.get("implementation_counts", {})
    return {
        "progress_counts": [
            (value, label, progress.get(value, 0)) for value, label in ProgressStatus.choices
        ],
        "implementation_counts": [
            (value, label, implementation.get(value, 0))
            for value, label in ImplementationStatus.choices
        ],
    }


def _steps(report: Report) -> dict:
    """Which of staff's steps the report's state allows (the services decide again)."""
    return {
        "can_edit": report.status == ReportStatus.DRAFT,
        "can_submit": report.status == ReportStatus.DRAFT,
        "can_withdraw": report.status == ReportStatus.COUNCIL_REVIEW,
        "can_approve": report.status == ReportStatus.COUNCIL_REVIEW,
        "can_record_decision": report.status == ReportStatus.APPROVED,
        "can_revise": report.status == ReportStatus.APPROVED,
    }


def report_context(request, report: Report) -> dict:
    content = selectors.report_content(report, request.user)
    staff = is_staff_member(request.user)
    summary = content.get("summary", {})
    current = None
    if report.status == ReportStatus.SUPERSEDED:
        current = selectors.approved_report(report.plan_id, report.year)
    return {
        "report": report,
        "content": content,
        "summary": summary,
        "words": words_for(report.plan),
        "sections": selectors.extra_sections(content),
        "events": list(report.events.select_related("user")),
        "is_staff_member": staff,
        "steps": _steps(report) if staff else {},
        "current": current,
        "downloads": _downloads(report),
        "reason_statuses": sorted(STATUSES_NEEDING_REASON),
        **_counts(summary),
    }


def report_detail(request, report_id: int):
    """Readers see what their role may (selectors.report_for_user: 404 otherwise)."""
    report = selectors.report_for_user(request.user, report_id)
    return render(request, "reports/report.html", report_context(request, report))
