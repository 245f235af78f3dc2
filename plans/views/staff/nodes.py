"""A node's edit page (its fields and, for a measure, its funding) and the inline edit."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import partial
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planportal.forms import add_refusal_to_form
from plans import services
from plans.forms import FundingFormSet, NodeForm, formset_with_extra_row, node_form_class
from plans.levels import LEVELS
from plans.models import (
    FrozenVersionError,
    FundingLine,
    FundingSource,
    Indicator,
    IndicatorTarget,
    Node,
)
from plans.selectors_links import MeasureLinks, measure_links

from .common import (
    FUNDING_PREFIX,
    HTTP_CONFLICT,
    HTTP_INVALID,
    ComparisonRow,
    ancestors_of,
    comparison,
    formset_error_summary,
    frozen,
    get_node,
    level_name,
    lines_display,
    outline_fragment,
    rebind_with_revision,
    staff_required,
    version_breadcrumbs,
)


@staff_required
@require_http_methods(["GET", "POST"])
def node_edit(request, level, pk):
    """The node's own page: every field and, for a measure, its funding lines,
    saved together by one service call (all or nothing)."""
    node = get_node(level, pk)
    if request.htmx:
        return _node_inline_edit(request, level, node)
    sources = list(FundingSource.objects.all()) if level == "measure" else []
    links = measure_links(node) if level == "measure" else None
    forms = partial(_node_forms, level, node, sources=sources, links=links)
    render_page = partial(_render_node_edit, request, node, links=links)
    if request.method == "GET":
        return render_page(*forms(None))
    if "add_funding_row" in request.POST:
        # Nothing is saved: the page comes back with what was typed and one more row.
        form, formset = forms(formset_with_extra_row(request.POST, FUNDING_PREFIX))
        _all_valid(form, formset)
        return render_page(form, formset)
    form, formset = forms(request.POST)
    if not _all_valid(form, formset):
        return render_page(form, formset, status=HTTP_INVALID)
    try:
        services.node_save(
            user=request.user,
            node=node,
            expected_revision=form.cleaned_data["revision"],
            fields=form.service_fields(),
            funding=formset.kept_rows() if formset is not None else None,
        )
    except FrozenVersionError as error:
        return frozen(request, node.version, error)
    except services.ConflictError as error:
        conflict = _node_conflict_rows(level, form, formset, error.current)
        form, formset = forms(rebind_with_revision(request, None, error.current.revision))
        _all_valid(form, formset)
        return render_page(form, formset, conflict=conflict, status=HTTP_CONFLICT)
    except ValidationError as error:
        _apply_node_errors(form, formset, error)
        return render_page(form, formset, status=HTTP_INVALID)
    name = f"{node.code} {form.cleaned_data['title']}"
    messages.success(request, _("%(node)s saved.") % {"node": name})
    if "add_indicator" in request.POST and LEVELS[level].has_indicators:
        # "Add an indicator" is a button of this form, so that what was just
        # typed is saved rather than left behind on the way.
        return redirect("plans:staff-indicator-add", level, node.pk)
    return redirect("plans:staff-node-edit", level, node.pk)


def _node_forms(level, node, data, *, sources, links: MeasureLinks | None):
    """The page's form and (for a measure) funding formset: bound to ``data``,
    or filled with the node as saved when ``data`` is None. A measure's form
    has the fields its plan's kind uses, and no funding formset without funding."""
    is_measure = level == "measure"
    kind = node.version.plan.kind_spec
    options = (
        {"kind": kind, "implements_choices": links.choices if links else None} if is_measure else {}
    )
    with_funding = is_measure and kind.uses("funding")
    form_class = node_form_class(level)
    if data is not None:
        form = form_class(data, **options)
        formset = (
            FundingFormSet(data, prefix=FUNDING_PREFIX, sources=sources) if with_funding else None
        )
        return form, formset
    initial = {"title": node.title, "description": node.description, "revision": node.revision}
    formset = None
    if is_measure:
        initial.update(
            kind=node.kind,
            responsible_unit=node.responsible_unit_id,
            appropriation_manager=node.appropriation_manager_id,
            co_executors=list(node.co_executors.values_list("pk", flat=True)),
            implements=[str(key) for key in links.saved] if links else [],
            start_year=node.start_year,
            end_year=node.end_year,
        )
    if with_funding:
        formset = FundingFormSet(
            initial=_funding_initial(node), prefix=FUNDING_PREFIX, sources=sources
        )
    return form_class(initial=initial, **options), formset


def _all_valid(form, formset) -> bool:
    """Validate the form and the formset: both, so that every error shows."""
    valid = form.is_valid()
    return (formset.is_valid() if formset is not None else True) and valid


def _apply_node_errors(form, formset, error: ValidationError) -> None:
    """The service's refusal next to the fields it names; funding errors above the lines."""
    add_refusal_to_form(form, error)
    if formset is not None and "funding" in getattr(error, "message_dict", {}):
        formset._non_form_errors = formset.error_class(
            error.message_dict["funding"], renderer=formset.renderer
        )


