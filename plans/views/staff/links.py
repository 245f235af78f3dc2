"""The goals and tasks of a development plan's version that no action-plan measure implements."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from plans.kinds import PlanKind
from plans.selectors_links import unimplemented as unimplemented_rows

from .common import get_version, staff_required, version_breadcrumbs


@staff_required
def unimplemented(request, version_id):
    version = get_version(version_id)
    if version.plan.kind != PlanKind.DEVELOPMENT:
        raise Http404
    rows, versions = unimplemented_rows(request.user, version)
    return render(
        request,
        "plans/staff/unimplemented.html",
        {
            "version": version,
            "plan": version.plan,
            "rows": rows,
            "action_versions": versions,
            "breadcrumbs": version_breadcrumbs(version),
        },
    )
