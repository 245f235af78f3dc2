"""The coordinator's rounds: a plan's rounds, opening one, a round's
completeness per unit and per item, publishing it (after a confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from monitoring import selectors, services
from monitoring.forms import ConfirmForm, RoundOpenForm
from planportal.errors import status_of
from plans.models import Plan

from .common import get_round, staff_required


@staff_required
@require_http_methods(["GET", "POST"])
def plan_rounds(request, plan_id):
    plan = get_object_or_404(Plan, pk=plan_id)
    status = 200
    if request.method == "POST":
        form = RoundOpenForm(request.POST)
        if form.is_valid():
            try:
                round_ = services.round_open(
                    user=request.user,
                    plan=plan,
                    year=form.cleaned_data["year"],
                    due=form.cleaned_data["due"],
                )
            except ValidationError as error:
                form.add_refusal(error)
                status = status_of(error)
            else:
                messages.success(
                    request, _("The round for %(year)s is open.") % {"year": round_.year}
                )
                return redirect("monitoring:round", round_id=round_.pk)
        else:
            status = 400
    else:
        form = RoundOpenForm(initial={"year": timezone.localdate().year - 1})
    context = {
        "plan": plan,
        "rounds": plan.monitoring_rounds.order_by("-year"),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "monitoring/plan_rounds.html", context, status=status)


@staff_required
@require_http_methods(["GET"])
def round_detail(request, round_id):
    round_ = get_round(round_id)
    items = selectors.round_items(round_)
    context = {
        "round": round_,
        "items": items,
        "units": selectors.completeness(items, round_),
        "late": round_.is_open and timezone.localdate() > round_.due,
        "missing": sum(1 for item in items if item.missing),
    }
    return render(request, "monitoring/round.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def round_publish(request, round_id):
    round_ = get_round(round_id)
    status = 200
    form = ConfirmForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.round_publish(user=request.user, round=round_)
            except ValidationError as error:
                form.add_refusal(error)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("The round for %(year)s is published: its values are public.")
                    % {"year": round_.year},
                )
                return redirect("monitoring:round", round_id=round_.pk)
        else:
            status = 400
    items = selectors.round_items(round_)
    context = {
        "round": round_,
        "form": form,
        "missing": sum(1 for item in items if item.missing),
        "total": len(items),
    }
    return render(request, "monitoring/round_publish.html", context, status=status)
