"""The report's PDF in the browser: download it, or wait while the worker prepares it.

Who may read the report may read its PDF (``selectors.report_for_user``:
404 otherwise, as for the report's page). No request renders: the page says
"being prepared" (202, ``Retry-After``) and offers the download once the
worker has stored the file, as the plan's PDF page does (documents/views.py).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import FileResponse
from django.shortcuts import render
from django.utils import translation

from documents.models import DocumentStatus
from documents.views import RETRY_AFTER_SECONDS, UNKNOWN_VARIANT, requested_variant

from . import pdf, selectors
from .models import ReportDocument


def report_pdf_response(document: ReportDocument, report) -> FileResponse:
    """The stored file, named after the plan and year; cached publicly only for a public report."""
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    name = pdf.download_filename(report)
    fallback = pdf.download_filename(report, ascii_only=True)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Content-Length"] = str(document.size)
    response["ETag"] = f'"{document.content_hash.split(":", 1)[-1][:32]}"'
    response["Content-Language"] = document.language
    # A correction of the decision renders an approved report again: an hour at most.
    response["Cache-Control"] = "public, max-age=3600" if report.is_public else "private, no-cache"
    return response


def report_pdf(request, report_id: int):
    report = selectors.report_for_user(request.user, report_id)
    variant = requested_variant(request)
    context: dict[str, Any] = {"report": report, "plan": report.plan}
    if variant is None:
        context["error"] = UNKNOWN_VARIANT
        return render(request, "reports/pdf_status.html", context, status=400)
    document = pdf.document_request(
        report=report, variant=variant, language=translation.get_language()
    )
    context["pdf_url"] = request.get_full_path()
    context["retry_after"] = RETRY_AFTER_SECONDS
    if getattr(request, "htmx", False):
        # The "being prepared" page asking whether the document is there yet.
        context["ready"] = document.status == DocumentStatus.READY
        status = 200 if context["ready"] else 202
        response = render(request, "documents/includes/pdf_status.html", context, status=status)
        response["Cache-Control"] = "no-store"
        return response
    if document.status == DocumentStatus.READY:
        return report_pdf_response(document, report)
    response = render(request, "reports/pdf_status.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
