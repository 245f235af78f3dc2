"""The staff screens: the list with the drafts that may be opened, opening
and extending a consultation, publishing its answers, and one proposal's page
to answer, publish, hide or show it. Administration staff only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from planportal.roles import is_staff_member, role_required
from plans.models import PlanVersion, VersionStatus

from .. import selectors, services
from ..forms import AnswerForm, ConsultationExtendForm, ConsultationOpenForm, HideForm
from ..models import Proposal

staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can do this.")
)


@staff_required
def staff_index(request):
    drafts = PlanVersion.objects.filter(
        status=VersionStatus.DRAFT, consultation__isnull=True
    ).select_related("plan")
    return render(
        request,
        "consultations/staff/index.html",
        {"consultations": selectors.consultations_list(), "drafts": drafts},
    )


@staff_required
def staff_open(request, version_id):
    version = get_object_or_404(PlanVersion.objects.select_related("plan"), pk=version_id)
    status = 200
    if request.method == "POST":
        form = ConsultationOpenForm(request.POST)
        if form.is_valid():
            try:
                consultation = services.consultation_open(
                    user=request.user, version=version, **form.cleaned_data
                )
            except ValidationError as error:
                add_refusal_to_form(form, error, field_map={"version": None})
                status = status_of(error)
            else:
                messages.success(
                    request, _("The consultation is open: the draft is now public and read-only.")
                )
                return redirect("consultations:staff-detail", consultation.pk)
        else:
            status = 400
    else:
        form = ConsultationOpenForm(
            initial={
                "title": _("Public consultation of %(version)s")
                % {"version": f"{version.plan.title}, {version.get_label()}"}
            }
        )
    return render(
        request, "consultations/staff/open.html", {"version": version, "form": form}, status=status
    )


@staff_required
def staff_detail(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    extend_form = ConsultationExtendForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "extend":
                extend_form = ConsultationExtendForm(request.POST)
                if not extend_form.is_valid():
                    raise ValidationError(_("Give the new end as a date and time."))
                services.consultation_extend(
                    user=request.user,
                    consultation=consultation,
                    ends_at=extend_form.cleaned_data["ends_at"],
                )
                messages.success(request, _("The consultation now ends later."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            if action == "extend" and extend_form.is_bound:
                add_refusal_to_form(extend_form, error)
            else:
                messages.error(request, " ".join(error.messages))
            status = status_of(error)
        else:
            return redirect("consultations:staff-detail", consultation.pk)
    filter_status = request.GET.get("status", "")
    reported = request.GET.get("reported") == "1"
    proposals = selectors.staff_proposals(consultation, status=filter_status, reported=reported)
    context = {
        "consultation": consultation,
        "plan": consultation.version.plan,
        "proposals": proposals,
        "extend_form": extend_form,
        "filter_status": filter_status,
        "reported": reported,
        "prepared_count": selectors.prepared_answers(consultation).count(),
    }
    return render(request, "consultations/staff/detail.html", context, status=status)


@staff_required
def staff_publish(request, consultation_id):
    """Publishing every prepared answer, after a look at what it does: the GET
    page says how many answers go public and how many residents are e-mailed;
    the POST of its button publishes."""
    consultation = selectors.consultation_get(consultation_id)
    if request.method == "POST":
        try:
            count = services.answers_publish(user=request.user, consultation=consultation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Published answers: %(count)d.") % {"count": count})
        return redirect("consultations:staff-detail", consultation.pk)
    return render(
        request,
        "consultations/staff/publish.html",
        {
            "consultation": consultation,
            "plan": consultation.version.plan,
            "preview": selectors.publish_preview(consultation),
        },
    )


def _linked_code(proposal) -> str:
    """The code of the node an answer links to, as staff typed it (or its key, if gone)."""
    if not proposal.linked_key:
        return ""
    found = services.find_target(proposal.linked_version, proposal.linked_key)
    return found[1].code if found else str(proposal.linked_key)


@staff_required
def staff_proposal(request, proposal_id):
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "consultation__version__plan", "eldership", "author", "linked_version"
        ),
        pk=proposal_id,
    )
    version = proposal.consultation.version
    later = PlanVersion.objects.filter(plan=version.plan, number__gt=version.number).order_by(
        "number"
    )
    answer_form = AnswerForm(
        initial={
            "status": proposal.response_status or None,
            "text": proposal.response_text,
            "linked_version": proposal.linked_version_id,
            "linked_key": _linked_code(proposal),
        },
        later_versions=later,
    )
    hide_form = HideForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in {"save", "save_publish"}:
                answer_form = AnswerForm(request.POST, later_versions=later)
                if answer_form.is_valid():
                    data = answer_form.cleaned_data
                    services.proposal_answer(
                        user=request.user,
                        proposal=proposal,
                        status=data["status"],
                        text=data["text"],
                        publish=action == "save_publish",
                        linked_version=later.filter(pk=data["linked_version"]).first()
                        if data["linked_version"]
                        else None,
                        linked_key=data["linked_key"],
                    )
                    messages.success(
                        request,
                        _("The answer was published; the author is told by e-mail.")
                        if action == "save_publish" or proposal.response_published_at
                        else _("The answer was saved; it is not public until published."),
                    )
                else:
                    status = 400
            elif action == "publish":
                services.answer_publish(user=request.user, proposal=proposal)
                messages.success(
                    request, _("The answer was published; the author is told by e-mail.")
                )
            elif action == "hide":
                hide_form = HideForm(request.POST)
                if hide_form.is_valid():
                    services.proposal_hide(
                        user=request.user,
                        proposal=proposal,
                        reason=hide_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request, _("The proposal is hidden; the reason is shown instead.")
                    )
                else:
                    status = 400
            elif action == "unhide":
                services.proposal_unhide(user=request.user, proposal=proposal)
                messages.success(request, _("The proposal is shown again."))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            form = hide_form if action == "hide" else answer_form
            if form.is_bound:
                add_refusal_to_form(form, error)
            else:
                messages.error(request, " ".join(error.messages))
            status = status_of(error)
        if status == 200:
            return redirect("consultations:staff-proposal", proposal.pk)
    reports = proposal.reports.select_related("user").order_by("created_at")
    context = {
        "proposal": proposal,
        "consultation": proposal.consultation,
        "answer_form": answer_form,
        "hide_form": hide_form,
        "reports": reports,
        "revisions": proposal.revisions.all(),
    }
    return render(request, "consultations/staff/proposal.html", context, status=status)
