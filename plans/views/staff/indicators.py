"""Adding, editing and deleting a node's indicators with their yearly targets."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from planportal.forms import add_refusal_to_form
from plans import services
from plans.forms import (
    INDICATOR_FORM_FIELDS,
    IndicatorForm,
    TargetFormSet,
    formset_with_extra_row,
)
from plans.levels import LEVELS
from plans.models import FrozenVersionError, Indicator

from .common import (
    HTTP_CONFLICT,
    HTTP_INVALID,
    TARGETS_PREFIX,
    ComparisonRow,
    comparison,
    formset_error_summary,
    frozen,
    get_node,
    level_name,
    rebind_with_revision,
    staff_required,
    targets_display,
    version_breadcrumbs,
)


def _get_indicator(pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("version__plan", "goal", "task", "measure"), pk=pk
    )


@staff_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, level, pk):
    if level not in LEVELS or not LEVELS[level].has_indicators:
        raise Http404
    return _indicator_form(request, level, get_node(level, pk), None)


@staff_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = _get_indicator(pk)
    level = indicator.owner_level
    return _indicator_form(request, level, get_node(level, indicator.owner.pk), indicator)


def _initial(indicator: Indicator) -> dict:
    initial = {name: getattr(indicator, name) for name in INDICATOR_FORM_FIELDS}
    initial["revision"] = indicator.revision
    return initial


def _indicator_form(request, level, owner, indicator):
    version = owner.version
    # Only the kinds of indicator the plan's kind allows at this level are
    # offered (the service refuses the others whatever the form sends).
    form_kwargs = {
        "level": level,
        "kinds": version.plan.kind_spec.indicator_kinds(level),
        "current_kind": indicator.kind if indicator else None,
    }
    conflict = None
    status = 200
    if request.method == "POST":
        data = request.POST
        adding_row = "add_target_row" in data
        if adding_row:
            data = formset_with_extra_row(data, TARGETS_PREFIX)
        form = IndicatorForm(data, **form_kwargs)
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
                return frozen(request, version, error)
            except services.ConflictError as error:
                current = cast(Indicator, error.current)  # a stale indicator's own conflict
                saved_values = {name: getattr(current, name) for name in form.service_fields()}
                conflict = comparison(form, saved_values)
                saved_targets = [{"year": t.year, "value": t.value} for t in current.targets.all()]
                conflict.append(
                    ComparisonRow(
                        _("Target values"),
                        targets_display(saved_targets),
                        targets_display(formset.kept_rows()),
                    )
                )
                data = rebind_with_revision(request, None, current.revision)
                form = IndicatorForm(data, **form_kwargs)
                formset = TargetFormSet(data, prefix=TARGETS_PREFIX)
                form.is_valid()
                formset.is_valid()
                status = HTTP_CONFLICT
            except ValidationError as error:
                add_refusal_to_form(form, error)
                if "targets" in getattr(error, "message_dict", {}):
                    # Django's formsets keep their non-form errors (and renderer)
                    # in attributes the stubs leave out.
                    formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                        error.message_dict["targets"],
                        renderer=formset.renderer,  # type: ignore[attr-defined]
                    )
                status = HTTP_INVALID
            else:
                messages.success(request, _("Indicator “%(name)s” saved.") % {"name": saved.name})
                return redirect(
                    reverse("plans:staff-node-edit", args=[level, owner.pk]) + "#indicators"
                )
        elif not valid and not adding_row:
            status = HTTP_INVALID
    elif indicator is not None:
        form = IndicatorForm(initial=_initial(indicator), **form_kwargs)
        formset = TargetFormSet(
            initial=[{"year": t.year, "value": t.value} for t in indicator.targets.all()],
            prefix=TARGETS_PREFIX,
        )
    else:
        form = IndicatorForm(**form_kwargs)
        formset = TargetFormSet(prefix=TARGETS_PREFIX)
    error_summary = []
    if form.is_bound and status != 200:
        error_summary = form.error_summary() + formset_error_summary(formset)
    context = {
        "version": version,
        "plan": version.plan,
        "owner": owner,
        "level": level,
        "level_name": level_name(level, version),
        "indicator": indicator,
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "error_summary": error_summary,
        "editable": version.is_editable,
        "breadcrumbs": version_breadcrumbs(
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
    level = indicator.owner_level
    owner = indicator.owner
    version = indicator.version
    back = reverse("plans:staff-node-edit", args=[level, owner.pk]) + "#indicators"
    if request.method == "POST":
        try:
            services.indicator_delete(user=request.user, indicator=indicator)
        except FrozenVersionError as error:
            return frozen(request, version, error)
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
            "breadcrumbs": version_breadcrumbs(version, (f"{owner.code} {owner.title}", back)),
        },
    )
