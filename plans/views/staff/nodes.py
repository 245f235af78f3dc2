"""A node's edit page (its fields and, for a measure, a summary of its funding) and the inline edit.

A measure's funding is edited on its own grid (``funding``), not here.
"""

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
from plans.forms import NodeForm, node_form_class
from plans.levels import LEVELS
from plans.models import (
    FrozenVersionError,
    FundingLine,
    Indicator,
    IndicatorTarget,
    Node,
)
from plans.selectors_links import MeasureLinks, measure_links

from .common import (
    HTTP_CONFLICT,
    HTTP_INVALID,
    ancestors_of,
    comparison,
    frozen,
    get_node,
    level_name,
    outline_fragment,
    rebind_with_revision,
    staff_required,
    version_breadcrumbs,
)


@staff_required
@require_http_methods(["GET", "POST"])
def node_edit(request, level, pk):
    """The node's own page: every field, saved by one service call (all or
    nothing); a measure's saved funding as a table, edited on its grid."""
    node = get_node(level, pk)
    if request.htmx:
        return _node_inline_edit(request, level, node)
    links = measure_links(node) if level == "measure" else None
    forms = partial(_node_form, level, node, links=links)
    render_page = partial(_render_node_edit, request, node, links=links)
    if request.method == "GET":
        return render_page(forms(None))
    form = forms(request.POST)
    if not form.is_valid():
        return render_page(form, status=HTTP_INVALID)
    try:
        services.node_save(
            user=request.user,
            node=node,
            expected_revision=form.cleaned_data["revision"],
            fields=form.service_fields(),
        )
    except FrozenVersionError as error:
        return frozen(request, node.version, error)
    except services.ConflictError as error:
        conflict = _node_conflict_rows(level, form, error.current)
        form = forms(rebind_with_revision(request, None, error.current.revision))
        form.is_valid()
        return render_page(form, conflict=conflict, status=HTTP_CONFLICT)
    except ValidationError as error:
        add_refusal_to_form(form, error)
        return render_page(form, status=HTTP_INVALID)
    name = f"{node.code} {form.cleaned_data['title']}"
    messages.success(request, _("%(node)s saved.") % {"node": name})
    if "add_indicator" in request.POST and LEVELS[level].has_indicators:
        # "Add an indicator" is a button of this form, so that what was just
        # typed is saved rather than left behind on the way.
        return redirect("plans:staff-indicator-add", level, node.pk)
    return redirect("plans:staff-node-edit", level, node.pk)


def _node_form(level, node, data, *, links: MeasureLinks | None):
    """The page's form: bound to ``data``, or filled with the node as saved
    when ``data`` is None. A measure's form has the fields its plan's kind uses."""
    is_measure = level == "measure"
    kind = node.version.plan.kind_spec
    options = (
        {"kind": kind, "implements_choices": links.choices if links else None} if is_measure else {}
    )
    form_class = node_form_class(level)
    if data is not None:
        return form_class(data, **options)
    initial = {"title": node.title, "description": node.description, "revision": node.revision}
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
    return form_class(initial=initial, **options)


def _render_node_edit(request, node, form, *, links=None, conflict=None, status=200):
    version = node.version
    level = node.tree_level.name
    is_measure = level == "measure"
    with_funding = is_measure and version.plan.kind_spec.uses("funding")
    saved_lines = (
        list(FundingLine.objects.filter(measure=node).select_related("source"))
        if with_funding
        else []
    )
    error_summary = form.error_summary() if status != 200 else []
    context = {
        "version": version,
        "plan": version.plan,
        "node": node,
        "level": level,
        "level_name": level_name(level, version),
        "editable": version.is_editable,
        "form": form,
        "error_summary": error_summary,
        "conflict": conflict,
        "totals": _funding_totals(saved_lines) if with_funding else None,
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


def _funding_totals(lines):
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


def _node_conflict_rows(level, form, current):
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
    return comparison(form, {name: value for name, value in saved.items() if name in form.fields})


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
