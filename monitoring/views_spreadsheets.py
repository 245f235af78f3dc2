"""The round workbook in the browser: download it, upload it filled in.

For staff and unit members (``spreadsheets.may_use_workbook``); anyone else
signed in gets 403, an anonymous visitor the login page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from planportal.errors import status_of
from planportal.roles import role_required
from plans.forms import AccessibleFormMixin
from plans.spreadsheets import WorkbookInvalid, xlsx_response
from plans.spreadsheets.files import upload_bytes

from .models import MonitoringRound
from .spreadsheets import may_use_workbook, round_import, round_items, round_workbook
from .spreadsheets.export import workbook_filename
from .spreadsheets.layout import MAX_FILE_BYTES, XLSX_CONTENT_TYPE

workbook_user_required = role_required(
    may_use_workbook,
    gettext_lazy("Only the strategy coordinator and the units' members enter monitoring data."),
)


class RoundWorkbookForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in workbook (XLSX)"),
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The workbook downloaded from this page, at most %(size)s MB."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024)}


@workbook_user_required
@require_GET
def round_xlsx(request, round_id):
    round = get_object_or_404(MonitoringRound.objects.select_related("plan"), pk=round_id)
    items = round_items(round, request.user)
    return xlsx_response(round_workbook(items), workbook_filename(items))


@workbook_user_required
@require_http_methods(["GET", "POST"])
def round_import_page(request, round_id):
    round = get_object_or_404(MonitoringRound.objects.select_related("plan"), pk=round_id)
    form = RoundWorkbookForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                data = upload_bytes(form.cleaned_data["file"])
                result = round_import(user=request.user, round=round, data=data)
            except WorkbookInvalid as error:
                errors, status = error.errors, status_of(error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "Saved %(written)s row; %(unchanged)s rows were unchanged.",
                        "Saved %(written)s rows; %(unchanged)s rows were unchanged.",
                        result.written,
                    )
                    % {"written": result.written, "unchanged": result.unchanged},
                )
                return redirect("monitoring_xlsx:round-import", round.pk)
        else:
            status = status_of(WorkbookInvalid([]))
    context = {
        "round": round,
        "form": form,
        "errors": errors,
        "page_title": _("Monitoring data from a workbook"),
    }
    return render(request, "monitoring/round_import.html", context, status=status)
