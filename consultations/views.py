"""The consultation in the browser: the public page, proposing, one's own
proposals, supports and reports, the outcome table and its files, and the
staff pages to open, extend, moderate and answer.

Views are thin: they parse a form, call one service or selector, and render.
A refused action shows the service's message on the page with what the
user typed kept, answered with the status of its refusal (planportal/errors.py:
400 for a form to correct, 409 when the state forbids it, 429 over the hourly
limit), the same as the API's.
"""

from __future__ import annotations

import csv
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal.errors import status_of
from planportal.forms import add_refusal_to_form
from planportal.ratelimit import client_address
from planportal.roles import is_staff_member, role_required
from plans.models import PlanVersion, VersionStatus
from plans.selectors import version_tree

from . import selectors, services
from .forms import (
    AnswerForm,
    ConsultationExtendForm,
    ConsultationOpenForm,
    HideForm,
    ProposalForm,
    ReportForm,
)
from .models import PUBLIC_STATUS_CHOICES, Consultation, Proposal

PAGE_SIZE = 50


staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can do this.")
)


# --- Public pages ----------------------------------------------------------------


def index(request):
    return render(
        request, "consultations/index.html", {"consultations": selectors.consultations_list()}
    )


def _outline(consultation, counts):
    """The draft's tree with each node's proposal count, while it is public."""
    if consultation.version.status != VersionStatus.CONSULTATION:
        return None
    tree = version_tree(consultation.version, with_details=False)
    for node in tree.iter_nodes():
        node.proposal_count = counts.get(node.key, 0)
    return tree


def _node_choices(consultation, tree):
    if tree is not None:
        return [(str(node.key), f"{node.code} {node.title}") for node in tree.iter_nodes()]
    seen: dict[str, str] = {}
    for key, code, title in (
        Proposal.objects.filter(consultation=consultation, target_key__isnull=False)
        .order_by("target_code")
        .values_list("target_key", "target_code", "target_title")
    ):
        seen.setdefault(str(key), f"{code} {title}")
    return list(seen.items())


def detail(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    target = request.GET.get("target", "")
    status = request.GET.get("status", "")
    try:
        proposals = selectors.public_proposals(
            consultation, target=target, status=status, user=request.user
        )
        page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        http_status = 200
    except ValidationError:
        target, http_status = "", 400
        proposals = selectors.public_proposals(consultation, status=status, user=request.user)
        page = Paginator(proposals, PAGE_SIZE).get_page(1)
    counts = selectors.node_counts(consultation)
    tree = _outline(consultation, counts)
    context = {
        "consultation": consultation,
        "version": consultation.version,
        "plan": consultation.version.plan,
        "tree": tree,
        "plan_count": counts.get(None, 0),
        "total_count": sum(counts.values()),
        "page": page,
        "node_choices": _node_choices(consultation, tree),
        "status_choices": PUBLIC_STATUS_CHOICES,
        "target": target,
        "status": status,
        "filtered": bool(target or status),
        "query_without_page": _query_without_page(request),
    }
    return render(request, "consultations/detail.html", context, status=http_status)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def version_panel(request, version) -> str:
    """The consultation box on a version's page (registered in consultations/apps.py)."""
    return node_panel(request, version)


def node_panel(request, version, level=None, node_id=None, node_key=None) -> str:
    """The consultation box on a plan page of a version under consultation.

    The plan's pages of such a version are never cached whole (only approved
    and superseded ones are), so the count is always current.
    """
    if version.status != VersionStatus.CONSULTATION:
        return ""
    consultation = Consultation.objects.filter(version=version).first()
    if consultation is None:
        return ""
    queryset = Proposal.objects.visible().filter(consultation=consultation)
    if node_key is not None:
        queryset = queryset.filter(target_key=node_key)
    return render_to_string(
        "consultations/includes/node_panel.html",
        {"consultation": consultation, "count": queryset.count(), "node_key": node_key},
        request=request,
    )


def outcome(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    return render(
        request,
        "consultations/outcome.html",
        {
            "consultation": consultation,
            "plan": consultation.version.plan,
            "outcome": selectors.outcome(consultation),
        },
    )


def _file_rows(data):
    header = [
        _("No."),
        _("Code"),
        _("Part of the plan"),
        _("Proposal"),
        _("Author"),
        _("Eldership"),
        _("Submitted"),
        _("Supports"),
        _("Status"),
        _("Answer"),
    ]
    rows = []
    for number, row in enumerate(data["rows"], start=1):
        text = row["text"] or _("Hidden by the moderator: %(reason)s") % {
            "reason": row["hidden_reason"]
        }
        rows.append(
            [
                number,
                row["code"] or "",
                row["node"] or _("The whole plan"),
                text,
                row["author"],
                row["eldership"],
                timezone.localtime(row["submitted"]).strftime("%Y-%m-%d %H:%M"),
                row["supports"],
                row["status_label"],
                row["response"],
            ]
        )
    return header, rows


def _safe_cell(value):
    # A cell starting with =, +, - or @ would run as a formula in a
    # spreadsheet (CSV injection): residents write these texts.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def outcome_csv(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    header, rows = _file_rows(selectors.outcome(consultation))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return response


def outcome_xlsx(request, consultation_id):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    consultation = selectors.consultation_get(consultation_id)
    data = selectors.outcome(consultation)
    header, rows = _file_rows(data)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Proposals")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe_cell(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJ", (6, 12, 40, 60, 20, 24, 17, 10, 20, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    counts = workbook.create_sheet(_("Counts")[:31])
    counts.append([_("Status"), _("Proposals")])
    lines = [[item["label"], item["count"]] for item in data["by_status"]]
    lines += [[], [_("Part of the plan"), _("Proposals")]]
    lines += [
        [
            _safe_cell(f"{item['code']} {item['title']}".strip()) or _("The whole plan"),
            item["total"],
        ]
        for item in data["by_node"]
    ]
    lines += [[], [_("Eldership"), _("Proposals")]]
    lines += [[item["name"], item["count"]] for item in data["by_eldership"]]
    for line in lines:
        counts.append(line)
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.xlsx"'
    return response


# --- Residents --------------------------------------------------------------------------


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
    if proposal.author_id != request.user.pk:
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
    return redirect(proposal.get_absolute_url())


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
                return redirect(proposal.get_absolute_url())
        else:
            status = 400
    else:
        form = ReportForm()
    return render(
        request, "consultations/report.html", {"proposal": proposal, "form": form}, status=status
    )


# --- Staff -----------------------------------------------------------------------------


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
            elif action == "publish_all":
                count = services.answers_publish(user=request.user, consultation=consultation)
                messages.success(request, _("Published answers: %(count)d.") % {"count": count})
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
        "prepared_count": Proposal.objects.filter(
            consultation=consultation, response_published_at__isnull=True, withdrawn_at__isnull=True
        )
        .exclude(response_status="")
        .count(),
    }
    return render(request, "consultations/staff/detail.html", context, status=status)


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
    }
    return render(request, "consultations/staff/proposal.html", context, status=status)
