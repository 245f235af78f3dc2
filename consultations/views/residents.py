"""A resident's screens: proposing, their own proposals, editing and
withdrawing one, supporting and reporting another's. Each needs a login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from planportal.ratelimit import client_address

from .. import selectors, services
from ..forms import ProposalForm, ReportForm
from ..models import Proposal


@login_required
def propose(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    target_key = request.POST.get("target") or request.GET.get("target") or ""
    found = services.find_target(consultation.version, target_key) if target_key else None
    if target_key and found is None:
        target_key = ""
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                proposal = services.proposal_submit(
                    user=request.user,
                    consultation=consultation,
                    text=data["text"],
                    target=target_key or None,
                    show_name=data["show_name"],
                    eldership=data["eldership"],
                    address=client_address(request),
                    honeypot=data["website"],
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("Thank you: your proposal was received. You can follow its status here."),
                )
                return redirect(reverse("consultations:mine") + f"#proposal-{proposal.pk}")
        else:
            status = 400
    else:
        form = ProposalForm()
    context = {
        "consultation": consultation,
        "plan": consultation.version.plan,
        "form": form,
        "target_key": target_key,
        "target": found[1] if found else None,
        "target_level": found[0] if found else None,
    }
    return render(request, "consultations/propose.html", context, status=status)


@login_required
def mine(request):
    return render(
        request, "consultations/mine.html", {"proposals": selectors.proposals_of(request.user)}
    )


def _own_proposal(request, proposal_id) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("consultation__version__plan"), pk=proposal_id
    )
    if not proposal.is_authored_by(request.user):
        raise PermissionDenied(_("Only the author can change a proposal."))
    return proposal


@login_required
def proposal_edit(request, proposal_id):
    proposal = _own_proposal(request, proposal_id)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, with_consent=False)
        if form.is_valid():
            try:
                services.proposal_edit(
                    user=request.user,
                    proposal=proposal,
                    text=form.cleaned_data["text"],
                    show_name=form.cleaned_data["show_name"],
                    eldership=form.cleaned_data["eldership"],
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, _("Your proposal was saved."))
                return redirect(reverse("consultations:mine") + f"#proposal-{proposal.pk}")
        else:
            status = 400
    else:
        form = ProposalForm(
            initial={
                "text": proposal.text,
                "show_name": proposal.show_name,
                "eldership": proposal.eldership_id,
            },
            with_consent=False,
        )
        # Say why before the author types anything (a hidden, answered or
        # withdrawn proposal, a closed consultation); the service refuses the
        # same on saving.
        try:
            services.proposal_edit_check(user=request.user, proposal=proposal)
        except ValidationError as error:
            return render(
                request,
                "consultations/proposal_edit.html",
                {"proposal": proposal, "refusal": " ".join(error.messages)},
                status=status_of(error),
            )
    return render(
        request,
        "consultations/proposal_edit.html",
        {"proposal": proposal, "form": form},
        status=status,
    )


@login_required
def proposal_withdraw(request, proposal_id):
    proposal = _own_proposal(request, proposal_id)
    if request.method != "POST":
        return render(request, "consultations/proposal_withdraw.html", {"proposal": proposal})
    try:
        services.proposal_withdraw(user=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your proposal was withdrawn."))
    return redirect(reverse("consultations:mine") + f"#proposal-{proposal.pk}")


@login_required
def proposal_support(request, proposal_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    proposal = selectors.proposal_for_user(request.user, proposal_id)
    try:
        if request.POST.get("undo"):
            services.proposal_unsupport(user=request.user, proposal=proposal)
            messages.success(request, _("Your support was taken back."))
        else:
            services.proposal_support(user=request.user, proposal=proposal)
            messages.success(request, _("You support this proposal."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    # Back where the button was: the proposal's own page, or its card in the list.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(proposal.get_list_url())


@login_required
def proposal_report(request, proposal_id):
    proposal = selectors.proposal_for_user(request.user, proposal_id)
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.proposal_report(
                    user=request.user, proposal=proposal, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(
                    request, _("Thank you: the moderators will look at this proposal.")
                )
                return redirect(proposal.get_list_url())
        else:
            status = 400
    else:
        form = ReportForm()
    return render(
        request, "consultations/report.html", {"proposal": proposal, "form": form}, status=status
    )


def profile_section(request) -> str:
    """The letters setting on "My account" (a ``ProfileSection``, consultations/apps.py)."""
    if not request.user.is_authenticated:
        return ""
    return render_to_string(
        "consultations/includes/answer_letters.html",
        {"enabled": selectors.answer_letters_enabled(request.user)},
        request=request,
    )


@login_required
def answer_letters(request):
    """The profile's switch: letters when a proposal one wrote or supported is answered."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    enabled = services.answer_letters_set(
        user=request.user, enabled=request.POST.get("enabled") == "1"
    )
    messages.success(
        request,
        _("You will get a letter when a proposal you submitted or supported is answered.")
        if enabled
        else _("You will no longer get letters about answers to proposals."),
    )
    return redirect(reverse("accounts:profile") + "#answer-letters")
