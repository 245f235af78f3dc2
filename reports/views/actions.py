"""Staff's steps of a report's way, each a form: GET shows it, POST takes the step.

A refused step (the state does not allow it, 409; input to correct, 400)
shows the service's message on the form, with what was typed kept
(planportal/forms.py), and answers with the refusal's status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from planportal.errors import status_of
from planportal.forms import add_refusal_to_form

from .. import services
from ..forms import DecisionCorrectionForm, DecisionForm, ReasonForm, SubmitForm
from ..models import Report
from .common import staff_report, staff_required


def _step(
    request,
    report: Report,
    form: forms.Form,
    *,
    act: Callable[[dict], Report],
    title: str,
    lead: str,
    submit_label: str,
    done: str,
    extra: dict[str, Any] | None = None,
):
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = act(form.cleaned_data)
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, done)
                return redirect(result)
    return render(
        request,
        "reports/action.html",
        {
            "report": report,
            "form": form,
            "page_title": title,
            "lead": lead,
            "submit_label": submit_label,
            **(extra or {}),
        },
        status=status,
    )


def _data(request):
    # A step's form is bound on POST even when empty (submitting asks for nothing).
    return request.POST if request.method == "POST" else None


@staff_required
def report_submit(request, report_id: int):
    report = staff_report(request, report_id)
    return _step(
        request,
        report,
        SubmitForm(_data(request)),
        act=lambda data: services.report_submit(user=request.user, report=report),
        title=_("Submit the report to the council"),
        lead=_(
            "Submitting freezes every figure and text of the report as it is now: later "
            "corrections of the monitoring data will not change it. The council reviews it "
            "and decides."
        ),
        submit_label=_("Submit to the council"),
        done=_("The report is submitted to the council; its figures are frozen."),
    )


@staff_required
def report_withdraw(request, report_id: int):
    report = staff_report(request, report_id)
    return _step(
        request,
        report,
        ReasonForm(_data(request)),
        act=lambda data: services.report_withdraw(
            user=request.user, report=report, reason=data["reason"]
        ),
        title=_("Take the report back for revision"),
        lead=_("The report becomes a draft again and shows the live figures until resubmitted."),
        submit_label=_("Take back"),
        done=_("The report is a draft again."),
    )


@staff_required
def report_approve(request, report_id: int):
    report = staff_report(request, report_id)
    return _step(
        request,
        report,
        DecisionForm(_data(request)),
        act=lambda data: services.report_approve(
            user=request.user,
            report=report,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        ),
        title=_("Record the council's approval"),
        lead=_(
            "For a report the council approved at a session, without a voting in the portal: "
            "enter the decision's number and date."
        ),
        submit_label=_("Record the approval"),
        done=_("The report is approved and public."),
    )


@staff_required
def report_decision(request, report_id: int):
    report = staff_report(request, report_id)
    correcting = bool(report.decision_number or report.decision_date)
    form_class = DecisionCorrectionForm if correcting else DecisionForm
    form = form_class(
        request.POST or None,
        initial={"decision_number": report.decision_number, "decision_date": report.decision_date},
    )
    return _step(
        request,
        report,
        form,
        act=lambda data: services.report_record_decision(
            user=request.user,
            report=report,
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            reason=data.get("reason", ""),
        ),
        title=_("Correct the council decision") if correcting else _("Record the council decision"),
        lead=_("A correction is kept in the report's history with its reason.")
        if correcting
        else _("The number and date of the council decision that approved the report."),
        submit_label=_("Save the correction") if correcting else _("Save"),
        done=_("The council decision is corrected.")
        if correcting
        else _("The council decision is recorded."),
        extra={"recorded": report if correcting else None},
    )


@staff_required
def report_revise(request, report_id: int):
    report = staff_report(request, report_id)
    return _step(
        request,
        report,
        ReasonForm(_data(request)),
        act=lambda data: services.report_revise(
            user=request.user, report=report, reason=data["reason"]
        ),
        title=_("Start a corrected revision"),
        lead=_(
            "A new draft of this year's report, with its texts copied. The approved report "
            "stays public until the corrected one is approved, which supersedes it."
        ),
        submit_label=_("Start the corrected revision"),
        done=_("The corrected revision is a draft: correct it and submit it to the council."),
    )