def _render_node_edit(request, node, form, formset, *, links=None, conflict=None, status=200):
    version = node.version
    level = node.tree_level.name
    is_measure = level == "measure"
    saved_lines = (
        list(FundingLine.objects.filter(measure=node).select_related("source"))
        if is_measure
        else []
    )
    error_summary = []
    if status != 200:
        error_summary = form.error_summary()
        if formset is not None:
            error_summary += formset_error_summary(formset)
    context = {
        "version": version,
        "plan": version.plan,
        "node": node,
        "level": level,
        "level_name": level_name(level, version),
        "editable": version.is_editable,
        "form": form,
        "formset": formset,
        "error_summary": error_summary,
        "conflict": conflict,
        "totals": _funding_totals(saved_lines, version.years) if is_measure else None,
        "indicators": _indicators_of(level, node),
        "ancestors": ancestors_of(level, node),
        "breadcrumbs": version_breadcrumbs(version),
        "links": links,
        "selected_links": _selected_links(form),
    }
    return render(request, "plans/staff/node_edit.html", context, status=status)


def _selected_links(form) -> set[str]:
    """The keys ticked in the form: as typed after a POST, as saved before."""
    if "implements" not in form.fields:
        return set()
    return {str(value) for value in form["implements"].value() or []}


def _funding_initial(measure):
    return [
        {"year": line.year, "source": line.source_id, "amount": line.amount}
        for line in FundingLine.objects.filter(measure=measure).select_related("source")
    ]


def _funding_totals(lines, plan_years):
    """Totals by year (rows) and source (columns) of the saved funding lines."""
    sources = sorted({line.source for line in lines}, key=lambda s: (s.position, s.code))
    years = sorted({line.year for line in lines})
    cell: defaultdict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for line in lines:
        cell[line.year, line.source_id] += line.amount
    rows = [
        {
            "year": year,
            "cells": [cell.get((year, s.pk)) for s in sources],
            "total": sum((cell.get((year, s.pk), Decimal("0")) for s in sources), Decimal("0")),
        }
        for year in years
    ]
    by_source = [
        sum((cell.get((y, s.pk), Decimal("0")) for y in years), Decimal("0")) for s in sources
    ]
    return {
        "sources": sources,
        "rows": rows,
        "by_source": by_source,
        "total": sum(by_source, Decimal("0")),
    }


def _indicators_of(level, node):
    if not LEVELS[level].has_indicators:
        return []
    targets = IndicatorTarget.objects.order_by("year")
    return list(
        Indicator.objects.filter(**{level: node}).prefetch_related(
            Prefetch("targets", queryset=targets, to_attr="target_list")
        )
    )


def _node_conflict_rows(level, form, formset, current):
    saved = {"title": current.title, "description": current.description}
    if level == "measure":
        saved.update(
            kind=current.kind,
            responsible_unit=current.responsible_unit,
            appropriation_manager=current.appropriation_manager,
            co_executors=list(current.co_executors.all()),
            start_year=current.start_year,
            end_year=current.end_year,
        )
    rows = comparison(form, {name: value for name, value in saved.items() if name in form.fields})
    if formset is not None:
        saved_lines = [
            {"year": f.year, "source": f.source, "amount": f.amount}
            for f in FundingLine.objects.filter(measure=current).select_related("source")
        ]
        rows.append(
            ComparisonRow(
                _("Funding"), lines_display(saved_lines), lines_display(formset.kept_rows())
            )
        )
    return rows


def _node_inline_edit(request, level, node):
    """Title and description, edited in place in the outline (htmx only)."""
    version = node.version
    prefix = f"edit-{level}-{node.pk}"
    conflict = None
    status = 200
    if request.method == "POST":
        form = NodeForm(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                node = services.node_save(
                    user=request.user,
                    node=node,
                    expected_revision=form.cleaned_data["revision"],
                    fields=form.service_fields(),
                )
            except FrozenVersionError as error:
                return frozen(request, version, error)
            except services.ConflictError as error:
                current = cast(Node, error.current)  # a stale node's conflict is the node
                conflict = comparison(
                    form, {"title": current.title, "description": current.description}
                )
                form = NodeForm(
                    rebind_with_revision(request, prefix, current.revision), prefix=prefix
                )
                form.is_valid()
                status = HTTP_CONFLICT
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = HTTP_INVALID
            else:
                message = _("%(code)s “%(title)s” saved.") % {
                    "code": node.code,
                    "title": node.title,
                }
                return outline_fragment(request, version, focus_node=node, status=message)
        else:
            status = HTTP_INVALID
    else:
        form = NodeForm(
            initial={
                "title": node.title,
                "description": node.description,
                "revision": node.revision,
            },
            prefix=prefix,
        )
    context = {
        "version": version,
        "node": node,
        "level": level,
        "form": form,
        "conflict": conflict,
        "inline": True,
        "slot": f"slot-{level}-{node.pk}",
        "return_id": f"node-{level}-{node.pk}",
        "form_action": request.path,
    }
    return render(request, "plans/staff/_node_inline_edit.html", context, status=status)
