""" "My items": the measures and indicators a unit member enters in the open
rounds, one page per item with its entry form and its questions.

Staff see every item (and may filter by unit). The entry form carries the
revision it was read at (hidden ``expected_revision``): a value someone
changed meanwhile is reported (409), not overwritten. A refusal re-renders
the form with what was typed and the error next to the field.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from monitoring import milestones, selectors, services
from monitoring.forms import (
    ActualForm,
    CommentForm,
    ImplementationForm,
    MilestoneDoneForm,
    MilestoneForm,
)
from monitoring.models import ItemComment, ItemKind, Milestone
from planportal.errors import status_of
from planportal.roles import is_staff_member
from plans.models import FundingSource, Unit

from .common import enterer_required, get_round, staff_required


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@enterer_required
@require_http_methods(["GET"])
def my_items(request):
    rounds = list(selectors.open_rounds_for(request.user))
    wanted = _int(request.GET.get("round"))
    current = next((r for r in rounds if r.pk == wanted), rounds[0] if rounds else None)
    staff = is_staff_member(request.user)
    unit_id = _int(request.GET.get("unit")) if staff else None
    items = selectors.my_items(request.user, current, unit_id=unit_id) if current else []
    context = {
        "rounds": rounds,
        "current": current,
        "items": items,
        "staff": staff,
        "units": Unit.objects.order_by("name") if staff else [],
        "unit_id": unit_id,
        "missing": sum(1 for item in items if item.missing),
    }
    return render(request, "monitoring/my_items.html", context)


def _item_or_404(round_, kind, key):
    try:
        return services.item_of(round_, kind, key)
    except (ValueError, ValidationError, ObjectDoesNotExist):
        raise Http404 from None


def item_url(round_, kind, key) -> str:
    return reverse("monitoring:item", kwargs={"round_id": round_.pk, "kind": kind, "key": key})


def _entry_form(item, data=None):
    entry = item.entry
    if item.kind == ItemKind.MEASURE:
        sources = list(FundingSource.objects.order_by("position", "code"))
        initial = {}
        if entry is not None:
            initial = {
                "status": entry.status,
                "note": entry.note,
                "expected_revision": entry.revision,
            }
            for line in entry.spent.all():
                initial[f"spent_{line.source.code}"] = line.amount
        return ImplementationForm(data, initial=initial, sources=sources)
    initial = {}
    if entry is not None:
        initial = {
            # "20", not "2E+1" nor "20.0000".
            "value": format(entry.value.normalize(), "f"),
            "measured_on": entry.measured_on,
            "source_note": entry.source_note,
            "note": entry.note,
            "expected_revision": entry.revision,
        }
    return ActualForm(data, initial=initial)


def _save(request, round_, node, form) -> None:
    data = form.cleaned_data
    if isinstance(form, ImplementationForm):
        services.implementation_set(
            user=request.user,
            measure=node,
            year=round_.year,
            status=data["status"],
            note=data["note"],
            spent=form.spent(),
            expected_revision=data["expected_revision"],
        )
    else:
        services.actual_set(
            user=request.user,
            indicator=node,
            year=round_.year,
            value=data["value"],
            note=data["note"],
            measured_on=data["measured_on"],
            source_note=data["source_note"],
            expected_revision=data["expected_revision"],
        )


def _milestone_rows(node, bound=None) -> list[tuple[Milestone, MilestoneDoneForm]]:
    """Each milestone of a measure with its "done on" form (``bound``: the
    one just refused, with what was typed)."""
    rows = []
    for milestone in milestones.milestones_of(node):
        prefix = f"m{milestone.pk}"
        if bound is not None and bound.prefix == prefix:
            rows.append((milestone, bound))
        else:
            rows.append(
                (
                    milestone,
                    MilestoneDoneForm(prefix=prefix, initial={"done_on": milestone.done_on}),
                )
            )
    return rows


def _render_item(
    request,
    round_,
    node,
    *,
    form=None,
    comment_form=None,
    status=200,
    stale=None,
    error_message="",
    milestone_form=None,
    done_form=None,
):
    item = selectors.item_detail(round_, node)
    is_measure = item.kind == ItemKind.MEASURE
    context = {
        "milestones": _milestone_rows(node, done_form) if is_measure else [],
        "milestone_form": milestone_form or MilestoneForm(prefix="milestone"),
        "round": round_,
        "item": item,
        "form": form or _entry_form(item),
        "comment_form": comment_form or CommentForm(),
        "comments": selectors.item_comments(round_, item.kind, node.key),
        "staff": is_staff_member(request.user),
        "stale": stale,
        "error_message": error_message,
    }
    return render(request, "monitoring/item.html", context, status=status)


@enterer_required
@require_http_methods(["GET", "POST"])
def item_page(request, round_id, kind, key):
    round_ = get_round(round_id)
    node = _item_or_404(round_, kind, key)
    if not services.can_enter(request.user, node):
        raise PermissionDenied(_("You may enter values only for your unit's items."))
    if request.method == "GET":
        return _render_item(request, round_, node)
    item = selectors.item_detail(round_, node)
    form = _entry_form(item, request.POST)
    if not form.is_valid():
        return _render_item(request, round_, node, form=form, status=400)
    try:
        _save(request, round_, node, form)
    except services.StaleEntry as error:
        form.add_refusal(error)
        # The user has now seen the current value: saving again replaces it
        # on purpose (the form keeps the typed value, at the current revision).
        form.data = form.data.copy()
        form.data["expected_revision"] = str(error.current.revision)
        return _render_item(request, round_, node, form=form, status=409, stale=error.current)
    except ValidationError as error:
        form.add_refusal(error)
        return _render_item(request, round_, node, form=form, status=status_of(error))
    messages.success(request, _("Saved: %(item)s.") % {"item": node})
    return redirect(reverse("monitoring:my-items") + f"?round={round_.pk}#item-{node.key}")


@enterer_required
@require_POST
def milestone_post(request, round_id, kind, key):
    """Add a milestone to the item's measure (``action=add``), set when one
    was done (``action=done``, ``milestone``) or delete one (``action=delete``)."""
    round_ = get_round(round_id)
    node = _item_or_404(round_, kind, key)
    if kind != ItemKind.MEASURE:
        raise Http404
    if not services.can_enter(request.user, node):
        raise PermissionDenied(_("You may enter values only for your unit's items."))
    action = request.POST.get("action")
    url = item_url(round_, kind, key) + "#milestones"
    if action == "add":
        add_form = MilestoneForm(request.POST, prefix="milestone")
        if not add_form.is_valid():
            return _render_item(request, round_, node, milestone_form=add_form, status=400)
        try:
            milestones.milestone_save(user=request.user, measure=node, **add_form.cleaned_data)
        except ValidationError as error:
            add_form.add_refusal(error)
            return _render_item(
                request, round_, node, milestone_form=add_form, status=status_of(error)
            )
        messages.success(request, _("The milestone is added."))
        return redirect(url)
    chosen = _int(request.POST.get("milestone"))
    found = milestones.milestones_of(node).filter(pk=chosen).first() if chosen else None
    if found is None:
        raise Http404
    if action == "delete":
        milestones.milestone_delete(user=request.user, milestone=found)
        messages.success(request, _("The milestone is deleted."))
        return redirect(url)
    if action != "done":
        raise Http404
    done_form = MilestoneDoneForm(request.POST, prefix=f"m{found.pk}")
    if not done_form.is_valid():
        return _render_item(request, round_, node, done_form=done_form, status=400)
    try:
        milestones.milestone_save(
            user=request.user,
            measure=node,
            milestone=found,
            title=found.title,
            due=found.due,
            done_on=done_form.cleaned_data["done_on"],
        )
    except ValidationError as error:
        done_form.add_refusal(error)
        return _render_item(request, round_, node, done_form=done_form, status=status_of(error))
    messages.success(request, _("The milestone is saved."))
    return redirect(url)


@enterer_required
@require_POST
def comment_add(request, round_id, kind, key):
    round_ = get_round(round_id)
    node = _item_or_404(round_, kind, key)
    if not services.can_enter(request.user, node):
        raise PermissionDenied(_("You may comment only on your unit's items."))
    comment_form = CommentForm(request.POST)
    url = item_url(round_, kind, key)
    if not comment_form.is_valid():
        return _render_item(request, round_, node, comment_form=comment_form, status=400)
    try:
        services.comment_add(
            user=request.user,
            round=round_,
            item=node,
            text=comment_form.cleaned_data["text"],
            is_question=comment_form.cleaned_data["is_question"],
            url=url,
        )
    except ValidationError as error:
        comment_form.add_refusal(error)
        return _render_item(
            request, round_, node, comment_form=comment_form, status=status_of(error)
        )
    messages.success(request, _("Your comment is saved."))
    return redirect(url + "#comments")


@staff_required
@require_POST
def comment_resolve(request, comment_id):
    comment = get_object_or_404(ItemComment.objects.select_related("round"), pk=comment_id)
    round_ = comment.round
    try:
        services.comment_resolve(user=request.user, comment=comment)
    except ValidationError as error:
        # Not a question: the item's page again, with the refusal and its 4xx.
        node = _item_or_404(round_, comment.item_kind, comment.item_key)
        return _render_item(
            request, round_, node, status=status_of(error), error_message=" ".join(error.messages)
        )
    messages.success(request, _("The question is resolved."))
    return redirect(item_url(round_, comment.item_kind, comment.item_key) + "#comments")
