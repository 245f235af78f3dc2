"""The staff plan editor: dashboard, outline editor, node pages and audit trail.

Every view needs the staff role. Views parse input and call one service
(plans/services.py), which checks the role and the version's state again;
the audit trail's reads live in plans/history.py.
Each page works as plain HTML forms (POST, then redirect); htmx requests get
fragments instead (request.htmx, from django-htmx), so the outline changes in
place. Errors answer with 4xx: 422 for a form to correct, 409 for a conflict
or a version that cannot change any more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from planportal.roles import is_staff_member, role_required
from plans import history, services
from plans.forms import (
    FundingFormSet,
    IndicatorForm,
    MoveForm,
    NodeAddForm,
    NodeForm,
    PlanCreateForm,
    TargetFormSet,
    VisionForm,
    formset_with_extra_row,
    node_form_class,
)
from plans.history import grouped
from plans.models import (
    CHILD_LEVEL,
    NODE_MODELS,
    FrozenVersionError,
    FundingLine,
    FundingSource,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)
from plans.selectors import version_tree

PARENT_LEVEL = {"goal": "priority", "task": "goal", "measure": "task"}
LEVEL_NAMES = {
    "priority": (Priority._meta.verbose_name, Priority._meta.verbose_name_plural),
    "goal": (Goal._meta.verbose_name, Goal._meta.verbose_name_plural),
    "task": (Task._meta.verbose_name, Task._meta.verbose_name_plural),
    "measure": (Measure._meta.verbose_name, Measure._meta.verbose_name_plural),
}
# Whole phrases per level rather than "%(count)s %(name)s": Lithuanian
# declines the noun with the number (1 tikslas, 2 tikslai, 10 tikslų).
COUNTED_LEVELS = {
    "goal": lambda n: ngettext("%(count)s goal", "%(count)s goals", n),
    "task": lambda n: ngettext("%(count)s task", "%(count)s tasks", n),
    "measure": lambda n: ngettext("%(count)s measure", "%(count)s measures", n),
}
ADD_TITLES = {
    "priority": lambda: _("Add a priority"),
    "goal": lambda: _("Add a goal"),
    "task": lambda: _("Add a task"),
    "measure": lambda: _("Add a measure"),
}
HTTP_UNPROCESSABLE = 422
HTTP_CONFLICT = 409
FUNDING_PREFIX = "funding"
TARGETS_PREFIX = "targets"


staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can use the plan editor.")
)


# --- Helpers ----------------------------------------------------------------------------


def _level_name(level: str) -> str:
    return str(LEVEL_NAMES[level][0])


def _get_version(version_id) -> PlanVersion:
    return get_object_or_404(PlanVersion.objects.select_related("plan", "based_on"), pk=version_id)


def _get_node(level: str, pk):
    if level not in NODE_MODELS:
        raise Http404
    related = {
        "priority": ["version__plan"],
        "goal": ["version__plan", "priority"],
        "task": ["version__plan", "goal__priority"],
        "measure": ["version__plan", "task__goal__priority", "responsible_unit"],
    }[level]
    return get_object_or_404(NODE_MODELS[level].objects.select_related(*related), pk=pk)


def _ancestors(level: str, node) -> list:
    chain = []
    current = node
    while level in PARENT_LEVEL:
        current = getattr(current, PARENT_LEVEL[level])
        level = PARENT_LEVEL[level]
        chain.insert(0, (level, current))
    return chain


def _outline_url(version, node=None, level=None) -> str:
    url = reverse("plans:staff-outline", args=[version.pk])
    return f"{url}#node-{level}-{node.pk}" if node is not None else url


def _prefix(request, name: str) -> str | None:
    # Inline forms get a prefix so that two of them open in one outline
    # never share element ids; full-page forms keep plain names.
    return name if request.htmx else None


def _apply_service_errors(form, error: ValidationError, *, fallback_field=None) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            target = name if name in form.fields else fallback_field
            for message in errors:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _display(form_field, value) -> str:
    """How a value reads in the conflict comparison."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(form_field, django_forms.ModelMultipleChoiceField):
        names = [str(item) for item in value]
        return ", ".join(names) if names else "—"
    if isinstance(form_field, django_forms.ModelChoiceField):
        return str(value)
    if isinstance(form_field, django_forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    if isinstance(value, Decimal):
        return grouped(value)
    return str(value)


@dataclass
class ComparisonRow:
    label: str
    saved: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.saved != self.typed


def _comparison(form, saved_values: dict) -> list[ComparisonRow]:
    rows = []
    for name, saved in saved_values.items():
        form_field = form.fields[name]
        rows.append(
            ComparisonRow(
                str(form_field.label),
                _display(form_field, saved),
                _display(form_field, form.cleaned_data.get(name)),
            )
        )
    return rows


def _rebind_with_revision(request, prefix, revision):
    """The user's input with the hidden revision moved to the current one, so
    that saving again deliberately overwrites the other person's change."""
    data = request.POST.copy()
    data[f"{prefix}-revision" if prefix else "revision"] = str(revision)
    return data


def _lines_display(lines) -> str:
    return (
        "\n".join(
            f"{line['year']} · {line['source'].code} · {grouped(line['amount'])}" for line in lines
        )
        or "—"
    )


def _targets_display(targets) -> str:
    return "\n".join(f"{t['year']}: {grouped(t['value'])}" for t in targets) or "—"


# --- Outline rendering ---------------------------------------------------------------------


def _outline_context(
    version, *, focus_node=None, focus_control="line", status="", status_error=False
):
    return {
        "version": version,
        "plan": version.plan,
        "tree": version_tree(version),
        "editable": version.is_editable,
        "focus_node": focus_node,
        "focus_control": focus_control,
        "status_message": status,
        "status_error": status_error,
    }


def _outline_fragment(request, version, *, status_code=200, **context):
    """The outline's tree for htmx, with the status message swapped out of band."""
    response = render(
        request,
        "plans/staff/_outline_response.html",
        _outline_context(version, **context),
        status=status_code,
    )
    response = retarget(response, "#outline")
    return reswap(response, "innerHTML")


def _after_change(request, version, message, *, node=None, level=None, focus_control="line"):
    """htmx: re-render the outline (codes renumbered); otherwise redirect to it."""
    if request.htmx:
        return _outline_fragment(
            request, version, focus_node=node, focus_control=focus_control, status=message
        )
    messages.success(request, message)
    return redirect(_outline_url(version, node, level))


def _frozen(request, version, error):
    """The version stopped being a draft (or never was): say so, read-only."""
    version = _get_version(version.pk)
    message = " ".join(error.messages)
    if request.htmx:
        return _outline_fragment(
            request, version, status_code=HTTP_CONFLICT, status=message, status_error=True
        )
    context = _outline_context(version)
    context["error_message"] = message
    return render(request, "plans/staff/outline.html", context, status=HTTP_CONFLICT)


def _render_form(request, *, partial, page_title, context, status=200, breadcrumbs=()):
    """An inline fragment for htmx, or a full page with the same form."""
    context = {
        **context,
        "inline": bool(request.htmx),
        "partial": partial,
        "page_title": page_title,
    }
    context.setdefault("breadcrumbs", breadcrumbs)
    template = partial if request.htmx else "plans/staff/form_page.html"
    return render(request, template, context, status=status)


def _version_breadcrumbs(version, *extra):
    return [
        (_("Staff dashboard"), reverse("plans:staff-dashboard")),
        (f"{version.plan.title}: {version.get_label()}", _outline_url(version)),
        *extra,
    ]


# --- Dashboard ------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    form = PlanCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.plan_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Plan “%(title)s” created with an empty draft.") % {"title": plan.title},
                )
                return redirect("plans:staff-dashboard")
        status = HTTP_UNPROCESSABLE
    return _render_dashboard(request, form, status=status)


