"""``GET /api/v1/reports/{id}/pdf/``: the report as a PDF (contract).

Whoever may read the report (``selectors.reports_visible_to``; 404 for
anyone else): 200 with the file once the worker has rendered it, 202 with
``Retry-After`` until then. Errors and "being prepared" are JSON even to a
client that accepts only PDF, as for the plan's PDF (documents/api/views.py).
"""

from __future__ import annotations

from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.api.views import PDFRenderer, PendingSerializer
from documents.models import DocumentStatus, DocumentVariant
from documents.views import RETRY_AFTER_SECONDS, UNKNOWN_VARIANT, requested_variant

from . import pdf, selectors
from .views_pdf import report_pdf_response


class ReportPDFView(APIView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        summary="The yearly report as a PDF",
        description="A print-quality, tagged PDF (PDF/UA-1) of the report in the request's "
        "language, as frozen at submission (a draft: as submitting it would freeze it); "
        "`?variant=pdfa` gives PDF/A-3a for archiving. 202 with `Retry-After` while a "
        "background worker prepares it.",
        parameters=[
            OpenApiParameter(
                "variant", OpenApiTypes.STR, enum=DocumentVariant.values, required=False
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF"),
            202: PendingSerializer,
        },
    )
    def get(self, request, pk):
        report = selectors.reports_visible_to(request.user).filter(pk=pk).first()
        if report is None:
            raise NotFound()
        variant = requested_variant(request)
        if variant is None:
            raise ValidationError({"variant": [UNKNOWN_VARIANT]})
        document = pdf.document_request(
            report=report, variant=variant, language=translation.get_language()
        )
        if document.status == DocumentStatus.READY:
            return report_pdf_response(document, report)
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type
        return Response(
            {"status": document.status, "detail": _("The document is being prepared.")},
            status=status.HTTP_202_ACCEPTED,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )


urlpatterns = [
    path("reports/<int:pk>/pdf/", ReportPDFView.as_view(), name="report-pdf"),
]
