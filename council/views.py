"""Council review in the browser: the council page, votings, ballots, history.

Council members and staff read versions under review and votings; council
members cast ballots; staff submit, take back, open and close votings and
record decisions. Every view checks the role first (anonymous visitors go to
the login page, other roles get 403), then calls one function of
council/services.py, which checks role and state again. A refused action answers
with the status of its refusal (planportal/errors.py: 409 when the state
forbids it, 400 for a form to correct), with the message on the page and what
the user typed kept in the form.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from council import notices, selectors, services
from council.models import Ballot, BallotChoice, Voting
from council.tally import quorum_needed, tally_of
from planportal.errors import code_of, messages_of, status_of
from planportal.forms import add_refusal_to_form
from planportal.roles import can_see_drafts, is_council_member, is_staff_member, role_required
from plans.diff import version_diff
from plans.draft_check import check_draft
from plans.lineage import stale_base, stale_bases
from plans.models import PlanVersion
from reports.models import Report

internal_required = role_required(
    can_see_drafts, gettext_lazy("Only staff and council members can see this page.")
)
staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can do this.")
)
council_required = role_required(is_council_member, gettext_lazy("Only council members can vote."))


def post_only(view):
    """Checked after the role, so that other roles learn 403, not 405."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapped


# --- Forms ------------------------------------------------------------------------


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your vote"), choices=BallotChoice.choices, widget=forms.RadioSelect
    )


