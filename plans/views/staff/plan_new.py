"""The "new plan" page: a plan of any kind, with an empty first draft or one
copied from a version of an existing plan (the plan's next period)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from planportal.forms import add_refusal_to_form
from plans import services
from plans.forms import PlanCreateForm

from .common import HTTP_INVALID, staff_required


@staff_required
@require_http_methods(["GET", "POST"])
def plan_new(request):
    form = PlanCreateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                draft, message = _create(request.user, form.service_arguments())
            except ValidationError as error:
                add_refusal_to_form(form, error, field_map={"source": "continue_from"})
            else:
                messages.success(request, message)
                return redirect("plans:staff-outline", draft.pk)
        # What was typed stays in the bound form, shown again with the errors.
        return _render(request, form, status=HTTP_INVALID)
    return _render(request, form)


def _create(user, arguments: dict):
    """Call the service the form's choices ask for; (the first draft, the success message)."""
    source = arguments.pop("source", None)
    if source is None:
        plan = services.plan_create(user=user, **arguments)
        draft = plan.versions.get()
        return draft, _("Plan “%(title)s” created with an empty draft.") % {"title": plan.title}
    created = services.plan_create_next_period(user=user, source=source, **arguments)
    plan, copied = created.plan, created.copied
    parts = [
        _(
            "Plan “%(title)s” created: its first draft copies the tree of “%(source)s”, "
            "%(version)s, with new keys."
        )
        % {"title": plan.title, "source": source.plan.title, "version": source.get_label()}
    ]
    if copied.dropped_funding:
        parts.append(
            ngettext(
                "%(count)d funding line of a year outside %(start)s–%(end)s was left out.",
                "%(count)d funding lines of years outside %(start)s–%(end)s were left out.",
                copied.dropped_funding,
            )
            % {"count": copied.dropped_funding, "start": plan.period_start, "end": plan.period_end}
        )
    if copied.dropped_links:
        parts.append(
            ngettext(
                "%(count)d link to another development plan was left out.",
                "%(count)d links to another development plan were left out.",
                copied.dropped_links,
            )
            % {"count": copied.dropped_links}
        )
    return created.draft, " ".join(parts)


def _render(request, form, *, status=200):
    return render(request, "plans/staff/plan_new.html", {"form": form}, status=status)
