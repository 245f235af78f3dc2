"""Viewsets of the plans API: parse, call one service or selector, answer.

Reads are scoped by ``selectors.visible_statuses``: drafts and versions under
council review exist only for staff and council members (anyone else gets 404,
as if they did not exist). Writes are for administration staff and go through
``plans.services``, which refuse a version that is not a draft (409) and a
stale ``revision`` (409 with the current one). ``planportal.api`` turns those
exceptions into answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import orjson
from django.db.models import Prefetch, ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from planportal.api import IsStaffMember, ReadOnlyOrStaff
from planportal.pagination import Pagination
from plans import services
from plans.api import filters, serializers, tree_document
from plans.diff import AgainstError, against_version, version_diff
from plans.levels import LEVELS
from plans.models import (
    FundingLine,
    FundingSource,
    Indicator,
    IndicatorTarget,
    Plan,
    PlanVersion,
    Unit,
)
from plans.selectors import versions_visible_to, visible_statuses
from plans.spreadsheets import (
    XLSX_CONTENT_TYPE,
    version_import,
    version_workbook,
    xlsx_response,
)
from plans.spreadsheets.files import upload_bytes

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The revision the change is based on, e.g. "3" (the ETag of a GET). '
    "A stale one is refused with 409.",
)
WRITE_SCHEMA = {
    "update": extend_schema(parameters=[IF_MATCH]),
    "partial_update": extend_schema(parameters=[IF_MATCH]),
    "destroy": extend_schema(parameters=[IF_MATCH]),
}


def requested_revision(request, body_revision: int | None) -> int | None:
    """The revision a write is based on: ``revision`` in the body, else If-Match.

    ``If-Match: *`` and no header at all mean "whatever is there now".
    """
    if body_revision is not None:
        return body_revision
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError:
        raise ValidationError(
            {"If-Match": [_('The If-Match header must carry a revision number, such as "3".')]}
        ) from None


class StillReferenced(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy(
        "Other records (such as a consultation) still refer to this version, so it cannot be "
        "deleted."
    )
    default_code = "still_referenced"


# What ETagMixin is mixed into, as mypy sees it (at run time it is a plain mixin).
if TYPE_CHECKING:
    from rest_framework.generics import GenericAPIView

    _ViewBase = GenericAPIView
else:
    _ViewBase = object


class ETagMixin(_ViewBase):
    """A GET of one object carries its revision as ETag, ready for If-Match."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = f'"{instance.revision}"'
        return response


# --- Reference data ---------------------------------------------------------------


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Departments and institutions that can be responsible for measures."""

    queryset = Unit.objects.order_by("name")
    serializer_class = serializers.UnitSerializer
    pagination_class = Pagination


class FundingSourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding sources; measures' funding lines name them by ``code``."""

    queryset = FundingSource.objects.order_by("position", "code")
    serializer_class = serializers.FundingSourceSerializer
    pagination_class = Pagination


# --- Plans and versions -------------------------------------------------------------