class OpenVotingForm(forms.Form):
    deadline = forms.DateTimeField(
        label=gettext_lazy("Deadline (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("Leave empty to close the voting by hand at the council session."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Recorded in the plan's history."),
    )


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Decision number"), max_length=50, help_text="TS-402"
    )
    date = forms.DateField(
        label=gettext_lazy("Decision date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DecisionCorrectionForm(DecisionForm):
    """A decision recorded already is corrected only with a reason (kept in the history)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Recorded in the plan's history with the old and the new number and date."
        ),
    )


class CloseForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Decision number (optional)"), max_length=50, required=False
    )
    date = forms.DateField(
        label=gettext_lazy("Decision date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, stale=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stale is not None:
            # Only for a version whose base is no longer in force. The hidden
            # field carries the id of the version in force the page showed, so
            # that a confirmation does not carry over to one approved meanwhile.
            self.fields["confirm_stale"] = forms.BooleanField(
                label=_(
                    "I have compared the two versions: if the voting passes, approve version "
                    "%(number)s and undo the changes of version %(in_force)s."
                )
                % {"number": stale.version.number, "in_force": stale.in_force.number},
                required=False,
            )
            self.fields["in_force_seen"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=stale.in_force.pk
            )

    def confirmation(self) -> int | None:
        """The id of the version in force the user confirmed overriding, or None."""
        if self.cleaned_data.get("confirm_stale"):
            return self.cleaned_data.get("in_force_seen")
        return None


def _refused(request, error, *, back):
    """A refused action without a form of its own: say why, with a way back."""
    return render(
        request,
        "council/refused.html",
        {"messages_list": messages_of(error), "code": code_of(error), "back": back},
        status=status_of(error),
    )


# --- Pages ------------------------------------------------------------------------


@internal_required
def dashboard(request):
    under_review, drafts = selectors.council_overview()
    reports_under_review = selectors.reports_under_review()
    in_force = {
        v.plan_id: v
        for v in PlanVersion.objects.filter(
            plan_id__in={v.plan_id for v in under_review}, status="approved"
        )
    }
    for version in under_review:
        # For the dashboard's template; PlanVersion has no such field.
        version.in_force = in_force.get(version.plan_id)  # type: ignore[attr-defined]
    drafts = drafts if is_staff_member(request.user) else []
    stale = stale_bases([*under_review, *drafts])
    for version in [*under_review, *drafts]:
        version.stale = stale.get(version.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "council/dashboard.html",
        {
            "under_review": under_review,
            "reports_under_review": reports_under_review,
            "drafts": drafts,
            "open_form": OpenVotingForm(),
        },
    )


def _stale_context(version) -> dict:
    """The stale base of ``version`` with what approving it would undo, for a page."""
    stale = stale_base(version)
    if stale is None:
        return {"stale": None, "undo": None}
    return {"stale": stale, "undo": version_diff(version, stale.in_force)}


def _voting_context(request, voting, *, ballot_form=None, close_form=None):
    version, report = voting.version, voting.report
    stale = {"stale": None, "undo": None}
    if voting.is_open and version is not None:
        stale = _stale_context(version)
    my_ballot = None
    if is_council_member(request.user):
        my_ballot = Ballot.objects.filter(voting=voting, voter=request.user).first()
    ballots_cast = Ballot.objects.filter(voting=voting).count() if voting.is_open else None
    return {
        "voting": voting,
        "version": version,
        "report": report,
        "report_label": notices.report_label(report) if report is not None else "",
        "in_force": PlanVersion.objects.in_force_for(version.plan_id) if version else None,
        "my_ballot": my_ballot,
        "ballots_cast": ballots_cast,
        "council_size": services.council_members().count()
        if voting.is_open
        else voting.council_size,
        "can_vote": is_council_member(request.user) and voting.is_open,
        "ballot_form": ballot_form
        or BallotForm(initial={"choice": my_ballot.choice if my_ballot else None}),
        "close_form": close_form or CloseForm(stale=stale["stale"]),
        **stale,
    }


# A voting's page reads its subject, a version or a report, with its plan.
VOTINGS = Voting.objects.select_related("version__plan", "report__plan")


@internal_required
def voting_detail(request, voting_id):
    voting = get_object_or_404(VOTINGS, pk=voting_id)
    return render(request, "council/voting.html", _voting_context(request, voting))


@council_required
@post_only
def ballot_cast(request, voting_id):
    voting = get_object_or_404(VOTINGS, pk=voting_id)
    form = BallotForm(request.POST)
    if form.is_valid():
        try:
            _ballot, created = services.ballot_cast(
                user=request.user, voting=voting, choice=form.cleaned_data["choice"]
            )
        except ValidationError as error:
            add_refusal_to_form(form, error)
            status = status_of(error)
            voting.refresh_from_db()
            return render(
                request,
                "council/voting.html",
                _voting_context(request, voting, ballot_form=form),
                status=status,
            )
        messages.success(
            request, _("Your vote is recorded.") if created else _("Your vote is changed.")
        )
        return redirect(voting)
    return render(
        request,
        "council/voting.html",
        _voting_context(request, voting, ballot_form=form),
        status=400,
    )


def _close_context(request, voting, *, close_form=None):
    """What closing ``voting`` now would record: turnout, quorum, result (nothing written)."""
    tally, _roll = tally_of(voting)
    context = _voting_context(request, voting, close_form=close_form)
    in_force = context["in_force"]
    context.update(
        {
            "tally": tally,
            "quorum_needed": quorum_needed(tally.members),
            # A passing close of a version supersedes the version in force.
            "superseding": in_force
            if tally.passed and in_force is not None and in_force.pk != voting.version_id
            else None,
        }
    )
    return context


def _close_page(request, voting, *, close_form=None, status=200):
    return render(
        request,
        "council/close_confirm.html",
        _close_context(request, voting, close_form=close_form),
        status=status,
    )


@staff_required
def voting_close(request, voting_id):
    """Closing a voting asks first: GET (or a POST without ``confirm``) shows
    what would be recorded, with the turnout and the quorum; a POST with
    ``confirm`` closes it. The API closes at once: its clients confirm by calling."""
    voting = get_object_or_404(VOTINGS, pk=voting_id)
    stale = stale_base(voting.version) if voting.version is not None and voting.is_open else None
    if request.method != "POST" or not request.POST.get("confirm"):
        if not voting.is_open:
            return redirect(voting)
        # What was typed on the voting page's form (if anything) is kept.
        initial = {name: request.POST[name] for name in ("number", "date") if name in request.POST}
        return _close_page(request, voting, close_form=CloseForm(initial=initial, stale=stale))
    form = CloseForm(request.POST, stale=stale)
    if form.is_valid():
        try:
            voting = services.voting_close(
                user=request.user,
                voting=voting,
                decision_number=form.cleaned_data["number"],
                decision_date=form.cleaned_data["date"],
                confirm_stale=form.confirmation(),
            )
        except ValidationError as error:
            if isinstance(error, services.StaleBaseError):
                # Asked again about the version in force now (another may have
                # been approved since the page was shown), the box unticked.
                data = request.POST.copy()
                data["in_force_seen"] = str(error.stale.in_force.pk)
                data.pop("confirm_stale", None)
                form = CloseForm(data, stale=error.stale)
                form.is_valid()
            add_refusal_to_form(form, error)
            status = status_of(error)
            voting.refresh_from_db()
            if not voting.is_open:
                # Closed meanwhile: the voting's page says so, with its result.
                return render(
                    request,
                    "council/voting.html",
                    _voting_context(request, voting, close_form=form),
                    status=status,
                )
            return _close_page(request, voting, close_form=form, status=status)
        if voting.report_id is not None:
            messages.success(
                request,
                _("The voting is closed: the report is approved.")
                if voting.passed
                else _("The voting is closed: the report was not approved and is a draft again."),
            )
        elif voting.passed:
            messages.success(request, _("The voting is closed: the version is approved."))
        else:
            messages.success(
                request,
                _("The voting is closed: the version was not approved and is a draft again."),
            )
        return redirect(voting)
    return _close_page(request, voting, close_form=form, status=400)


def _submit_page(request, version, *, refusal=None, error=None, status=200):
    stale = stale_base(version) if refusal is None else None
    return render(
        request,
        "council/submit_confirm.html",
        {
            "version": version,
            "refusal_messages": messages_of(refusal) if refusal is not None else [],
            "code": code_of(refusal) if refusal is not None else "",
            "error_messages": messages_of(error) if error is not None else [],
            "check": check_draft(version) if refusal is None else None,
            "stale": stale,
            "undo": version_diff(stale.version, stale.in_force) if stale else None,
        },
        status=status,
    )


@staff_required
def version_submit(request, version_id):
    """Submitting asks first: GET (or a POST without ``confirm``) shows the
    draft's check and what submitting does; a POST with ``confirm`` submits.

    A version the service would refuse (its state, an open consultation) gets
    the reason and no button."""
    version = get_object_or_404(PlanVersion.objects.select_related("plan"), pk=version_id)
    refusal = services.submit_refusal(version)
    if refusal is not None:
        return _submit_page(request, version, refusal=refusal, status=status_of(refusal))
    if request.method != "POST" or not request.POST.get("confirm"):
        return _submit_page(request, version)
    try:
        confirm = int(request.POST.get("confirm_stale") or 0) or None
    except ValueError:
        confirm = None
    try:
        services.version_submit(user=request.user, version=version, confirm_stale=confirm)
    except services.StaleBaseError as error:
        # Not a dead end: the page shows what submitting would undo and asks
        # again, with the version in force named in the confirmation.
        return _submit_page(request, version, error=error, status=status_of(error))
    except ValidationError as error:
        return _submit_page(request, version, refusal=error, status=status_of(error))
    messages.success(request, _("The version is submitted to the council."))
    return redirect("council:dashboard")


@staff_required
@post_only
def voting_open(request, version_id):
    version = get_object_or_404(PlanVersion, pk=version_id)
    form = OpenVotingForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            ValidationError(form.errors.as_data().get("deadline", [])),
            back="council:dashboard",
        )
    try:
        voting = services.voting_open(
            user=request.user, version=version, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        return _refused(request, error, back="council:dashboard")
    messages.success(request, _("The voting is open."))
    return redirect(voting)


@staff_required
@post_only
def report_voting_open(request, report_id):
    """Open the council's voting on a yearly report (from its page or the council page)."""
    report = get_object_or_404(Report, pk=report_id)
    form = OpenVotingForm(request.POST)
    if not form.is_valid():
        return _refused(
            request,
            ValidationError(form.errors.as_data().get("deadline", [])),
            back="council:dashboard",
        )
    try:
        voting = services.voting_open(
            user=request.user, report=report, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        return _refused(request, error, back="council:dashboard")
    messages.success(request, _("The voting is open."))
    return redirect(voting)


@staff_required
def version_withdraw(request, version_id):
    version = get_object_or_404(PlanVersion.objects.select_related("plan"), pk=version_id)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.version_withdraw(
                    user=request.user, version=version, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(request, _("The version is a draft again."))
                return redirect("council:dashboard")
    return render(
        request,
        "council/form.html",
        {
            "version": version,
            "form": form,
            "page_title": _("Take version %(number)s back for revision")
            % {"number": version.number},
            "submit_label": _("Take back"),
        },
        status=status,
    )


@staff_required
def decision_record(request, version_id):
    version = get_object_or_404(PlanVersion.objects.select_related("plan"), pk=version_id)
    initial = {"number": version.decision_number, "date": version.decision_date}
    # A decision is recorded once; after that the page corrects it, with a reason.
    correcting = bool(version.decision_number or version.decision_date)
    form_class = DecisionCorrectionForm if correcting else DecisionForm
    form = form_class(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.version_record_decision(
                    user=request.user,
                    version=version,
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("The council decision is corrected.")
                    if correcting
                    else _("The council decision is recorded."),
                )
                return redirect("council:history", plan_id=version.plan_id)
    return render(
        request,
        "council/form.html",
        {
            "version": version,
            "form": form,
            "page_title": (
                _("Correct the council decision approving version %(number)s")
                if correcting
                else _("Council decision approving version %(number)s")
            )
            % {"number": version.number},
            "submit_label": _("Save the correction") if correcting else _("Save"),
            "recorded": version if correcting else None,
        },
        status=status,
    )


def plan_history(request, plan_id):
    """Public: approved and superseded versions with their votes; staff and
    council also see drafts and versions under review."""
    plan, versions = selectors.plan_history(request.user, plan_id)
    return render(
        request,
        "council/history.html",
        {"plan": plan, "versions": versions, "internal": can_see_drafts(request.user)},
    )
