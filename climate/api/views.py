"""The climate API: parse, call one service or selector, answer.

Reads are public (published inventories and the action plan; staff see
draft inventories too); writes are for administration staff, checked here
and again in the services.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from planportal.api import ReadOnlyOrStaff

from .. import selectors, services
from ..models import Inventory, SeapMeasure, Target
from . import serializers


class InventoryViewSet(viewsets.GenericViewSet):
    """Emission inventories (BEI and MEI) with Table B computed."""

    permission_classes = [ReadOnlyOrStaff]
    serializer_class = serializers.InventoryWriteSerializer
    queryset = Inventory.objects.all()  # for the schema (the id's type); reads go through selectors
    filter_backends: list = []

    def _get(self, pk) -> Inventory:
        # A draft is a 404 for anyone but staff, on reads and writes alike.
        return selectors.visible_inventory(user=self.request.user, pk=pk)

    @extend_schema(
        responses=serializers.InventorySerializer(many=True),
        operation_id="climate_inventories_list",
    )
    def list(self, request):
        # Paginated like every other list (docs/api.md, "Pagination"): Table B
        # is computed for the inventories of this page only.
        # The viewset's pagination class is always set: a page, never None.
        page = self.paginate_queryset(selectors.inventory_list(user=request.user)) or []
        reports = selectors.inventory_reports(page)
        return self.get_paginated_response(
            [serializers.inventory_payload(reports[i.pk]) for i in page]
        )

    @extend_schema(responses=serializers.InventorySerializer)
    def retrieve(self, request, pk=None):
        return Response(serializers.inventory_payload(selectors.inventory_report(self._get(pk))))

    @extend_schema(
        request=serializers.InventoryWriteSerializer,
        responses={201: serializers.InventorySerializer},
        examples=[
            OpenApiExample(
                "A monitoring inventory",
                value={"year": 2016, "kind": "monitoring", "population": 88400},
                request_only=True,
            )
        ],
    )
    def create(self, request):
        data = serializers.InventoryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        inventory = services.inventory_create(
            user=request.user,
            year=values["year"],
            kind=values["kind"],
            population=values["population"],
            approach=values["approach"],
            note=values.get("note", ""),
        )
        payload = serializers.inventory_payload(selectors.inventory_report(inventory))
        return Response(payload, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.InventoryWriteSerializer(partial=True),
        responses=serializers.InventorySerializer,
    )
    def partial_update(self, request, pk=None):
        inventory = self._get(pk)
        current = {
            "year": inventory.year,
            "kind": inventory.kind,
            "population": inventory.population,
            "approach": inventory.approach,
        }
        if not isinstance(request.data, dict):
            raise ValidationError(_("Send an object with the fields to change."))
        data = serializers.InventoryWriteSerializer(data={**current, **request.data})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.inventory_update(
            user=request.user,
            inventory=inventory,
            year=values["year"],
            kind=values["kind"],
            population=values["population"],
            approach=values["approach"],
            heat_import_co2_t=values.get("heat_import_co2_t"),
            heat_export_co2_t=values.get("heat_export_co2_t"),
            note=values.get("note"),
        )
        inventory.refresh_from_db()
        return Response(serializers.inventory_payload(selectors.inventory_report(inventory)))

    def destroy(self, request, pk=None):
        services.inventory_delete(user=request.user, inventory=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["PUT"],
        request=serializers.CellSerializer(many=True),
        responses=serializers.InventorySerializer,
        examples=[
            OpenApiExample(
                "Two cells",
                value=[
                    {"sector": "residential", "carrier": "electricity", "mwh": "98000"},
                    {"sector": "private_transport", "carrier": "diesel", "mwh": "365000"},
                ],
                request_only=True,
            )
        ],
        summary="Replace Table A (final energy consumption, MWh)",
    )
    @extend_schema(methods=["GET"], responses=serializers.CellSerializer(many=True))
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="consumption",
        url_name="consumption",
        pagination_class=None,
    )
    def consumption(self, request, pk=None):
        inventory = self._get(pk)
        if request.method == "PUT":
            cells = services.clean_cells(request.data)
            services.consumption_replace(user=request.user, inventory=inventory, cells=cells)
            return Response(serializers.inventory_payload(selectors.inventory_report(inventory)))
        report = selectors.inventory_report(inventory)
        return Response(serializers.inventory_payload(report)["consumption"])

    @extend_schema(
        request=None,
        responses=serializers.InventorySerializer,
        summary="Publish a draft inventory (409 when it is published already)",
    )
    @action(detail=True, methods=["post"], url_path="publish", url_name="publish")
    def publish(self, request, pk=None):
        inventory = services.inventory_publish(user=request.user, inventory=self._get(pk))
        return Response(serializers.inventory_payload(selectors.inventory_report(inventory)))

    @extend_schema(
        methods=["PUT"],
        request=OpenApiTypes.OBJECT,
        responses=serializers.InventoryFactorsSerializer,
        examples=[
            OpenApiExample(
                "Own factors",
                value={"electricity": "0.141", "natural_gas": "0.202"},
                request_only=True,
            )
        ],
        summary="Replace this inventory's own emission factors {carrier: t CO2/MWh}",
    )
    @extend_schema(methods=["GET"], responses=serializers.InventoryFactorsSerializer)
    @action(
        detail=True,
        methods=["get", "put"],
        url_path="factors",
        url_name="factors",
        pagination_class=None,
    )
    def factors(self, request, pk=None):
        inventory = self._get(pk)
        if request.method == "PUT":
            factors = services.clean_factors(request.data)
            services.factors_replace(user=request.user, inventory=inventory, factors=factors)
        payload = serializers.inventory_payload(selectors.inventory_report(inventory))
        return Response({"factors": payload["factors"], "overrides": payload["factor_overrides"]})


class SeapMeasureViewSet(viewsets.ModelViewSet):
    """Measures of the sustainable energy action plan (SEAP)."""

    permission_classes = [ReadOnlyOrStaff]
    serializer_class = serializers.SeapMeasureSerializer
    queryset = SeapMeasure.objects.select_related("plan")  # ordered by position, pk (Meta)
    filterset_fields = ["sector", "plan"]

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        measures = list(page if page is not None else queryset)
        selectors._plan_measures_for(measures)
        selectors.attach_progress(measures)
        return page

    def get_object(self):
        obj = super().get_object()
        selectors._plan_measures_for([obj])
        selectors.attach_progress([obj])
        return obj

    def _fields(self, data):
        fields = {k: v for k, v in data.items() if k not in {"plan", "measure_key"}}
        return data.get("plan"), data.get("measure_key"), fields

    def perform_create(self, serializer):
        plan, key, fields = self._fields(serializer.validated_data)
        serializer.instance = services.seap_measure_create(
            user=self.request.user, plan=plan, measure_key=key, **fields
        )
        selectors._plan_measures_for([serializer.instance])
        selectors.attach_progress([serializer.instance])

    def perform_update(self, serializer):
        current = serializer.instance
        data = serializer.validated_data
        plan = data["plan"] if "plan" in data else current.plan
        key = data["measure_key"] if "measure_key" in data else current.measure_key
        _p, _k, fields = self._fields(data)
        serializer.instance = services.seap_measure_update(
            user=self.request.user, measure=current, plan=plan, measure_key=key, **fields
        )
        selectors._plan_measures_for([serializer.instance])
        selectors.attach_progress([serializer.instance])

    def perform_destroy(self, instance):
        services.seap_measure_delete(user=self.request.user, measure=instance)

    @extend_schema(
        request=serializers.SeapProgressSerializer,
        responses={
            200: serializers.SeapProgressSerializer,
            201: serializers.SeapProgressSerializer,
        },
        examples=[
            OpenApiExample(
                "Achieved in a year",
                value={
                    "status": "in_progress",
                    "energy_saving_mwh": "1200",
                    "renewable_mwh": "0",
                    "co2_reduction_t": "240",
                    "note": "",
                },
                request_only=True,
            )
        ],
    )
    @action(
        detail=True,
        methods=["put"],
        url_path="progress/<int:year>",
        url_name="progress",
        pagination_class=None,
    )
    def progress(self, request, pk=None, year=None):
        """What the measure achieved in ``year`` (staff): 201 new, 200 replaced."""
        measure = get_object_or_404(SeapMeasure, pk=pk)
        data = serializers.SeapProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, created = services.seap_progress_set(
            user=request.user, measure=measure, year=int(year), **data.validated_data
        )
        return Response(
            serializers.SeapProgressSerializer(row).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TargetView(APIView):
    """The reduction target against the baseline."""

    permission_classes = [ReadOnlyOrStaff]
    serializer_class = serializers.ClimateTargetSerializer

    def get(self, request):
        target = Target.objects.first()
        if target is None:
            return Response(
                {"detail": _("No reduction target has been set yet.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(serializers.ClimateTargetSerializer(target).data)

    def put(self, request):
        data = serializers.ClimateTargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.target_set(user=request.user, **data.validated_data)
        return Response(serializers.ClimateTargetSerializer(target).data)
