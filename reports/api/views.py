"""The reports API (docs/reports/api.md): a plan's yearly implementation
reports, each report with what it shows, and every step of its way.

Thin: each endpoint parses its input and calls one service or selector of
reports/. The services check the role and the state again; a refusal (403
``not_allowed``, 409 ``report_state`` / ``report_exists`` /
``round_not_published`` / ``report_frozen``, 400 naming the field) is
answered by the one exception handler (planportal/api.py). Readers see what
``selectors.reports_visible_to`` lets them: a report hidden from them is a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from planportal.api import IsStaffMember, ReadOnlyOrStaff
from planportal.pagination import Pagination
from planportal.roles import is_staff_member
from plans.models import Plan

from .. import selectors, services
from ..models import Report
from ..narratives import to_text
from . import filters
from . import serializers as s


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _answer(report: Report, code: int = status.HTTP_200_OK) -> Response:
    return Response(s.ReportSerializer(report).data, status=code)


class PlanReportsView(generics.ListCreateAPIView):
    """A plan's yearly reports: those the reader may see (the public: approved
    and superseded ones), newest year first; staff make the draft of a year."""

    serializer_class = s.ReportSerializer
    permission_classes = [ReadOnlyOrStaff]
    filterset_class = filters.PlanReportFilter
    pagination_class = Pagination

    def _plan(self) -> Plan:
        return get_object_or_404(Plan, pk=self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Report.objects.none()
        return selectors.reports_visible_to(self.request.user, self._plan())

    @extend_schema(summary="A plan's yearly implementation reports the reader may see")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=s.ReportCreateSerializer,
        responses={201: s.ReportSerializer},
        examples=[OpenApiExample("The report of 2024", value={"year": 2024}, request_only=True)],
        summary="Make the draft report of a year (from that year's monitoring round)",
    )
    def post(self, request, *args, **kwargs):
        plan = self._plan()
        data = _input(s.ReportCreateSerializer, request)
        report = services.report_create(user=request.user, plan=plan, year=data["year"])
        return _answer(report, status.HTTP_201_CREATED)


def detail_data(report: Report, user) -> dict:
    """The body of ``GET /reports/{id}/``: the report with its content and events."""
    events = list(report.events.select_related("user"))
    context = {
        "content": selectors.report_content(report, user),
        "events": events,
        "staff": is_staff_member(user),
    }
    return s.ReportDetailSerializer(report, context=context).data


class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Yearly implementation reports. Staff submit, take back, approve (a
    decision of a council session), record or correct the decision and start
    a corrected revision; the council's votings are ``/votings/``."""

    serializer_class = s.ReportSerializer
    permission_classes = [ReadOnlyOrStaff]
    filterset_class = filters.ReportFilter
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.reports_visible_to(self.request.user)

    @extend_schema(summary="Every report the reader may see, by plan and newest year first")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses=s.ReportDetailSerializer,
        summary="A report with its figures as frozen (a draft: as they are now)",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(detail_data(self.get_object(), request.user))

    @extend_schema(
        request=None, responses=s.ReportSerializer, summary="Submit a draft to the council"
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def submit(self, request, pk=None):
        report = self.get_object()
        _input(s.ReportSubmitSerializer, request)
        return _answer(services.report_submit(user=request.user, report=report))

    @extend_schema(
        request=s.ReportReasonSerializer,
        responses=s.ReportSerializer,
        summary="Take a report back from the council to its draft",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def withdraw(self, request, pk=None):
        report = self.get_object()
        data = _input(s.ReportReasonSerializer, request)
        return _answer(
            services.report_withdraw(user=request.user, report=report, reason=data["reason"])
        )

    @extend_schema(
        request=s.ReportApproveSerializer,
        responses=s.ReportSerializer,
        examples=[
            OpenApiExample(
                "A session's decision",
                value={"decision_number": "TS-101", "decision_date": "2025-04-24"},
                request_only=True,
            )
        ],
        summary="Record that a council session approved the report",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def approve(self, request, pk=None):
        report = self.get_object()
        data = _input(s.ReportApproveSerializer, request)
        return _answer(
            services.report_approve(
                user=request.user,
                report=report,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
            )
        )

    @extend_schema(
        request=s.ReportDecisionInputSerializer,
        responses=s.ReportSerializer,
        summary="Record the council decision of an approved report, or correct it with a reason",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def decision(self, request, pk=None):
        report = self.get_object()
        data = _input(s.ReportDecisionInputSerializer, request)
        return _answer(
            services.report_record_decision(
                user=request.user,
                report=report,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                reason=data["reason"],
            )
        )

    @extend_schema(
        request=s.ReportReasonSerializer,
        responses={201: s.ReportSerializer},
        summary="Start a corrected revision of an approved report (a new draft)",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def revise(self, request, pk=None):
        report = self.get_object()
        data = _input(s.ReportReasonSerializer, request)
        draft = services.report_revise(user=request.user, report=report, reason=data["reason"])
        return _answer(draft, status.HTTP_201_CREATED)


SECTION_PARAMETER = OpenApiParameter(
    "section", str, OpenApiParameter.PATH, description=s.SECTION_HELP
)


class ReportNarrativeView(APIView):
    """Staff's text on one section of a report; written only while a draft."""

    permission_classes = [ReadOnlyOrStaff]

    @extend_schema(
        parameters=[SECTION_PARAMETER],
        responses=s.ReportNarrativeSerializer,
        summary="A section's narrative (blank when none is written)",
    )
    def get(self, request, pk, section):
        report = selectors.report_for_user(request.user, pk)
        found = dict(s.narratives_in(selectors.report_content(report, request.user)))
        if section not in found:
            raise Http404
        return _narrative(section, found[section])

    @extend_schema(
        parameters=[SECTION_PARAMETER],
        request=s.ReportNarrativeInputSerializer,
        responses=s.ReportNarrativeSerializer,
        examples=[
            OpenApiExample(
                "Paragraphs and a list",
                value={"text": "Metai buvo sėkmingi.\n\n- Pastatyta mokykla\n- Sutvarkyti keliai"},
                request_only=True,
            )
        ],
        summary="Write a section's narrative of a draft (blank text removes it)",
    )
    def put(self, request, pk, section):
        report = selectors.report_for_user(request.user, pk)
        data = _input(s.ReportNarrativeInputSerializer, request)
        narrative = services.narrative_save(
            user=request.user, report=report, section=section, text=data["text"]
        )
        return _narrative(section, narrative.html if narrative else "")


def _narrative(section: str, html: str) -> Response:
    body = {"section": section, "html": html, "text": to_text(html)}
    return Response(s.ReportNarrativeSerializer(body).data)
