"""The links to a report's XLSX annex and to the comparison with other years.

A ``ReportPanel`` (registered in reports/apps.py) under the report page's
summary, so that the report page needs no knowledge of these routes.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from .compare import comparable_reports
from .models import Report


def annex_links(request: HttpRequest, report: Report, section: str) -> str:
    """Under the summary only: the annex, and the comparison where the
    reader may see another year's report of the plan (one query)."""
    if section != "summary":
        return ""
    years = [
        year for year in comparable_reports(request.user, report.plan_id) if year != report.year
    ]
    # The year before, the usual comparison; else the nearest later one.
    earlier = [year for year in years if year < report.year]
    other = max(earlier) if earlier else min(years, default=None)
    return render_to_string(
        "reports/compare/panel.html", {"report": report, "other_year": other}, request=request
    )
