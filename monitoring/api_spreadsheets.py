"""The round workbook in the API: ``GET /api/v1/rounds/{id}/xlsx/`` and
``POST /api/v1/rounds/{id}/import/`` (multipart ``file``).

Included from planportal/urls.py; kept apart from ``monitoring/api/`` (the
rest of the monitoring API) so that each part's routes stay in its own file.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from plans.spreadsheets import xlsx_response
from plans.spreadsheets.files import upload_bytes

from .models import MonitoringRound
from .spreadsheets import may_use_workbook, round_import, round_items, round_workbook
from .spreadsheets.export import workbook_filename
from .spreadsheets.layout import XLSX_CONTENT_TYPE


class MayUseWorkbook(permissions.BasePermission):
    message = _("Only the strategy coordinator and the units' members enter monitoring data.")

    def has_permission(self, request, view):
        return may_use_workbook(request.user)


def _round(round_id: int) -> MonitoringRound:
    return get_object_or_404(MonitoringRound.objects.select_related("plan"), pk=round_id)


class RoundWorkbook(APIView):
    permission_classes = [permissions.IsAuthenticated, MayUseWorkbook]

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="A round's items as an XLSX workbook",
        description="The items of the round's plan (version in force) that the reader may "
        "enter, with the planned and the stored values; the layout the import reads.",
    )
    def get(self, request, round_id: int):
        items = round_items(_round(round_id), request.user)
        return xlsx_response(round_workbook(items), workbook_filename(items))


class RoundImport(APIView):
    permission_classes = [permissions.IsAuthenticated, MayUseWorkbook]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            200: inline_serializer(
                "RoundImported",
                {"written": serializers.IntegerField(), "unchanged": serializers.IntegerField()},
            )
        },
        summary="Upload a filled-in round workbook",
        description="All or nothing. A bad workbook, a row of an item the reader may not "
        "enter or a value changed since the download is a 400 `invalid_workbook` whose "
        "`errors` name each cell (`sheet`, `row`, `column`, `message`, `text`).",
    )
    def post(self, request, round_id: int):
        result = round_import(
            user=request.user,
            round=_round(round_id),
            data=upload_bytes(request.FILES.get("file")),
        )
        return Response({"written": result.written, "unchanged": result.unchanged})


urlpatterns = [
    path("rounds/<int:round_id>/xlsx/", RoundWorkbook.as_view(), name="round-workbook"),
    path("rounds/<int:round_id>/import/", RoundImport.as_view(), name="round-workbook-import"),
]