def _render_dashboard(request, form=None, *, status=200, error_message=""):
    versions = PlanVersion.objects.select_related("based_on").order_by("-number")
    plans = Plan.objects.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "-period_start", "title"
    )
    plans = list(plans)
    for plan in plans:
        plan.current = next(
            (v for v in plan.versions.all() if v.status == VersionStatus.APPROVED), None
        )
    context = {
        "plans": plans,
        "form": form or PlanCreateForm(),
        "error_message": error_message,
    }
    return render(request, "plans/staff/dashboard.html", context, status=status)


@staff_required
@require_POST
def draft_create(request, plan_id):
    plan = get_object_or_404(Plan, pk=plan_id)
    draft = services.version_create_draft(user=request.user, plan=plan)
    if draft.based_on_id:
        message = _("Draft %(number)s created from version %(source)s.") % {
            "number": draft.number,
            "source": draft.based_on.number,
        }
    else:
        message = _("Empty draft %(number)s created.") % {"number": draft.number}
    messages.success(request, message)
    return redirect("plans:staff-outline", draft.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def version_delete(request, version_id):
    version = _get_version(version_id)
    if request.method == "POST":
        try:
            services.version_delete(user=request.user, version=version)
        except FrozenVersionError as error:
            return _render_dashboard(
                request, status=HTTP_CONFLICT, error_message=" ".join(error.messages)
            )
        messages.success(request, _("Draft %(number)s deleted.") % {"number": version.number})
        return redirect("plans:staff-dashboard")
    counts = {
        "priorities": Priority.objects.filter(version=version).count(),
        "measures": Measure.objects.filter(version=version).count(),
    }
    return render(
        request,
        "plans/staff/version_delete.html",
        {"version": version, "plan": version.plan, "counts": counts},
    )


# --- Outline ------------------------------------------------------------------------------


@staff_required
def outline(request, version_id):
    version = _get_version(version_id)
    return render(request, "plans/staff/outline.html", _outline_context(version))


@staff_required
@require_http_methods(["GET", "POST"])
def vision_edit(request, version_id):
    version = _get_version(version_id)
    prefix = _prefix(request, "vision")
    if request.method == "GET" and request.GET.get("show"):
        # "Cancel" of the inline form: the vision as it is.
        return render(
            request,
            "plans/staff/_vision.html",
            {"version": version, "editable": version.is_editable},
        )
    if request.method == "GET":
        form = VisionForm(
            initial={
                "vision": version.vision,
                "label": version.label,
                "revision": version.revision,
            },
            prefix=prefix,
        )
        return _render_vision_form(request, version, form)
    form = VisionForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render_vision_form(request, version, form, status=HTTP_UNPROCESSABLE)
    try:
        version = services.version_update(
            user=request.user,
            version=version,
            revision=form.cleaned_data["revision"],
            vision=form.cleaned_data["vision"],
            label=form.cleaned_data["label"],
        )
    except FrozenVersionError as error:
        return _frozen(request, version, error)
    except services.ConflictError as conflict:
        current = conflict.current
        rows = _comparison(form, {"vision": current.vision, "label": current.label})
        form = VisionForm(_rebind_with_revision(request, prefix, current.revision), prefix=prefix)
        form.is_valid()
        return _render_vision_form(request, version, form, conflict=rows, status=HTTP_CONFLICT)
    message = _("The vision was saved.")
    if request.htmx:
        response = render(
            request,
            "plans/staff/_vision.html",
            {"version": version, "editable": True, "status_message": message, "focus": True},
        )
        return response
    messages.success(request, message)
    return redirect(_outline_url(version) + "#vision")


def _render_vision_form(request, version, form, *, conflict=None, status=200):
    return _render_form(
        request,
        partial="plans/staff/_vision_form.html",
        page_title=_("Edit the vision"),
        context={"version": version, "form": form, "conflict": conflict},
        status=status,
        breadcrumbs=_version_breadcrumbs(version),
    )


# --- Nodes: add, edit inline, move, delete ----------------------------------------------------


def _add_parent(version_id, level, pk):
    """(version, child level, parent object) of an "add" request."""
    if version_id is not None:
        version = _get_version(version_id)
        return version, "priority", version
    if level not in CHILD_LEVEL or CHILD_LEVEL[level] is None:
        raise Http404
    parent = _get_node(level, pk)
    return parent.version, CHILD_LEVEL[level], parent


def _siblings_of(child_level, parent):
    if child_level == "priority":
        return Priority.objects.filter(version=parent).order_by("position", "id")
    parent_field = PARENT_LEVEL[child_level]
    return (
        NODE_MODELS[child_level].objects.filter(**{parent_field: parent}).order_by("position", "id")
    )


@staff_required
@require_http_methods(["GET", "POST"])
def node_add(request, version_id=None, level=None, pk=None):
    version, child_level, parent = _add_parent(version_id, level, pk)
    parent_key = f"version-{version.pk}" if child_level == "priority" else f"{level}-{parent.pk}"
    prefix = _prefix(request, f"add-{parent_key}")
    siblings = list(_siblings_of(child_level, parent))
    form = NodeAddForm(request.POST or None, siblings=siblings, prefix=prefix)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                node = services.node_create(
                    user=request.user,
                    level=child_level,
                    parent=parent,
                    position=form.cleaned_data["position"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                )
            except FrozenVersionError as error:
                return _frozen(request, version, error)
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                message = _("%(level)s %(code)s “%(title)s” added.") % {
                    "level": _level_name(child_level).capitalize(),
                    "code": node.code,
                    "title": node.title,
                }
                return _after_change(request, version, message, node=node, level=child_level)
        status = HTTP_UNPROCESSABLE
    title = ADD_TITLES[child_level]()
    return _render_form(
        request,
        partial="plans/staff/_node_add_form.html",
        page_title=title,
        context={
            "version": version,
            "form": form,
            "child_level": child_level,
            "parent": None if child_level == "priority" else parent,
            "slot": f"slot-{parent_key}",
            "return_id": "outline-heading"
            if child_level == "priority"
            else f"node-{level}-{parent.pk}",
            "form_action": request.path,
        },
        status=status,
        breadcrumbs=_version_breadcrumbs(version),
    )


def _parent_candidates(version, level):
    # In outline order, with ``children`` to know where "at the end" is.
    tree = version_tree(version, with_details=False)
    parent_model = NODE_MODELS[PARENT_LEVEL[level]]
    return [node for node in tree.iter_nodes() if type(node) is parent_model]


@staff_required
@require_http_methods(["GET", "POST"])
def node_move(request, level, pk):
    node = _get_node(level, pk)
    version = node.version
    direction = request.POST.get("direction")
    if request.method == "POST" and direction in {"up", "down"}:
        position = node.position - 1 if direction == "up" else node.position + 1
        try:
            node = services.node_move(user=request.user, node=node, position=max(position, 1))
        except FrozenVersionError as error:
            return _frozen(request, version, error)
        if direction == "up":
            message = _("%(title)s moved up: now %(code)s.")
        else:
            message = _("%(title)s moved down: now %(code)s.")
        message = message % {"title": node.title, "code": node.code}
        return _after_change(
            request, version, message, node=node, level=level, focus_control=direction
        )
    if level == "priority":
        raise Http404
    prefix = _prefix(request, f"move-{level}-{node.pk}")
    parents = _parent_candidates(version, level)
    current_parent_id = getattr(node, f"{PARENT_LEVEL[level]}_id")
    form = MoveForm(
        request.POST or None, parents=parents, prefix=prefix, initial={"parent": current_parent_id}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            parent = next(p for p in parents if p.pk == form.cleaned_data["parent"])
            try:
                node = services.node_move(
                    user=request.user, node=node, parent=parent, position=len(parent.children) + 1
                )
            except FrozenVersionError as error:
                return _frozen(request, version, error)
            except ValidationError as error:
                _apply_service_errors(form, error, fallback_field="parent")
            else:
                message = _("%(title)s moved under %(parent)s: now %(code)s.") % {
                    "title": node.title,
                    "parent": parent.code,
                    "code": node.code,
                }
                return _after_change(request, version, message, node=node, level=level)
        status = HTTP_UNPROCESSABLE
    return _render_form(
        request,
        partial="plans/staff/_node_move_form.html",
        page_title=_("Move %(node)s") % {"node": f"{node.code} {node.title}"},
        context={
            "version": version,
            "node": node,
            "level": level,
            "form": form,
            "slot": f"slot-{level}-{node.pk}",
            "return_id": f"node-{level}-{node.pk}",
            "form_action": request.path,
        },
        status=status,
        breadcrumbs=_version_breadcrumbs(version),
    )


DESCENDANT_LOOKUPS = {
    "priority": {"goal": "priority", "task": "goal__priority", "measure": "task__goal__priority"},
    "goal": {"task": "goal", "measure": "task__goal"},
    "task": {"measure": "task"},
    "measure": {},
}


def _descendant_summary(level, node) -> list[str]:
    parts = []
    for child_level, lookup in DESCENDANT_LOOKUPS[level].items():
        count = NODE_MODELS[child_level].objects.filter(**{lookup: node}).count()
        if count:
            parts.append(COUNTED_LEVELS[child_level](count) % {"count": count})
    owned = Q(**{level: node}) if level != "priority" else Q(pk__in=[])
    for child_level, lookup in DESCENDANT_LOOKUPS[level].items():
        if child_level in {"goal", "task", "measure"}:
            owned |= Q(**{f"{child_level}__{lookup}": node})
    indicators = Indicator.objects.filter(owned).count()
    if indicators:
        parts.append(
            ngettext("%(count)s indicator", "%(count)s indicators", indicators)
            % {"count": indicators}
        )
    return parts


@staff_required
@require_http_methods(["GET", "POST"])
def node_delete(request, level, pk):
    node = _get_node(level, pk)
    version = node.version
    if request.method == "POST":
        parent = node.parent
        try:
            services.node_delete(user=request.user, node=node)
        except FrozenVersionError as error:
            return _frozen(request, version, error)
        message = _("%(level)s %(code)s “%(title)s” deleted.") % {
            "level": _level_name(level).capitalize(),
            "code": node.code,
            "title": node.title,
        }
        return _after_change(request, version, message, node=parent, level=PARENT_LEVEL.get(level))
    return _render_form(
        request,
        partial="plans/staff/_node_delete_confirm.html",
        page_title=_("Delete %(node)s?") % {"node": f"{node.code} {node.title}"},
        context={
            "version": version,
            "node": node,
            "level": level,
            "level_name": _level_name(level),
            "descendants": _descendant_summary(level, node),
            "slot": f"slot-{level}-{node.pk}",
            "return_id": f"node-{level}-{node.pk}",
            "form_action": request.path,
        },
        breadcrumbs=_version_breadcrumbs(version),
    )


# --- Nodes: the edit page -----------------------------------------------------------------------


def _funding_initial(measure):
    return [
        {"year": line.year, "source": line.source_id, "amount": line.amount}
        for line in FundingLine.objects.filter(measure=measure).select_related("source")
    ]


def _funding_totals(lines, plan_years):
    """Totals by year (rows) and source (columns) of the saved funding lines."""
    sources = sorted({line.source for line in lines}, key=lambda s: (s.position, s.code))
    years = sorted({line.year for line in lines})
    cell = defaultdict(Decimal)
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
    if level == "priority":
        return []
    targets = IndicatorTarget.objects.order_by("year")
    return list(
        Indicator.objects.filter(**{level: node}).prefetch_related(
            Prefetch("targets", queryset=targets, to_attr="target_list")
        )
    )


@staff_required
@require_http_methods(["GET", "POST"])
def node_edit(request, level, pk):
    node = _get_node(level, pk)
    if request.htmx:
        return _node_inline_edit(request, level, node)
    version = node.version
    form_class = node_form_class(level)
    is_measure = level == "measure"
    sources = list(FundingSource.objects.all()) if is_measure else []
    conflict = None
    status = 200
    if request.method == "POST":
        data = request.POST
        adding_row = "add_funding_row" in data
        if adding_row:
            data = formset_with_extra_row(data, FUNDING_PREFIX)
        form = form_class(data)
        formset = (
            FundingFormSet(data, prefix=FUNDING_PREFIX, sources=sources) if is_measure else None
        )
        valid = form.is_valid() & (formset.is_valid() if formset else True)
        if adding_row:
            # Nothing is saved: the page comes back with one more row.
            pass
        elif valid:
            try:
                _save_node(request, level, node, form, formset)
            except FrozenVersionError as error:
                return _frozen(request, version, error)
            except services.ConflictError as error:
                current = error.current
                conflict = _node_conflict_rows(level, form, formset, current)
                data = _rebind_with_revision(request, None, current.revision)
                form = form_class(data)
                formset = (
                    FundingFormSet(data, prefix=FUNDING_PREFIX, sources=sources)
                    if is_measure
                    else None
                )
                form.is_valid()
                formset and formset.is_valid()
                status = HTTP_CONFLICT
            except ValidationError as error:
                _apply_service_errors(form, error)
                if formset is not None and "funding" in getattr(error, "message_dict", {}):
                    formset._non_form_errors = formset.error_class(
                        error.message_dict["funding"], renderer=formset.renderer
                    )
                status = HTTP_UNPROCESSABLE
            else:
                messages.success(
                    request,
                    _("%(node)s saved.") % {"node": f"{node.code} {form.cleaned_data['title']}"},
                )
                return redirect("plans:staff-node-edit", level, node.pk)
        else:
            status = HTTP_UNPROCESSABLE
    else:
        initial = {"title": node.title, "description": node.description, "revision": node.revision}
        if is_measure:
            initial.update(
                kind=node.kind,
                responsible_unit=node.responsible_unit_id,
                co_executors=list(node.co_executors.values_list("pk", flat=True)),
                start_year=node.start_year,
                end_year=node.end_year,
            )
        form = form_class(initial=initial)
        formset = (
            FundingFormSet(initial=_funding_initial(node), prefix=FUNDING_PREFIX, sources=sources)
            if is_measure
            else None
        )
    saved_lines = (
        list(FundingLine.objects.filter(measure=node).select_related("source"))
        if is_measure
        else []
    )
    error_summary = []
    if status != 200:
        error_summary = form.error_summary()
        if formset is not None:
            error_summary += _formset_error_summary(formset)
    context = {
        "version": version,
        "plan": version.plan,
        "node": node,
        "level": level,
        "level_name": _level_name(level),
        "editable": version.is_editable,
        "form": form,
        "formset": formset,
        "error_summary": error_summary,
        "conflict": conflict,
        "totals": _funding_totals(saved_lines, version.plan.years) if is_measure else None,
        "indicators": _indicators_of(level, node),
        "ancestors": _ancestors(level, node),
        "breadcrumbs": _version_breadcrumbs(version),
    }
    return render(request, "plans/staff/node_edit.html", context, status=status)


def _formset_error_summary(formset):
    items = [(None, None, message) for message in formset.non_form_errors()]
    for index, form in enumerate(formset.forms, start=1):
        for anchor, label, message in form.error_summary():
            row_label = (
                _("Row %(number)s, %(field)s") % {"number": index, "field": label}
                if label
                else None
            )
            items.append((anchor, row_label, message))
    return items


def _save_node(request, level, node, form, formset):
    """Save the node's fields and (for a measure) its funding, all or nothing."""
    fields = form.service_fields()
    co_executors = form.cleaned_data.get("co_executors") if level == "measure" else None
    with transaction.atomic():
        updated = services.node_update(
            user=request.user,
            node=node,
            revision=form.cleaned_data["revision"],
            co_executors=co_executors,
            **fields,
        )
        if formset is not None:
            services.measure_set_funding(
                user=request.user,
                measure=updated,
                lines=formset.kept_rows(),
                revision=updated.revision,
            )
    return updated


def _node_conflict_rows(level, form, formset, current):
    saved = {"title": current.title, "description": current.description}
    if level == "measure":
        saved.update(
            kind=current.kind,
            responsible_unit=current.responsible_unit,
            co_executors=list(current.co_executors.all()),
            start_year=current.start_year,
            end_year=current.end_year,
        )
    rows = _comparison(form, saved)
    if formset is not None:
        saved_lines = [
            {"year": f.year, "source": f.source, "amount": f.amount}
            for f in FundingLine.objects.filter(measure=current).select_related("source")
        ]
        rows.append(
            ComparisonRow(
                _("Funding"), _lines_display(saved_lines), _lines_display(formset.kept_rows())
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
                node = services.node_update(
                    user=request.user,
                    node=node,
                    revision=form.cleaned_data["revision"],
                    **form.service_fields(),
                )
            except FrozenVersionError as error:
                return _frozen(request, version, error)
            except services.ConflictError as error:
                current = error.current
                conflict = _comparison(
                    form, {"title": current.title, "description": current.description}
                )
                form = NodeForm(
                    _rebind_with_revision(request, prefix, current.revision), prefix=prefix
                )
                form.is_valid()
                status = HTTP_CONFLICT
            except ValidationError as error:
                _apply_service_errors(form, error)
                status = HTTP_UNPROCESSABLE
            else:
                message = _("%(code)s “%(title)s” saved.") % {
                    "code": node.code,
                    "title": node.title,
                }
                return _outline_fragment(request, version, focus_node=node, status=message)
        else:
            status = HTTP_UNPROCESSABLE
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


# --- Indicators ------------------------------------------------------------------------------------


def _get_indicator(pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("version__plan", "goal", "task", "measure"), pk=pk
    )


def _owner_level(indicator) -> str:
    return "goal" if indicator.goal_id else "task" if indicator.task_id else "measure"


@staff_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, level, pk):
    if level == "priority":
        raise Http404
    return _indicator_form(request, level, _get_node(level, pk), None)


@staff_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _get_indicator(pk)
    level = _owner_level(indicator)
    return _indicator_form(request, level, _get_node(level, indicator.owner.pk), indicator)


def _indicator_form(request, level, owner, indicator):
    version = owner.version
    conflict = None
    status = 200
    if request.method == "POST":
        data = request.POST
        adding_row = "add_target_row" in data
        if adding_row:
            data = formset_with_extra_row(data, TARGETS_PREFIX)
        form = IndicatorForm(data, level=level)
        formset = TargetFormSet(data, prefix=TARGETS_PREFIX)
        valid = form.is_valid() & formset.is_valid()
        if valid and not adding_row:
            try:
                saved = services.indicator_save(
                    user=request.user,
                    owner=owner if indicator is None else None,
                    indicator=indicator,
                    revision=form.cleaned_data["revision"] if indicator else None,
                    targets=[{"year": t["year"], "value": t["value"]} for t in formset.kept_rows()],
                    **form.service_fields(),
                )
            except FrozenVersionError as error:
                return _frozen(request, version, error)
            except services.ConflictError as error:
                current = error.current
                saved_values = {name: getattr(current, name) for name in form.service_fields()}
                conflict = _comparison(form, saved_values)
                saved_targets = [{"year": t.year, "value": t.value} for t in current.targets.all()]
                conflict.append(
                    ComparisonRow(
                        _("Target values"),
                        _targets_display(saved_targets),
                        _targets_display(formset.kept_rows()),
                    )
                )
                data = _rebind_with_revision(request, None, current.revision)
                form = IndicatorForm(data, level=level)
                formset = TargetFormSet(data, prefix=TARGETS_PREFIX)
                form.is_valid()
                formset.is_valid()
                status = HTTP_CONFLICT
            except ValidationError as error:
                _apply_service_errors(form, error)
                if "targets" in getattr(error, "message_dict", {}):
                    formset._non_form_errors = formset.error_class(
                        error.message_dict["targets"], renderer=formset.renderer
                    )
                status = HTTP_UNPROCESSABLE
            else:
                messages.success(request, _("Indicator “%(name)s” saved.") % {"name": saved.name})
                return redirect(
                    reverse("plans:staff-node-edit", args=[level, owner.pk]) + "#indicators"
                )
        elif not valid and not adding_row:
            status = HTTP_UNPROCESSABLE
    elif indicator is not None:
        form = IndicatorForm(
            initial={
                "kind": indicator.kind,
                "name": indicator.name,
                "unit": indicator.unit,
                "baseline_value": indicator.baseline_value,
                "baseline_year": indicator.baseline_year,
                "data_source": indicator.data_source,
                "direction": indicator.direction,
                "revision": indicator.revision,
            },
            level=level,
        )
        formset = TargetFormSet(
            initial=[{"year": t.year, "value": t.value} for t in indicator.targets.all()],
            prefix=TARGETS_PREFIX,
        )
    else:
        form = IndicatorForm(level=level)
        formset = TargetFormSet(prefix=TARGETS_PREFIX)
    error_summary = []
    if form.is_bound and status != 200:
        error_summary = form.error_summary() + _formset_error_summary(formset)
    context = {
        "version": version,
        "plan": version.plan,
        "owner": owner,
        "level": level,
        "level_name": _level_name(level),
        "indicator": indicator,
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "error_summary": error_summary,
        "editable": version.is_editable,
        "breadcrumbs": _version_breadcrumbs(
            version,
            (
                f"{owner.code} {owner.title}",
                reverse("plans:staff-node-edit", args=[level, owner.pk]),
            ),
        ),
    }
    return render(request, "plans/staff/indicator_form.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request, pk):
    indicator = _get_indicator(pk)
    level = _owner_level(indicator)
    owner = indicator.owner
    version = indicator.version
    back = reverse("plans:staff-node-edit", args=[level, owner.pk]) + "#indicators"
    if request.method == "POST":
        try:
            services.indicator_delete(user=request.user, indicator=indicator)
        except FrozenVersionError as error:
            return _frozen(request, version, error)
        messages.success(request, _("Indicator “%(name)s” deleted.") % {"name": indicator.name})
        return redirect(back)
    return render(
        request,
        "plans/staff/indicator_delete.html",
        {
            "version": version,
            "indicator": indicator,
            "owner": owner,
            "back": back,
            "breadcrumbs": _version_breadcrumbs(version, (f"{owner.code} {owner.title}", back)),
        },
    )


# --- Audit trail (reads in plans/history.py) ----------------------------------------------


@staff_required
def node_history(request, level, pk):
    node = _get_node(level, pk)
    version = node.version
    return render(
        request,
        "plans/staff/node_history.html",
        {
            "version": version,
            "node": node,
            "level": level,
            "level_name": _level_name(level),
            "entries": history.node_history(level, node),
            "breadcrumbs": _version_breadcrumbs(
                version,
                (
                    f"{node.code} {node.title}",
                    reverse("plans:staff-node-edit", args=[level, node.pk]),
                ),
            ),
        },
    )


@staff_required
def recent_changes(request, version_id):
    version = _get_version(version_id)
    page, entries = history.version_recent_changes(version, request.GET.get("page"))
    return render(
        request,
        "plans/staff/recent_changes.html",
        {
            "version": version,
            "page": page,
            "entries": entries,
            "breadcrumbs": _version_breadcrumbs(version),
        },
    )
