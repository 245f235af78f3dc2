"""The plan's PDF in the browser: download it, or wait while it is prepared.

The permission check is the version pages' own (``readable_version``);
``documents.services.document_request`` finds the stored PDF or queues its
rendering for ``manage.py worker``: no request waits for WeasyPrint, the page
says "being prepared" (202) and offers the download once the file is there.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy

from documents.models import DocumentStatus, DocumentVariant
from documents.services import IMMUTABLE_STATUSES, document_request, download_filename
from plans.views.public import readable_version

RETRY_AFTER_SECONDS = 5
# Said by the page and by the API (documents/api/views.py).
UNKNOWN_VARIANT = gettext_lazy("Unknown PDF variant: use “ua” (accessible) or “pdfa” (archival).")


def requested_variant(request) -> str | None:
    """The variant asked for (``?variant=pdfa``), the default one, or None if unknown."""
    value = request.GET.get("variant") or settings.PDF_DEFAULT_VARIANT
    return value if value in DocumentVariant.values else None


def pdf_response(document, version, *, attachment: bool = True) -> FileResponse:
    """The stored file, named after the plan, private unless the version is public."""
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    name = download_filename(version)
    fallback = download_filename(version, ascii_only=True)
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = (
        f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    )
    response["Content-Length"] = str(document.size)
    response["ETag"] = f'"{document.content_hash[:32]}"'
    response["Content-Language"] = document.language
    if version.is_public and version.status in IMMUTABLE_STATUSES:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


@readable_version
def version_pdf(request, version):
    variant = requested_variant(request)
    context = {"version": version, "plan": version.plan}
    if variant is None:
        context["error"] = UNKNOWN_VARIANT
        return render(request, "documents/pdf_status.html", context, status=400)
    document = document_request(
        version=version, variant=variant, language=translation.get_language()
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
        return pdf_response(document, version)
    response = render(request, "documents/pdf_status.html", context, status=202)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def download_button(request, version) -> str:
    """The "Download as PDF" button on a version's page (documents/apps.py)."""
    return render_to_string(
        "documents/includes/download_button.html", {"version": version}, request=request
    )
