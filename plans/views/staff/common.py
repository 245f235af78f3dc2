"""What every screen of the staff plan editor shares.

Every view needs the staff role. Views parse input and call one service
(plans.services), which checks the role and the version's state again.
Each page works as plain HTML forms (POST, then redirect); htmx requests get
fragments instead (request.htmx, from django-htmx), so the outline changes in
place. Errors answer as everywhere in the portal (planportal/errors.py): 400
for a form to correct, 409 for a conflict or a version that cannot change
any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import reswap, retarget

from planportal.errors import Conflict, Refusal
from planportal.roles import is_staff_member, role_required
from plans.levels import LEVELS
from plans.models import PlanVersion
from plans.numbers import figure_text, money_text, plain_number
from plans.selectors import node_related, outline_tree
from plans.words import words_for

# The statuses of planportal.errors, named for the editor's two outcomes: a
# form to correct, and a conflict (a stale revision or a frozen version).
HTTP_INVALID = Refusal.status
HTTP_CONFLICT = Conflict.status
TARGETS_PREFIX = "targets"


staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can use the plan editor.")
)


def level_name(level: str, of=None) -> str:
    """The level's name for phrases ("goal", "programa") in the kind of plan
    ``of`` (a plan, version or node), in the reader's language; without
    ``of``, the kind-free name of ``plans.levels``."""
    return words_for(of).name(level)


def get_version(version_id) -> PlanVersion:
    return get_object_or_404(PlanVersion.objects.select_related("plan", "based_on"), pk=version_id)


def get_node(level: str, pk):
    """The node of ``level`` with its version, plan and ancestors (404 for an unknown level)."""
    info = LEVELS.get(level)
    if info is None:
        raise Http404
    related = info.model.objects.select_related("version__plan", *node_related(level))
    return get_object_or_404(related, pk=pk)


def ancestors_of(level: str, node) -> list:
    """(level name, node) of each node above ``node``, top first."""
    chain: list[tuple[str, Any]] = []
    current, info = node, LEVELS[level]
    while info.parent is not None:
        current = getattr(current, info.parent_field)
        info = info.parent
        chain.insert(0, (info.name, current))
    return chain


def outline_url(version, node=None, level=None) -> str:
    url = reverse("plans:staff-outline", args=[version.pk])
    return f"{url}#node-{level}-{node.pk}" if node is not None else url


def form_prefix(request, name: str) -> str | None:
    # Inline forms get a prefix so that two of them open in one outline
    # never share element ids; full-page forms keep plain names.
    return name if request.htmx else None


def display_value(form_field, value) -> str:
    """How a value reads in the conflict comparison."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(form_field, django_forms.ModelMultipleChoiceField):
        names = [str(item) for item in value]
        return ", ".join(names) if names else "—"
    if isinstance(form_field, django_forms.ModelChoiceField):
        return str(value)
    if isinstance(form_field, django_forms.ChoiceField):
        # A form's choices here are always a list of pairs; the stubs allow
        # callables and grouped choices too.
        return str(dict(form_field.choices).get(value, value))  # type: ignore[arg-type]
    if isinstance(value, Decimal):
        # The saved 10.5000 and the typed 10.5 read alike, as typed.
        return figure_text(value, getattr(form_field, "decimal_places", None))
    return str(value)


@dataclass
class ComparisonRow:
    label: str
    saved: str
    typed: str

    @property
    def differs(self) -> bool:
        return self.saved != self.typed


def comparison(form, saved_values: dict) -> list[ComparisonRow]:
    rows = []
    for name, saved in saved_values.items():
        form_field = form.fields[name]
        rows.append(
            ComparisonRow(
                str(form_field.label),
                display_value(form_field, saved),
                display_value(form_field, form.cleaned_data.get(name)),
            )
        )
    return rows


def rebind_with_revision(request, prefix, revision):
    """The user's input with the hidden revision moved to the current one, so
    that saving again deliberately overwrites the other person's change."""
    data = request.POST.copy()
    data[f"{prefix}-revision" if prefix else "revision"] = str(revision)
    return data


def lines_display(lines) -> str:
    rows = (
        f"{line['year']} · {line['source'].code} · {money_text(line['amount'])}" for line in lines
    )
    return "\n".join(rows) or "—"


def targets_display(targets) -> str:
    return "\n".join(f"{t['year']}: {plain_number(t['value'])}" for t in targets) or "—"


# --- Outline rendering ---------------------------------------------------------------------


def outline_context(
    version, *, focus_node=None, focus_control="line", status="", status_error=False
):
    return {
        "version": version,
        "plan": version.plan,
        "words": words_for(version.plan),
        # Only what the rows show (plans/views/staff/outline_rows.py caches them).
        "tree": outline_tree(version),
        "editable": version.is_editable,
        "focus_node": focus_node,
        "focus_control": focus_control,
        "status_message": status,
        "status_error": status_error,
    }


def outline_fragment(request, version, *, status_code=200, **context):
    """The outline's tree for htmx, with the status message swapped out of band."""
    response = render(
        request,
        "plans/staff/_outline_response.html",
        outline_context(version, **context),
        status=status_code,
    )
    response = retarget(response, "#outline")
    return reswap(response, "innerHTML")


def after_change(request, version, message, *, node=None, level=None, focus_control="line"):
    """htmx: re-render the outline (codes renumbered); otherwise redirect to it."""
    if request.htmx:
        return outline_fragment(
            request, version, focus_node=node, focus_control=focus_control, status=message
        )
    messages.success(request, message)
    return redirect(outline_url(version, node, level))


def frozen(request, version, error):
    """The version stopped being a draft (or never was): say so, read-only."""
    version = get_version(version.pk)
    message = " ".join(error.messages)
    if request.htmx:
        return outline_fragment(
            request, version, status_code=HTTP_CONFLICT, status=message, status_error=True
        )
    context = outline_context(version)
    context["error_message"] = message
    return render(request, "plans/staff/outline.html", context, status=HTTP_CONFLICT)


def render_form(request, *, partial, page_title, context, status=200, breadcrumbs=()):
    """An inline fragment for htmx, or a full page with the same form."""
    version = context.get("version")
    context = {
        # The level words of the version's kind, for the form's headings and buttons.
        "words": words_for(version.plan) if version is not None else words_for(None),
        **context,
        "inline": bool(request.htmx),
        "partial": partial,
        "page_title": page_title,
    }
    context.setdefault("breadcrumbs", breadcrumbs)
    template = partial if request.htmx else "plans/staff/form_page.html"
    return render(request, template, context, status=status)


def version_breadcrumbs(version, *extra):
    return [
        (_("Staff dashboard"), reverse("plans:staff-dashboard")),
        (f"{version.plan.title}: {version.get_label()}", outline_url(version)),
        *extra,
    ]


def formset_error_summary(formset):
    items: list[tuple[str | None, str | None, str]] = [
        (None, None, message) for message in formset.non_form_errors()
    ]
    for index, form in enumerate(formset.forms, start=1):
        for anchor, label, message in form.error_summary():
            row_label = (
                _("Row %(number)s, %(field)s") % {"number": index, "field": label}
                if label
                else None
            )
            items.append((anchor, row_label, message))
    return items
