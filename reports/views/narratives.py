"""Staff's narrative editor: the text of one section of a draft report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from monitoring.models import STATUSES_NEEDING_REASON
from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from plans.words import words_for

from .. import selectors, services
from ..forms import NarrativeForm
from ..models import Report
from ..narratives import to_text
from .common import staff_report, staff_required


def _section_of(report: Report, content: dict, section: str) -> dict:
    """The section's title and what the editor shows beside the text box."""
    words = words_for(report.plan)
    if section == "summary":
        return {
            "level": None,
            "title": _("Summary"),
            "html": content["summary"].get("narrative", ""),
            "anchor": "summary",
        }
    for priority in content.get("priorities", []):
        if section == f"priority:{priority['key']}":
            return {
                "level": words.priority.label,
                "title": f"{priority['code']} {priority['title']}",
                "html": priority.get("narrative", ""),
                "anchor": f"priority-{priority['key']}",
            }
        for goal in priority["goals"]:
            if section == f"goal:{goal['key']}":
                return {
                    "level": words.goal.label,
                    "title": f"{goal['code']} {goal['title']}",
                    "html": goal.get("narrative", ""),
                    "anchor": f"goal-{goal['key']}",
                    "goal": goal,
                }
    raise Http404


@staff_required
def narrative_edit(request, report_id: int, section: str):
    """GET: the section's text in the form's notation; POST: save it (draft only)."""
    report = staff_report(request, report_id)
    content = selectors.report_content(report, request.user)
    part = _section_of(report, content, section)
    form = NarrativeForm(request.POST or None, initial={"text": to_text(part["html"])})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.narrative_save(
                    user=request.user,
                    report=report,
                    section=section,
                    text=form.cleaned_data["text"],
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, _("The text is saved."))
                return redirect(f"{report.get_absolute_url()}#{part['anchor']}")
    return render(
        request,
        "reports/narrative_form.html",
        {
            "report": report,
            "part": part,
            "form": form,
            "section": section,
            "words": words_for(report.plan),
            "editable": report.is_draft,
            "reason_statuses": sorted(STATUSES_NEEDING_REASON),
        },
        status=status,
    )