class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Plans, each with its version in force (``current_version``). Staff
    create a plan (without a version: its first draft is ``POST …/versions/``)."""

    serializer_class = serializers.PlanSerializer
    pagination_class = Pagination

    def get_permissions(self):
        if self.action == "create":
            return [IsStaffMember()]
        return super().get_permissions()

    @extend_schema(
        request=serializers.PlanCreateSerializer,
        responses={201: serializers.PlanSerializer},
        summary="Create a plan",
        description="A new plan with no version yet (`current_version` null); "
        "`POST /plans/{id}/versions/` creates its first, empty draft.",
    )
    def create(self, request, *args, **kwargs):
        serializer = serializers.PlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = services.plan_create(
            user=request.user, first_draft=False, **serializer.validated_data
        )
        plan = self.get_queryset().get(pk=plan.pk)  # with its versions in force: none
        return Response(serializers.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        approved = PlanVersion.objects.in_force()
        plans = Plan.objects.prefetch_related(
            Prefetch("versions", queryset=approved, to_attr="approved_versions")
        ).order_by("-period_start", "title")
        if self.action == "retrieve":
            visible = PlanVersion.objects.filter(
                status__in=visible_statuses(self.request.user)
            ).order_by("-number")
            plans = plans.prefetch_related(
                Prefetch("versions", queryset=visible, to_attr="visible_versions")
            )
        return plans

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.PlanDetailSerializer
        if self.action == "versions":
            return serializers.DraftCreateSerializer
        return serializers.PlanSerializer

    @extend_schema(
        request=serializers.DraftCreateSerializer,
        responses={201: serializers.VersionSummarySerializer},
        summary="Create a draft version",
        description="A new draft, copied from `source` or by default from the version in force.",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsStaffMember])
    def versions(self, request, pk=None):
        plan = self.get_object()
        serializer = serializers.DraftCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draft = services.version_create_draft(
            user=request.user,
            plan=plan,
            source=serializer.validated_data.get("source"),
            keep_years=serializer.validated_data.get("keep_years", False),
        )
        return Response(
            serializers.VersionSummarySerializer(draft).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={201: serializers.ImportedSerializer},
        summary="Import an XLSX workbook as a new draft",
        description="The workbook (multipart field `file`, the layout of "
        "`GET /api/v1/versions/{id}/xlsx/`) becomes a new draft based on the version in "
        "force. A bad workbook is a 400 whose `errors` name each bad cell (`sheet`, `row`, "
        "`column`, `message`, `text`); nothing is created then.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        permission_classes=[IsStaffMember],
        parser_classes=[MultiPartParser],
    )
    def import_workbook(self, request, pk=None):
        plan = self.get_object()
        draft = version_import(
            user=request.user, plan=plan, data=upload_bytes(request.FILES.get("file"))
        )
        return Response({"version": draft.pk}, status=status.HTTP_201_CREATED)


@extend_schema_view(
    partial_update=extend_schema(parameters=[IF_MATCH]), destroy=WRITE_SCHEMA["destroy"]
)
class VersionViewSet(
    ETagMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Versions of plans. Staff change a draft's vision and label (PATCH) or
    delete a draft; every other change of state has its own endpoint."""

    serializer_class = serializers.VersionSerializer
    permission_classes = [ReadOnlyOrStaff]
    filterset_class = filters.VersionFilter
    pagination_class = Pagination
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return versions_visible_to(self.request.user).order_by("plan", "-number")

    def dispatch(self, request, *args, **kwargs):
        # An anonymous reader of an immutable version gets its kept document
        # before DRF parses, authenticates and negotiates anything: no user,
        # so no permission to check, and the version is public.
        if self.action_map.get(request.method.lower()) == "tree":
            response = tree_document.anonymous_response(request, kwargs.get("pk"))
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def perform_update(self, serializer):
        version = serializer.instance
        data = serializer.validated_data
        serializer.instance = services.version_update(
            user=self.request.user,
            version=version,
            # Without a revision from the client, the one just read stands in:
            # last write wins, as for nodes.
            revision=requested_revision(self.request, data.get("revision")) or version.revision,
            vision=data.get("vision", version.vision),
            label=data.get("label", version.label),
        )

    def perform_destroy(self, instance):
        try:
            services.version_delete(
                user=self.request.user,
                version=instance,
                expected_revision=requested_revision(self.request, None),
            )
        except ProtectedError:
            raise StillReferenced() from None

    # The serializer describes the answer for the schema; the document itself
    # is built from rows and kept as bytes (plans/api/tree_document.py).
    @extend_schema(
        responses=serializers.VersionTreeSerializer, summary="The whole tree of a version"
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def tree(self, request, pk=None):
        version = self.get_object()
        body, etag = tree_document.document_bytes(version)
        if request.accepted_renderer.format != "json":
            # The browsable API renders the same document as a page.
            return Response(orjson.loads(body))
        return tree_document.json_response(
            body, etag, if_none_match=request.headers.get("If-None-Match", "")
        )

    @extend_schema(
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
        summary="The version as an XLSX workbook",
        description="Its tree with indicators, targets and funding; the layout the import reads.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def xlsx(self, request, pk=None):
        version = self.get_object()
        return xlsx_response(
            version_workbook(version), f"plan-{version.plan_id}-version-{version.number}.xlsx"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against",
                OpenApiTypes.INT,
                required=True,
                description="Id of the older version of the same plan to compare with.",
            )
        ],
        responses=serializers.VersionDiffSerializer,
        summary="What changed since another version",
        description="Nodes added, removed and changed in this version since `against`, "
        "matched by `key`, with word diffs of texts and funding totals per priority and source.",
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def diff(self, request, pk=None):
        version = self.get_object()
        try:
            against = against_version(request.user, version, request.query_params.get("against"))
        except AgainstError as error:
            raise ValidationError({"against": [str(error)]}) from None
        return Response(serializers.VersionDiffSerializer(version_diff(version, against)).data)


# --- Nodes -------------------------------------------------------------------------


class NodeViewSet(ETagMixin, viewsets.ModelViewSet):
    """The shared behaviour of priorities, goals, tasks and measures.

    A changed ``position`` or parent moves the node (and renumbers); every
    part of one request is written in one transaction or not at all.
    """

    level = ""
    permission_classes = [ReadOnlyOrStaff]
    pagination_class = Pagination

    @property
    def model(self):
        return LEVELS[self.level].model

    @property
    def parent_field(self) -> str:
        return LEVELS[self.level].parent_field

    @property
    def outline_order(self) -> list[str]:
        """Nodes are listed in outline order: by their ancestors' positions, then their own."""
        level = LEVELS[self.level]
        return [f"{level.lookup_to(ancestor)}__position" for ancestor in level.ancestors]

    def get_queryset(self):
        return self.model.objects.filter(
            version__status__in=visible_statuses(self.request.user)
        ).order_by("version", *self.outline_order, "position", "id")

    def split(self, data: dict) -> tuple[dict, dict]:
        """Service keyword arguments for the node's own fields, and the rest."""
        data = dict(data)
        extra = {
            name: data.pop(name)
            for name in ("position", "revision", self.parent_field, "co_executors", "funding")
            if name in data
        }
        return data, extra

    def perform_create(self, serializer):
        fields, extra = self.split(serializer.validated_data)
        node = services.node_create(
            user=self.request.user,
            level=self.level,
            parent=extra[self.parent_field],
            position=extra.get("position"),
            co_executors=extra.get("co_executors"),
            funding=extra.get("funding"),
            **fields,
        )
        serializer.instance = self.get_queryset().get(pk=node.pk)

    def perform_update(self, serializer):
        fields, extra = self.split(serializer.validated_data)
        if "co_executors" in extra:
            fields["co_executors"] = extra["co_executors"]
        node = services.node_save(
            user=self.request.user,
            node=serializer.instance,
            expected_revision=requested_revision(self.request, extra.get("revision")),
            fields=fields,
            parent=extra.get(self.parent_field),
            position=extra.get("position"),
            funding=extra.get("funding"),
        )
        serializer.instance = self.get_queryset().get(pk=node.pk)

    def perform_destroy(self, instance):
        services.node_delete(
            user=self.request.user,
            node=instance,
            expected_revision=requested_revision(self.request, None),
        )


@extend_schema_view(**WRITE_SCHEMA)
class PriorityViewSet(NodeViewSet):
    level = "priority"
    serializer_class = serializers.PrioritySerializer
    filterset_class = filters.node_filter_class(LEVELS["priority"])


@extend_schema_view(**WRITE_SCHEMA)
class GoalViewSet(NodeViewSet):
    level = "goal"
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.node_filter_class(LEVELS["goal"])


@extend_schema_view(**WRITE_SCHEMA)
class TaskViewSet(NodeViewSet):
    level = "task"
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.node_filter_class(LEVELS["task"])


@extend_schema_view(**WRITE_SCHEMA)
class MeasureViewSet(NodeViewSet):
    level = "measure"
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter

    def get_queryset(self):
        lines = FundingLine.objects.select_related("source").order_by(
            "year", "source__position", "source__code"
        )
        return (
            super()
            .get_queryset()
            .select_related("responsible_unit", "appropriation_manager")
            .prefetch_related("co_executors", "links", Prefetch("funding", queryset=lines))
        )


# Top first, one per level of plans.levels (plans/api/urls.py routes them).
NODE_VIEWSETS = (PriorityViewSet, GoalViewSet, TaskViewSet, MeasureViewSet)


# --- Indicators ---------------------------------------------------------------------


@extend_schema_view(**WRITE_SCHEMA)
class IndicatorViewSet(ETagMixin, viewsets.ModelViewSet):
    """Evaluation criteria of goals, tasks and measures, with yearly targets."""

    serializer_class = serializers.IndicatorSerializer
    permission_classes = [ReadOnlyOrStaff]
    filterset_class = filters.IndicatorFilter
    pagination_class = Pagination

    def get_queryset(self):
        targets = IndicatorTarget.objects.order_by("year")
        return (
            Indicator.objects.filter(version__status__in=visible_statuses(self.request.user))
            .prefetch_related(Prefetch("targets", queryset=targets))
            .order_by("version", "goal", "task", "measure", "position", "id")
        )

    def split(self, data: dict) -> tuple[dict, dict]:
        data = dict(data)
        extra = {
            name: data.pop(name)
            for name in ("revision", "targets", *serializers.INDICATOR_OWNERS)
            if name in data
        }
        return data, extra

    def perform_create(self, serializer):
        fields, extra = self.split(serializer.validated_data)
        owner = next(extra[name] for name in serializers.INDICATOR_OWNERS if extra.get(name))
        indicator = services.indicator_save(
            user=self.request.user, owner=owner, targets=extra.get("targets"), **fields
        )
        serializer.instance = self.get_queryset().get(pk=indicator.pk)

    def perform_update(self, serializer):
        fields, extra = self.split(serializer.validated_data)
        indicator = services.indicator_save(
            user=self.request.user,
            indicator=serializer.instance,
            revision=requested_revision(self.request, extra.get("revision")),
            targets=extra.get("targets"),
            **fields,
        )
        serializer.instance = self.get_queryset().get(pk=indicator.pk)

    def perform_destroy(self, instance):
        services.indicator_delete(
            user=self.request.user,
            indicator=instance,
            expected_revision=requested_revision(self.request, None),
        )
