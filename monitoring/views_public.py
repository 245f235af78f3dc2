"""A plan's progress in public: the accountability page and the open data.

The page shows the version in force as the reader may see it (the public:
published rounds; staff, council and unit members: open rounds too, marked
"not yet published"); the CSV and XLSX hold published values only, for
everyone. The page an anonymous reader gets is the same for all of them and
is kept in the page cache until a monitoring write (a value, a status, a
round published: each bumps "monitoring") or the plan changes; logged-in
readers may see open rounds, so their page is rendered for them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from planportal import pagecache
from planportal.years import YEAR_MAX, YEAR_MIN
from plans.models import PlanVersion
from plans.spreadsheets import xlsx_response
from plans.words import words_for

from . import opendata
from .models import RoundStatus
from .progress import ProgressStatus
from .selectors import version_progress, visible_rounds


class ProgressFilterForm(forms.Form):
    """The measures list's filters; every field optional, a GET form."""

    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + ProgressStatus.choices
    )
    unit = forms.IntegerField(label=_("Responsible unit"), required=False, min_value=1)
    year = forms.IntegerField(
        label=_("Values up to the year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )


def _version_in_force(plan_id: int) -> PlanVersion:
    version = PlanVersion.objects.in_force().select_related("plan").filter(plan_id=plan_id).first()
    if version is None:
        raise Http404(_("This plan has no version in force yet."))
    return version


@pagecache.page_cache(logged_in=False)
def plan_progress(request, plan_id: int):
    version = _version_in_force(plan_id)
    plan = version.plan
    form = ProgressFilterForm(request.GET)
    status = 200
    wanted: dict[str, Any]
    if form.is_valid():
        wanted = form.cleaned_data
    else:
        wanted, status = {"status": "", "unit": None, "year": None}, 400
    rounds = list(visible_rounds(request.user, plan))
    open_years = {r.year for r in rounds if r.status == RoundStatus.OPEN}
    progress = version_progress(version, request.user, until=wanted["year"])
    tree = progress.tree

    rows = []
    units: dict[int, str] = {}
    for priority in tree.priorities:
        for goal in priority.children:
            for task in goal.children:
                for measure in task.children:
                    unit = measure.responsible_unit
                    if unit is not None:
                        units[unit.pk] = unit.name
                    node = progress.of(measure)
                    if wanted["status"] and node.status != wanted["status"]:
                        continue
                    if wanted["unit"] and (unit is None or unit.pk != wanted["unit"]):
                        continue
                    entry = progress.implementations.get(measure.pk)
                    rows.append(
                        {
                            "measure": measure,
                            "goal": goal,
                            "progress": node,
                            "implementation": entry,
                            "unpublished": entry is not None and entry.year in open_years,
                        }
                    )
    counts = progress.counts
    context = {
        "plan": plan,
        "version": version,
        "words": words_for(plan),
        "progress": progress,
        "priorities": [
            {
                "node": priority,
                "progress": progress.of(priority),
                "goals": [(goal, progress.of(goal)) for goal in priority.children],
            }
            for priority in tree.priorities
        ],
        "counts": [(value, label, counts.get(value, 0)) for value, label in ProgressStatus.choices],
        "rows": rows,
        "form": form,
        "units": sorted(units.items(), key=lambda item: item[1]),
        "years": [r.year for r in rounds],
        "open_years": sorted(open_years),
        "wanted": wanted,
        "measure_total": len(tree.all_measures),
    }
    response = render(request, "monitoring/public/progress.html", context, status=status)
    return response if request.user.is_authenticated else pagecache.mark_cacheable(response)


def progress_csv(request, plan_id: int):
    version = _version_in_force(plan_id)
    response = HttpResponse(
        opendata.as_csv(opendata.published_rows(version)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{version.plan_id}-progress.csv"'
    return response


def progress_excel_csv(request, plan_id: int):
    """The open data as a CSV for people (Lithuanian Excel); ``progress.csv``
    stays the programs' file with stable column names."""
    version = _version_in_force(plan_id)
    response = HttpResponse(
        opendata.as_excel_csv(opendata.published_rows(version)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="plan-{version.plan_id}-progress-excel.csv"'
    )
    return response


def progress_xlsx(request, plan_id: int):
    version = _version_in_force(plan_id)
    return xlsx_response(
        opendata.as_xlsx(opendata.published_rows(version)), f"plan-{version.plan_id}-progress.xlsx"
    )
