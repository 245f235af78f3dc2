"""``GET /api/v1/reports/{id}/xlsx/``: a yearly report's annex, every table as XLSX.

Included from planportal/urls.py under api/v1/; kept apart from the rest of
the reports API so that each part's routes stay in its own file. Whoever may
read the report (reports/selectors.py) gets its annex; anyone else 404, as
for the report itself. Errors are JSON even to a client that accepts only
the workbook (planportal/api.py's exception handler).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, renderers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from plans.spreadsheets import XLSX_CONTENT_TYPE, xlsx_response

from . import selectors, xlsx


class XLSXRenderer(renderers.BaseRenderer):
    """Lets a client ask for ``Accept: <the XLSX type>``; the view answers with the file."""

    media_type = XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ReportWorkbook(APIView):
    permission_classes = [permissions.AllowAny]
    renderer_classes = [renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        summary="A yearly report's tables as an XLSX workbook",
        description="The report's annex: the summary, money by priority and by funding "
        "source, the indicators (with their values by year) and the measures, and the "
        "extra sections' tables, as the report shows them (frozen from submission on; a "
        "draft's current figures). Anonymous readers get approved reports only.",
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(
                OpenApiTypes.BINARY, description="The workbook"
            ),
            404: OpenApiResponse(description="No such report, or not one the reader may see"),
        },
    )
    def get(self, request, pk: int):
        try:
            report = selectors.report_for_user(request.user, pk)
        except Http404:
            raise NotFound() from None
        content = selectors.report_content(report, request.user)
        return xlsx_response(xlsx.report_workbook(report, content), xlsx.filename(report))


urlpatterns = [
    path("reports/<int:pk>/xlsx/", ReportWorkbook.as_view(), name="report-xlsx"),
]
