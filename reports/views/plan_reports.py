"""A plan's yearly reports: the list its reader may see, and staff's new report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from monitoring.models import MonitoringRound
from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from planportal.roles import is_staff_member
from plans.models import Plan
from plans.words import words_for

from .. import selectors, services
from ..forms import ReportCreateForm
from ..models import Report
from .common import staff_required


def _years_to_report(plan: Plan) -> list[int]:
    """The years of the plan's rounds that have no report yet, newest first."""
    reported = set(Report.objects.filter(plan=plan).values_list("year", flat=True))
    years = MonitoringRound.objects.filter(plan=plan).values_list("year", flat=True)
    return sorted({y for y in years if y not in reported}, reverse=True)


def plan_reports(request, plan_id: int):
    """Every report of the plan the reader may see (the public: approved and
    superseded ones), newest year first; staff also get a button per round
    that has no report yet."""
    plan = get_object_or_404(Plan, pk=plan_id)
    reports = list(selectors.reports_visible_to(request.user, plan))
    staff = is_staff_member(request.user)
    return render(
        request,
        "reports/plan_reports.html",
        {
            "plan": plan,
            "words": words_for(plan),
            "reports": reports,
            "is_staff_member": staff,
            "years_to_report": _years_to_report(plan) if staff else [],
        },
    )


@staff_required
def report_create(request, plan_id: int):
    plan = get_object_or_404(Plan, pk=plan_id)
    years = _years_to_report(plan)
    form = ReportCreateForm(
        request.POST or None, years=years, initial={"year": request.GET.get("year")}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report = services.report_create(
                    user=request.user, plan=plan, year=form.cleaned_data["year"]
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, _("The draft report is made: write its texts."))
                return redirect(report)
    return render(
        request,
        "reports/create.html",
        {"plan": plan, "form": form, "years": years},
        status=status,
    )


def reports_button(request, version) -> str:
    """The "Implementation reports" link on the page of a plan's version in force
    (a ``VersionAction``, reports/apps.py); no query."""
    if not version.is_in_force:
        return ""
    return format_html(
        '<a class="button button-secondary" href="{}">{}</a>',
        reverse("reports:plan-reports", args=[version.plan_id]),
        _("Implementation reports"),
    )
