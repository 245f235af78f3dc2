"""A version as an XLSX workbook, for whoever may read the version."""

from __future__ import annotations

from django.template.loader import render_to_string

from plans.spreadsheets import version_workbook, xlsx_response
from plans.views.public import readable_version


@readable_version
def version_xlsx(request, version):
    return xlsx_response(
        version_workbook(version), f"plan-{version.plan_id}-version-{version.number}.xlsx"
    )


def download_button(request, version) -> str:
    """The "Download as XLSX" link on a version's page (plans/apps.py)."""
    return render_to_string(
        "plans/includes/xlsx_button.html", {"version": version}, request=request
    )
