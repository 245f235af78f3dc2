"""A measure's funding grid: years × sources, saved as a whole by one service call.

The page works as a plain form (one POST of every cell, then a redirect to
the measure's page); static/js/funding_grid.js adds live totals, movement
between cells with the arrow keys and Enter, and pasting a block copied from
a spreadsheet. What was typed is never lost: an error answers 400 with every
cell as typed and the message on the cells it concerns.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planportal.forms import add_refusal_to_form
from plans import services
from plans.forms import FundingGridForm, normalise_amount
from plans.models import FrozenVersionError
from plans.selectors_funding import FundingGrid, funding_grid

from .common import (
    HTTP_CONFLICT,
    HTTP_INVALID,
    ComparisonRow,
    frozen,
    get_node,
    lines_display,
    rebind_with_revision,
    staff_required,
    version_breadcrumbs,
)


@staff_required
@require_http_methods(["GET", "POST"])
def measure_funding(request, pk):
    """The grid of one measure; a draft's grid saves, any other is read-only."""
    measure = get_node("measure", pk)
    version = measure.version
    if not version.plan.kind_spec.uses("funding"):
        raise Http404
    grid = funding_grid(measure)
    options = {"years": grid.years, "sources": grid.sources}
    if request.method == "GET" or not version.is_editable:
        initial = {"revision": measure.revision}
        initial.update(
            {
                FundingGridForm.cell_name(year, source): _amount_text(grid.amounts[key])
                for year in grid.years
                for source in grid.sources
                if (key := (year, source.pk)) in grid.amounts
            }
        )
        return _render(request, measure, grid, FundingGridForm(initial=initial, **options))

    form = FundingGridForm(request.POST, **options)
    if not form.is_valid():
        return _render(request, measure, grid, form, status=HTTP_INVALID)
    try:
        services.measure_set_funding(
            user=request.user,
            measure=measure,
            lines=form.lines(),
            revision=form.cleaned_data["revision"],
        )
    except FrozenVersionError as error:
        return frozen(request, version, error)
    except services.ConflictError as error:
        typed = lines_display(form.lines())
        form = FundingGridForm(
            rebind_with_revision(request, None, error.current.revision), **options
        )
        form.is_valid()
        saved = lines_display(
            [
                {"year": year, "source": source, "amount": grid.amounts[(year, source.pk)]}
                for year in grid.years
                for source in grid.sources
                if (year, source.pk) in grid.amounts
            ]
        )
        conflict = [ComparisonRow(_("Funding"), saved, typed)]
        return _render(request, measure, grid, form, conflict=conflict, status=HTTP_CONFLICT)
    except services.FundingOutsidePeriod as error:
        message = " ".join(error.messages)
        marked = form.mark_years(error.years, message)
        # One line in the summary, leading to the first cell refused, rather
        # than the same sentence for every cell of the year.
        summary = [(form[marked[0]].auto_id if marked else None, None, message)]
        return _render(request, measure, grid, form, summary=summary, status=HTTP_INVALID)
    except ValidationError as error:
        add_refusal_to_form(form, error)
        return _render(request, measure, grid, form, status=HTTP_INVALID)
    total = sum((line["amount"] for line in form.lines()), Decimal("0"))
    messages.success(
        request,
        _("The funding of %(code)s is saved: %(total)s Eur in all.")
        % {"code": measure.code, "total": _amount_text(total)},
    )
    return redirect(reverse("plans:staff-node-edit", args=["measure", measure.pk]) + "#funding")


def _amount_text(amount: Decimal) -> str:
    """An amount as the reader writes it, with its cents: "12 500,00"."""
    return formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)


def _cell_amount(text) -> Decimal:
    """What a cell adds to the totals: its amount, or nothing if it is not one."""
    try:
        return Decimal(normalise_amount(str(text or ""))) if str(text or "").strip() else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _rows(form: FundingGridForm, grid: FundingGrid):
    """The grid's rows with their cells (bound fields) and the totals of what
    is in the cells now: as saved, or as typed after an error."""
    rows, by_source = [], [Decimal(0)] * len(grid.sources)
    for year in grid.years:
        cells, row_total = [], Decimal(0)
        for index, source in enumerate(grid.sources):
            field = form[form.cell_name(year, source)]
            amount = _cell_amount(field.value())
            row_total += amount
            by_source[index] += amount
            cells.append({"field": field, "source": source, "column": index})
        rows.append(
            {"year": year, "outside": year in grid.outside, "cells": cells, "total": row_total}
        )
    return rows, by_source, sum(by_source, Decimal(0))


def _render(request, measure, grid, form, *, conflict=None, summary=None, status=200):
    version = measure.version
    rows, by_source, total = _rows(form, grid)
    error_summary = summary or (form.error_summary() if status != 200 else [])
    context = {
        "version": version,
        "plan": version.plan,
        "node": measure,
        "editable": version.is_editable,
        "grid": grid,
        "form": form,
        "rows": rows,
        "by_source": by_source,
        "total": total,
        "conflict": conflict,
        "error_summary": error_summary,
        "breadcrumbs": version_breadcrumbs(
            version,
            (
                f"{measure.code} {measure.title}",
                reverse("plans:staff-node-edit", args=["measure", measure.pk]),
            ),
        ),
    }
    return render(request, "plans/staff/funding_grid.html", context, status=status)
