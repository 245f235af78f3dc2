"""The staff dashboard: plans, their versions, new drafts, deleting a draft.

A new plan has a page of its own (``plan_new``)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from plans import services
from plans.lineage import stale_bases
from plans.models import FrozenVersionError, Measure, Plan, PlanVersion, Priority
from plans.words import words_for

from .common import (
    HTTP_CONFLICT,
    get_version,
    staff_required,
)


@staff_required
@require_http_methods(["GET"])
def dashboard(request):
    return _render_dashboard(request)


def _render_dashboard(request, *, status=200, error_message=""):
    versions = PlanVersion.objects.select_related("based_on").order_by("-number")
    plans = Plan.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "-period_start", "title"
    )
    plans = list(plans)
    stale = stale_bases(v for plan in plans for v in plan.versions.all())
    for plan in plans:
        plan.current = next((v for v in plan.versions.all() if v.is_in_force), None)
        for version in plan.versions.all():
            # For the template: a draft whose base is no longer in force is marked.
            version.stale = stale.get(version.pk)  # type: ignore[attr-defined]
    context = {
        "plans": plans,
        "error_message": error_message,
    }
    return render(request, "plans/staff/dashboard.html", context, status=status)


@staff_required
@require_POST
def draft_create(request, plan_id):
    plan = get_object_or_404(Plan, pk=plan_id)
    # An action plan's yearly update moves its years forward; an amendment
    # during the year keeps them (the dashboard's checkbox).
    keep_years = request.POST.get("keep_years") == "on"
    draft = services.version_create_draft(user=request.user, plan=plan, keep_years=keep_years)
    if draft.based_on is not None:
        message = _("Draft %(number)s created from version %(source)s, for %(start)s–%(end)s.") % {
            "number": draft.number,
            "source": draft.based_on.number,
            "start": draft.first_year,
            "end": draft.last_year,
        }
    else:
        message = _("Empty draft %(number)s created.") % {"number": draft.number}
    messages.success(request, message)
    return redirect("plans:staff-outline", draft.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def version_delete(request, version_id):
    version = get_version(version_id)
    if request.method == "POST":
        try:
            services.version_delete(user=request.user, version=version)
        except FrozenVersionError as error:
            return _render_dashboard(
                request, status=HTTP_CONFLICT, error_message=" ".join(error.messages)
            )
        messages.success(request, _("Draft %(number)s deleted.") % {"number": version.number})
        return redirect("plans:staff-dashboard")
    words = words_for(version.plan)
    counts = {
        "priorities": Priority.objects.filter(version=version).count(),
        "measures": Measure.objects.filter(version=version).count(),
    }
    # "3 programmes, 12 measures": declined with the number in the kind's words.
    deleted = [
        words.priority.count(counts["priorities"]),
        words.measure.count(counts["measures"]),
    ]
    return render(
        request,
        "plans/staff/version_delete.html",
        {"version": version, "plan": version.plan, "counts": counts, "deleted": deleted},
    )
