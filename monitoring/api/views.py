"""The monitoring API (docs/monitoring/api.md): rounds, the items a reader may
write, actual values, the implementation of measures, a version's progress.

Thin: each endpoint parses its input and calls one service or selector. The
services check who may write what and whether the year's round is open; a
refusal (403 ``not_allowed``, 409 ``round_not_open`` / ``stale_revision``,
400 naming the field) is answered by the one exception handler
(planportal/api.py).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from planportal.api import IsStaffMember
from planportal.roles import is_staff_member
from plans.models import Indicator, Measure, Plan
from plans.selectors import version_for_user, versions_visible_to

from .. import milestones, selectors, services
from ..models import Milestone, MonitoringRound
from . import serializers as s


def _input(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _visible(model, user, pk: int):
    """An indicator or measure of a version ``user`` may read (else 404)."""
    return get_object_or_404(
        model.objects.select_related("version"), pk=pk, version__in=versions_visible_to(user)
    )


class StaffWrites(permissions.BasePermission):
    message = IsStaffMember.message

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_staff_member(request.user)


# --- Rounds ----------------------------------------------------------------------------


class PlanRoundsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, StaffWrites]

    @extend_schema(
        responses=s.RoundSerializer(many=True),
        summary="A plan's monitoring rounds (the public sees published ones)",
    )
    def get(self, request, pk):
        plan = get_object_or_404(Plan, pk=pk)
        rounds = selectors.visible_rounds(request.user, plan)
        return Response(s.RoundSerializer(rounds, many=True).data)

    @extend_schema(
        request=s.RoundInputSerializer,
        responses={201: s.RoundSerializer},
        summary="Open a monitoring round for a year",
    )
    def post(self, request, pk):
        plan = get_object_or_404(Plan, pk=pk)
        data = _input(s.RoundInputSerializer, request)
        created = services.round_open(
            user=request.user, plan=plan, year=data["year"], due=data["due"]
        )
        return Response(s.RoundSerializer(created).data, status=status.HTTP_201_CREATED)


class RoundPublishView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        request=None,
        responses=s.RoundSerializer,
        summary="Publish a round: its year's values become public",
    )
    def post(self, request, pk):
        found = get_object_or_404(MonitoringRound, pk=pk)
        return Response(
            s.RoundSerializer(services.round_publish(user=request.user, round=found)).data
        )


class RoundItemsView(APIView):
    @extend_schema(
        responses=s.RoundItemsSerializer,
        summary="The items of the version in force the reader may write in a round",
    )
    def get(self, request, pk):
        found = get_object_or_404(MonitoringRound, pk=pk)
        if not selectors.visible_rounds(request.user, found.plan_id).filter(pk=pk).exists():
            raise Http404  # the public does not learn of an unpublished round
        items = selectors.items_for(request.user, found)
        return Response(s.RoundItemsSerializer(items).data)


# --- Actual values -----------------------------------------------------------------------


def _actual_serializer(user):
    return s.StaffActualSerializer if is_staff_member(user) else s.ActualSerializer


class IndicatorActualsView(APIView):
    @extend_schema(
        responses=s.StaffActualSerializer(many=True),
        summary="An indicator's actual values, year by year (entered_by for staff only)",
    )
    def get(self, request, pk):
        indicator = _visible(Indicator, request.user, pk)
        entries = selectors.actual_history(request.user, indicator)
        return Response(_actual_serializer(request.user)(entries, many=True).data)


class IndicatorActualView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=s.StaffActualSerializer, summary="An indicator's value of a year")
    def get(self, request, pk, year):
        indicator = _visible(Indicator, request.user, pk)
        entry = selectors.actual_history(request.user, indicator).filter(year=year).first()
        if entry is None:
            raise Http404
        return Response(_actual_serializer(request.user)(entry).data)

    @extend_schema(
        request=s.ActualInputSerializer,
        responses={200: s.StaffActualSerializer, 201: s.StaffActualSerializer},
        summary="Enter or correct an indicator's actual value of a year",
    )
    def put(self, request, pk, year):
        indicator = get_object_or_404(Indicator.objects.select_related("version"), pk=pk)
        data = _input(s.ActualInputSerializer, request)
        entry, created = services.actual_set(
            user=request.user,
            indicator=indicator,
            year=year,
            value=data["value"],
            note=data["note"],
            measured_on=data["measured_on"],
            source_note=data["source_note"],
            expected_revision=data.get("revision"),
        )
        return Response(
            _actual_serializer(request.user)(entry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Implementation of measures -----------------------------------------------------------


def _implementation_serializer(user):
    return s.StaffImplementationSerializer if is_staff_member(user) else s.ImplementationSerializer


class MeasureImplementationsView(APIView):
    @extend_schema(
        responses=s.StaffImplementationSerializer(many=True),
        summary="How a measure was carried out, year by year",
    )
    def get(self, request, pk):
        measure = _visible(Measure, request.user, pk)
        entries = selectors.implementation_history(request.user, measure)
        return Response(_implementation_serializer(request.user)(entries, many=True).data)


class MeasureImplementationView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        responses=s.StaffImplementationSerializer, summary="How a measure was carried out in a year"
    )
    def get(self, request, pk, year):
        measure = _visible(Measure, request.user, pk)
        entry = selectors.implementation_history(request.user, measure).filter(year=year).first()
        if entry is None:
            raise Http404
        return Response(_implementation_serializer(request.user)(entry).data)

    @extend_schema(
        request=s.ImplementationInputSerializer,
        responses={200: s.StaffImplementationSerializer, 201: s.StaffImplementationSerializer},
        summary="Enter or correct how a measure was carried out in a year",
    )
    def put(self, request, pk, year):
        measure = get_object_or_404(Measure.objects.select_related("version"), pk=pk)
        data = _input(s.ImplementationInputSerializer, request)
        entry, created = services.implementation_set(
            user=request.user,
            measure=measure,
            year=year,
            status=data["status"],
            note=data["note"],
            spent=data["spent"],
            expected_revision=data.get("revision"),
        )
        entry = selectors.implementation_history(request.user, measure).get(pk=entry.pk)
        return Response(
            _implementation_serializer(request.user)(entry).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


# --- Milestones ----------------------------------------------------------------------------


class MeasureMilestonesView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=s.MilestoneSerializer(many=True), summary="A measure's milestones")
    def get(self, request, pk):
        measure = _visible(Measure, request.user, pk)
        return Response(s.MilestoneSerializer(milestones.milestones_of(measure), many=True).data)

    @extend_schema(
        request=s.MilestoneInputSerializer,
        responses={201: s.MilestoneSerializer},
        summary="Add a milestone to a measure of the version in force",
    )
    def post(self, request, pk):
        measure = get_object_or_404(Measure.objects.select_related("version"), pk=pk)
        data = _input(s.MilestoneInputSerializer, request)
        created = milestones.milestone_save(user=request.user, measure=measure, **data)
        return Response(s.MilestoneSerializer(created).data, status=status.HTTP_201_CREATED)


class MilestoneView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _found(self, pk):
        found = get_object_or_404(Milestone, pk=pk)
        measure = milestones.measure_of(found)
        if measure is None:
            raise Http404
        return found, measure

    @extend_schema(
        request=s.MilestonePatchSerializer,
        responses=s.MilestoneSerializer,
        summary="Change a milestone (its title, planned date or date done)",
    )
    def patch(self, request, pk):
        found, measure = self._found(pk)
        data = _input(s.MilestonePatchSerializer, request)
        changed = milestones.milestone_save(
            user=request.user,
            measure=measure,
            milestone=found,
            title=data.get("title", found.title),
            due=data.get("due", found.due),
            done_on=data.get("done_on", found.done_on),
        )
        return Response(s.MilestoneSerializer(changed).data)

    @extend_schema(request=None, responses={204: None}, summary="Delete a milestone")
    def delete(self, request, pk):
        found, _measure = self._found(pk)
        milestones.milestone_delete(user=request.user, milestone=found)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Progress ------------------------------------------------------------------------------


class VersionProgressView(APIView):
    @extend_schema(
        responses=s.VersionProgressSerializer,
        summary="The progress of a version's nodes and indicators",
    )
    def get(self, request, pk):
        version = version_for_user(request.user, pk)
        result = selectors.version_progress(version, request.user)
        return Response(s.VersionProgressSerializer(s.progress_data(result)).data)
