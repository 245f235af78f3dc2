"""Two years' reports side by side, and a report's XLSX annex, in the browser.

``/plans/<plan_id>/reports/compare/?a=<year>&b=<year>`` compares the report
of each year that the reader may see (reports/compare.py picks it: the
approved one, else a newer revision staff or council may read); without
``a`` and ``b`` it compares the two newest years. A year that is not a
number or out of range, one year without the other or the same year twice
is a 400; a year without a report the reader may see a 404, both with the
form to choose again. ``/reports/<id>/xlsx/`` is the annex of every table
(reports/xlsx.py), to whoever may read the report.
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from planportal.years import YEAR_MAX, YEAR_MIN
from plans.models import Plan
from plans.spreadsheets import xlsx_response
from plans.words import words_for

from . import compare, selectors, xlsx


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Earlier year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    b = forms.IntegerField(label=_("Later year"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def clean(self):
        data = super().clean() or {}
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError(_("Choose two different years."), code="same_year")
        return data


def compare_reports(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_id)
    available = compare.comparable_reports(request.user, plan)
    years = sorted(available)
    context: dict = {"plan": plan, "words": words_for(plan), "years": years}
    if "a" in request.GET or "b" in request.GET:
        form = CompareForm(request.GET)
        if not form.is_valid():
            context.update(form=form, wanted=_wanted(request, years))
            return render(request, "reports/compare.html", context, status=400)
        wanted = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
    else:
        wanted = years[-2:]
        form = CompareForm(initial={"a": wanted[0], "b": wanted[-1]} if wanted else None)
    context.update(form=form, wanted={"a": wanted[0], "b": wanted[-1]} if wanted else {})
    if len(wanted) < 2:
        # Fewer than two reports this reader may see: nothing to compare yet.
        return render(request, "reports/compare.html", context)
    missing = [year for year in wanted if year not in available]
    if missing:
        context.update(missing=missing, missing_years=", ".join(str(year) for year in missing))
        return render(request, "reports/compare.html", context, status=404)
    earlier, later = (available[year] for year in wanted)
    context.update(
        earlier=earlier,
        later=later,
        compared=compare.compare(
            selectors.report_content(earlier, request.user),
            selectors.report_content(later, request.user),
        ),
    )
    return render(request, "reports/compare.html", context)


def _wanted(request: HttpRequest, years: list[int]) -> dict:
    """The years a refused form asked for, where they are years at all (to keep them selected)."""
    wanted = {}
    for name in ("a", "b"):
        value = request.GET.get(name, "")
        if value.isdigit() and int(value) in years:
            wanted[name] = int(value)
    return wanted


def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    """Every table of the report as an XLSX workbook (reports/xlsx.py)."""
    report = selectors.report_for_user(request.user, report_id)
    content = selectors.report_content(report, request.user)
    return xlsx_response(xlsx.report_workbook(report, content), xlsx.filename(report))
