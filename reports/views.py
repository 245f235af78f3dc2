"""The report pages in the browser."""

from django.shortcuts import render

from . import selectors


def report_detail(request, report_id: int):
    """A report as its reader may see it: frozen, or a draft's live figures."""
    report = selectors.report_for_user(request.user, report_id)
    content = selectors.report_content(report, request.user)
    return render(request, "reports/report.html", {"report": report, "content": content})
