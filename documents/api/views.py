"""``GET /api/v1/versions/{id}/pdf/``: the version as a PDF (contract).

Public for approved, superseded and consultation versions; staff and council
for the rest (anyone else gets 404, as for the version itself). Until the
worker has rendered it the answer is 202 with ``Retry-After``: the PDF is
being prepared; ask again. Errors are JSON even to a client that accepts only
PDF (planportal/api.py's exception handler sees to it).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import DocumentStatus, DocumentVariant
from documents.services import document_request
from documents.views import (
    RETRY_AFTER_SECONDS,
    UNKNOWN_VARIANT,
    pdf_response,
    requested_variant,
)
from plans.selectors import versions_visible_to


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the view answers with the file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PendingSerializer(serializers.Serializer):
    status = serializers.CharField()
    detail = serializers.CharField()


class VersionPDFView(APIView):
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]

    @extend_schema(
        summary="The version as a PDF",
        description="A print-quality, tagged PDF (PDF/UA-1) of the whole version in the "
        "request's language; `?variant=pdfa` gives PDF/A-3a for archiving (the server's "
        "PDF_DEFAULT_VARIANT without `variant`). 202 with "
        "`Retry-After` while a background worker prepares it.",
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
        version = versions_visible_to(request.user).filter(pk=pk).first()
        if version is None:
            raise NotFound()
        variant = requested_variant(request)
        if variant is None:
            raise ValidationError({"variant": [UNKNOWN_VARIANT]})
        document = document_request(
            version=version, variant=variant, language=translation.get_language()
        )
        if document.status == DocumentStatus.READY:
            return pdf_response(document, version)
        # "Being prepared" is JSON even to a client that accepted only the PDF,
        # as errors are (planportal/api.py).
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type
        return Response(
            {"status": document.status, "detail": _("The document is being prepared.")},
            status=status.HTTP_202_ACCEPTED,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
