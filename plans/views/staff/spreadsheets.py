"""Staff screens of the workbooks: importing one into a new draft, blank ones by kind."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from planportal.errors import status_of
from plans.forms import AccessibleFormMixin
from plans.kinds import KINDS
from plans.models import Plan
from plans.spreadsheets import (
    XLSX_CONTENT_TYPE,
    WorkbookInvalid,
    blank_workbook,
    version_import,
    xlsx_response,
)
from plans.spreadsheets.files import upload_bytes
from plans.spreadsheets.layout import MAX_FILE_BYTES

from .common import HTTP_INVALID, staff_required


class WorkbookForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (XLSX)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, in the reader's language, not once at import time.
        self.fields["file"].help_text = _(
            "An XLSX file of at most %(size)s MB in the portal's layout."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}


@staff_required
@require_http_methods(["GET", "POST"])
def workbook_import(request, plan_id):
    plan = get_object_or_404(Plan, pk=plan_id)
    form = WorkbookForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = upload_bytes(form.cleaned_data["file"])
                draft = version_import(user=request.user, plan=plan, data=data)
            except WorkbookInvalid as error:
                errors = error.errors
                status = status_of(error)
            else:
                messages.success(
                    request,
                    _("Draft %(number)s created from the workbook.") % {"number": draft.number},
                )
                return redirect("plans:staff-outline", draft.pk)
        else:
            status = HTTP_INVALID
    context = {
        "plan": plan,
        "form": form,
        "errors": errors,
        "page_title": _("Import from XLSX"),
        "breadcrumbs": [(_("Staff dashboard"), reverse("plans:staff-dashboard"))],
        "template_url": reverse("plans:staff-xlsx-template", args=[plan.kind]) + f"?plan={plan.pk}",
    }
    return render(request, "plans/staff/workbook_import.html", context, status=status)


@staff_required
@require_GET
def workbook_templates(request):
    context = {
        "kinds": list(KINDS.values()),
        "page_title": _("Blank workbooks"),
        "breadcrumbs": [(_("Staff dashboard"), reverse("plans:staff-dashboard"))],
    }
    return render(request, "plans/staff/workbook_templates.html", context)


@staff_required
@require_GET
def workbook_template(request, kind):
    """A blank workbook of ``kind``, with the years of the plan named by ``?plan=``."""
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = Plan.objects.filter(pk=int(request.GET["plan"])).first()
    if plan is not None:
        years = range(plan.period_start, plan.period_end + 1)
    else:
        from django.utils import timezone

        first = timezone.localdate().year + 1
        years = range(first, first + spec.default_years)
    return xlsx_response(blank_workbook(spec, years=years), f"template-{kind}.xlsx")
