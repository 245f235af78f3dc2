"""The outline editor: the vision, and adding, moving and deleting nodes in place."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from planportal import pagecache
from planportal.forms import add_refusal_to_form
from plans import services
from plans.forms import MoveForm, NodeAddForm, VisionForm
from plans.levels import LEVELS, PRIORITY
from plans.models import FrozenVersionError, Indicator, PlanVersion, VersionStatus
from plans.selectors import version_tree
from plans.words import words_for

from .common import (
    HTTP_CONFLICT,
    HTTP_INVALID,
    after_change,
    comparison,
    form_prefix,
    frozen,
    get_node,
    get_version,
    level_name,
    outline_context,
    outline_url,
    rebind_with_revision,
    render_form,
    staff_required,
    version_breadcrumbs,
)

# --- Outline ------------------------------------------------------------------------------


@staff_required
# Staff see the outline alike: one copy for all of them, retired by any write
# of the plans app ("drafts") or of the parts its boxes show (a consultation,
# a voting, review threads). The staff check runs first, for every request.
@pagecache.page_cache()
def outline(request, version_id):
    version = get_version(version_id)
    context = outline_context(version)
    # "Go to an item" without JavaScript: the form sends the code here, and
    # the browser scrolls to the item's line by the fragment.
    code = request.GET.get("goto", "").strip().rstrip(".")
    if code:
        node = _node_by_code(context["tree"], code)
        if node is not None:
            return redirect(outline_url(version, node, node.tree_level.name))
        context["error_message"] = _("No item has the code %(code)s.") % {"code": code}
    response = render(request, "plans/staff/outline.html", context)
    # Not kept: an unknown code's answer (each typed code would add a page),
    # and a version under consultation, whose box changes by itself when the
    # consultation ends (the submit button appears).
    if not code and version.status != VersionStatus.CONSULTATION:
        pagecache.mark_cacheable(response)
    return response


def _node_by_code(tree, code: str):
    wanted = code.casefold()
    return next((node for node in tree.iter_nodes() if node.code.casefold() == wanted), None)


@staff_required
@require_http_methods(["GET", "POST"])
def vision_edit(request, version_id):
    version = get_version(version_id)
    prefix = form_prefix(request, "vision")
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
        return _render_vision_form(request, version, form, status=HTTP_INVALID)
    try:
        version = services.version_update(
            user=request.user,
            version=version,
            revision=form.cleaned_data["revision"],
            vision=form.cleaned_data["vision"],
            label=form.cleaned_data["label"],
        )
    except FrozenVersionError as error:
        return frozen(request, version, error)
    except services.ConflictError as conflict:
        current = cast(PlanVersion, conflict.current)  # a stale vision's conflict is its version's
        rows = comparison(form, {"vision": current.vision, "label": current.label})
        form = VisionForm(rebind_with_revision(request, prefix, current.revision), prefix=prefix)
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
    return redirect(outline_url(version) + "#vision")


def _render_vision_form(request, version, form, *, conflict=None, status=200):
    return render_form(
        request,
        partial="plans/staff/_vision_form.html",
        page_title=_("Edit the vision"),
        context={"version": version, "form": form, "conflict": conflict},
        status=status,
        breadcrumbs=version_breadcrumbs(version),
    )


# --- Nodes: add, edit inline, move, delete ----------------------------------------------------


def _add_parent(version_id, level, pk):
    """(version, child level, parent object) of an "add" request."""
    if version_id is not None:
        version = get_version(version_id)
        return version, PRIORITY.name, version
    child = LEVELS[level].child if level in LEVELS else None
    if child is None:
        raise Http404
    parent = get_node(level, pk)
    return parent.version, child.name, parent


def _siblings_of(child_level, parent):
    child = LEVELS[child_level]
    return child.model.objects.filter(**{child.parent_field: parent}).order_by("position", "id")


@staff_required
@require_http_methods(["GET", "POST"])
def node_add(request, version_id=None, level=None, pk=None):
    version, child_level, parent = _add_parent(version_id, level, pk)
    parent_key = f"version-{version.pk}" if LEVELS[child_level].is_top else f"{level}-{parent.pk}"
    prefix = form_prefix(request, f"add-{parent_key}")
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
                return frozen(request, version, error)
            except ValidationError as error:
                add_refusal_to_form(form, error)
            else:
                message = _("%(level)s %(code)s “%(title)s” added.") % {
                    "level": level_name(child_level, version).capitalize(),
                    "code": node.code,
                    "title": node.title,
                }
                return after_change(request, version, message, node=node, level=child_level)
        status = HTTP_INVALID
    return render_form(
        request,
        partial="plans/staff/_node_add_form.html",
        page_title=words_for(version).level(child_level).add_label,
        context={
            "version": version,
            "form": form,
            "child_level": child_level,
            "submit_label": words_for(version).level(child_level).submit_label,
            "parent": None if LEVELS[child_level].is_top else parent,
            "slot": f"slot-{parent_key}",
            "return_id": "outline-heading"
            if LEVELS[child_level].is_top
            else f"node-{level}-{parent.pk}",
            "form_action": request.path,
        },
        status=status,
        breadcrumbs=version_breadcrumbs(version),
    )


def _move_groups(version, level):
    """Where ``level``'s nodes may go: (parent id, heading, children) of each
    parent of the level above in outline order, and those parents by id; for
    the top level, the version's priorities under the id 0 (parent None:
    a priority stays in its version)."""
    tree = version_tree(version, with_details=False)
    info = LEVELS[level]
    if info.is_top:
        heading = words_for(version).level(level).plural_label
        return [(0, heading, tree.priorities)], {0: None}
    # Only the top level has no level above, and it was handled first.
    assert info.parent is not None
    parents = [node for node in tree.iter_nodes() if info.parent.of(node)]
    groups = [(parent.pk, f"{parent.code} {parent.title}", parent.children) for parent in parents]
    return groups, {parent.pk: parent for parent in parents}


@staff_required
@require_http_methods(["GET", "POST"])
def node_move(request, level, pk):
    node = get_node(level, pk)
    version = node.version
    direction = request.POST.get("direction")
    if request.method == "POST" and direction in {"up", "down"}:
        position = node.position - 1 if direction == "up" else node.position + 1
        try:
            node = services.node_save(
                user=request.user, node=node, expected_revision=None, position=max(position, 1)
            )
        except FrozenVersionError as error:
            return frozen(request, version, error)
        if direction == "up":
            message = _("%(title)s moved up: now %(code)s.")
        else:
            message = _("%(title)s moved down: now %(code)s.")
        message = message % {"title": node.title, "code": node.code}
        return after_change(
            request, version, message, node=node, level=level, focus_control=direction
        )
    prefix = form_prefix(request, f"move-{level}-{node.pk}")
    groups, parents = _move_groups(version, level)
    form = MoveForm(request.POST or None, node=node, groups=groups, prefix=prefix)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            parent_id, position = form.cleaned_data["place"]
            parent = parents[parent_id]
            try:
                node = services.node_save(
                    user=request.user,
                    node=node,
                    expected_revision=None,
                    parent=parent,
                    position=position,
                )
            except FrozenVersionError as error:
                return frozen(request, version, error)
            except ValidationError as error:
                add_refusal_to_form(form, error, fallback_field="place")
            else:
                message = _("%(title)s moved: now %(code)s.") % {
                    "title": node.title,
                    "code": node.code,
                }
                return after_change(request, version, message, node=node, level=level)
        status = HTTP_INVALID
    return render_form(
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
        breadcrumbs=version_breadcrumbs(version),
    )


def _descendant_summary(level, node) -> list[str]:
    """What a delete takes with it: "3 goals", "12 measures", "20 indicators"."""
    info = LEVELS[level]
    words = words_for(node)
    parts = []
    owned = Q(**{level: node}) if info.has_indicators else Q(pk__in=[])
    for below in info.descendants:
        lookup = below.lookup_to(info)
        count = below.model.objects.filter(**{lookup: node}).count()
        if count:
            parts.append(words.level(below).count(count))
        if below.has_indicators:
            owned |= Q(**{f"{below.name}__{lookup}": node})
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
    node = get_node(level, pk)
    version = node.version
    if request.method == "POST":
        parent = node.parent
        try:
            services.node_delete(user=request.user, node=node)
        except FrozenVersionError as error:
            return frozen(request, version, error)
        message = _("%(level)s %(code)s “%(title)s” deleted.") % {
            "level": level_name(level, version).capitalize(),
            "code": node.code,
            "title": node.title,
        }
        parent_level = parent.tree_level.name if parent is not None else None
        return after_change(request, version, message, node=parent, level=parent_level)
    return render_form(
        request,
        partial="plans/staff/_node_delete_confirm.html",
        page_title=_("Delete %(node)s?") % {"node": f"{node.code} {node.title}"},
        context={
            "version": version,
            "node": node,
            "level": level,
            "level_name": level_name(level, version),
            "descendants": _descendant_summary(level, node),
            "slot": f"slot-{level}-{node.pk}",
            "return_id": f"node-{level}-{node.pk}",
            "form_action": request.path,
        },
        breadcrumbs=version_breadcrumbs(version),
    )
