"""The consultations API (docs/api.md, "Consultations").

Thin: each endpoint parses its input and calls one service or selector. A
closed consultation, a second support or report is a 409; too many
proposals in an hour is a 429; bad input is a 400 naming the field: each
refusal carries its status, read by the one exception handler (planportal/api.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from planportal.ratelimit import client_address
from planportal.roles import is_staff_member
from planportal.schema import ErrorSerializer

from .. import selectors, services
from ..models import Proposal
from .serializers import (
    AnswerInputSerializer,
    ConsultationExtendSerializer,
    ConsultationSerializer,
    EldershipSerializer,
    OutcomeSerializer,
    ProposalEditSerializer,
    ProposalInputSerializer,
    ProposalSerializer,
    PublishedSerializer,
    ReasonSerializer,
    StaffProposalSerializer,
)


def _input(serializer_class, request) -> dict:
    """The request's body checked by ``serializer_class`` (a 400 naming the field otherwise)."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ConsultationPermission(permissions.BasePermission):
    """Anyone reads; residents post proposals; staff do the rest."""

    message = gettext_lazy("Only administration staff may do this.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "proposals":
            return bool(request.user and request.user.is_authenticated)
        return is_staff_member(request.user)


class ConsultationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Public consultations of draft plan versions. Staff open and extend them."""

    serializer_class = ConsultationSerializer
    permission_classes = [ConsultationPermission]
    filterset_fields = ["version"]

    def get_queryset(self):
        return selectors.consultations_list()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.consultation_open(
            # ConsultationPermission let only staff (signed in) this far.
            user=self.request.user,  # type: ignore[arg-type]
            version=data["version"],
            title=data["title"],
            description=data.get("description", ""),
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )

    @extend_schema(
        request=ConsultationExtendSerializer,
        responses=ConsultationSerializer,
        summary="Extend a consultation (a later end)",
    )
    def partial_update(self, request, pk=None):
        consultation = self.get_object()
        values = _input(ConsultationExtendSerializer, request)
        consultation = services.consultation_extend(
            user=request.user, consultation=consultation, ends_at=values["ends_at"]
        )
        return Response(ConsultationSerializer(consultation).data)

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("target", str, description="a node key, or 'plan' for the whole plan"),
            OpenApiParameter("status", str, description="pending, hidden or an answer status"),
        ],
        responses=ProposalSerializer(many=True),
        summary="Public proposals of a consultation",
    )
    @extend_schema(
        methods=["POST"],
        request=ProposalInputSerializer,
        # 429: the abuse limits per account and per address (settings.py).
        responses={201: ProposalSerializer, 429: ErrorSerializer},
        summary="Submit a proposal (logged-in residents)",
        examples=[
            OpenApiExample(
                "On the whole plan",
                value={"text": "Siūlau įrengti dviračių takus prie mokyklų.", "target": None},
                request_only=True,
            )
        ],
    )
    @action(detail=True, methods=["get", "post"])
    def proposals(self, request, pk=None):
        consultation = self.get_object()
        if request.method == "GET":
            queryset = selectors.public_proposals(
                consultation,
                target=request.query_params.get("target", ""),
                status=request.query_params.get("status", ""),
            )
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(ProposalSerializer(page, many=True).data)
        values = _input(ProposalInputSerializer, request)
        proposal = services.proposal_submit(
            user=request.user,
            consultation=consultation,
            text=values["text"],
            target=values.get("target"),
            show_name=values.get("show_name", False),
            eldership=values.get("eldership"),
            address=client_address(request),
            honeypot=values.get("website", ""),
        )
        proposal = selectors.proposal_for_user(request.user, proposal.pk)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OutcomeSerializer, summary="Counts by status, node and eldership")
    @action(detail=True, methods=["get"])
    def outcome(self, request, pk=None):
        data = selectors.outcome(self.get_object())
        return Response(OutcomeSerializer(data).data)

    @extend_schema(
        request=None, responses=PublishedSerializer, summary="Publish every prepared answer"
    )
    @action(detail=True, methods=["post"], url_path="publish-answers")
    def publish_answers(self, request, pk=None):
        count = services.answers_publish(user=request.user, consultation=self.get_object())
        return Response({"published": count})


class ProposalPermission(permissions.BasePermission):
    message = gettext_lazy("Only administration staff may do this.")
    STAFF_ACTIONS = {"response", "publish", "hide", "unhide"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS and view.action != "mine":
            return True
        if view.action in self.STAFF_ACTIONS:
            return is_staff_member(request.user)
        return bool(request.user and request.user.is_authenticated)


class ProposalViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One proposal: its author edits or withdraws it, others support or
    report it, staff answer and moderate it."""

    serializer_class = ProposalSerializer
    permission_classes = [ProposalPermission]
    queryset = Proposal.objects.none()

    def get_object(self):
        proposal = selectors.proposal_for_user(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, proposal)
        return proposal

    def _answer(self, proposal, code=status.HTTP_200_OK):
        proposal = selectors.proposal_for_user(self.request.user, proposal.pk)
        if is_staff_member(self.request.user):
            return Response(
                StaffProposalSerializer(proposal, context={"full": True}).data, status=code
            )
        own = proposal.is_authored_by(self.request.user)
        return Response(ProposalSerializer(proposal, context={"full": own}).data, status=code)

    def retrieve(self, request, pk=None):
        return self._answer(self.get_object())

    @extend_schema(
        request=ProposalEditSerializer,
        responses=ProposalSerializer,
        summary="Edit one's proposal while the consultation is open",
    )
    def partial_update(self, request, pk=None):
        values = _input(ProposalEditSerializer, request)
        proposal = services.proposal_edit(
            user=request.user,
            proposal=self.get_object(),
            text=values["text"],
            show_name=values.get("show_name"),
            eldership=values["eldership"] if "eldership" in values else ...,
        )
        return self._answer(proposal)

    @extend_schema(
        responses=ProposalSerializer(many=True), summary="The logged-in resident's own proposals"
    )
    @action(detail=False, methods=["get"])
    def mine(self, request):
        page = self.paginate_queryset(selectors.proposals_of(request.user))
        return self.get_paginated_response(
            ProposalSerializer(page, many=True, context={"full": True}).data
        )

    @extend_schema(request=None, responses=ProposalSerializer, summary="Withdraw one's proposal")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(
            services.proposal_withdraw(user=request.user, proposal=self.get_object())
        )

    @extend_schema(
        methods=["POST"],
        request=None,
        responses={201: ProposalSerializer},
        summary="Support (pritariu)",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses=ProposalSerializer,
        summary="Take one's support back",
    )
    @action(detail=True, methods=["post", "delete"])
    def support(self, request, pk=None):
        proposal = self.get_object()
        if request.method == "DELETE":
            services.proposal_unsupport(user=request.user, proposal=proposal)
            return self._answer(proposal)
        services.proposal_support(user=request.user, proposal=proposal)
        return self._answer(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=ReasonSerializer,
        responses={201: ProposalSerializer},
        summary="Report to the moderators",
    )
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        values = _input(ReasonSerializer, request)
        proposal = self.get_object()
        services.proposal_report(user=request.user, proposal=proposal, reason=values["reason"])
        return self._answer(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=AnswerInputSerializer,
        responses=StaffProposalSerializer,
        examples=[
            OpenApiExample(
                "Accepted",
                value={"status": "accepted", "text": "Pasiūlymas įtrauktas į planą."},
                request_only=True,
            )
        ],
        summary="Answer a proposal (staff); published at once unless publish is false",
    )
    @action(detail=True, methods=["post"])
    # The action's name (its URL, and ProposalPermission.STAFF_ACTIONS) shadows
    # APIView.response, which dispatch() sets only after the handler has run.
    def response(self, request, pk=None):  # type: ignore[override]
        values = _input(AnswerInputSerializer, request)
        proposal = services.proposal_answer(
            user=request.user,
            proposal=self.get_object(),
            status=values["status"],
            text=values["text"],
            publish=values.get("publish", True),
            linked_version=values.get("linked_version"),
            linked_key=values.get("linked_key"),
        )
        return self._answer(proposal)

    @extend_schema(
        request=None, responses=StaffProposalSerializer, summary="Publish a prepared answer"
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(services.answer_publish(user=request.user, proposal=self.get_object()))

    @extend_schema(
        request=ReasonSerializer,
        responses=StaffProposalSerializer,
        summary="Hide with a public reason",
    )
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        values = _input(ReasonSerializer, request)
        return self._answer(
            services.proposal_hide(
                user=request.user, proposal=self.get_object(), reason=values["reason"]
            )
        )

    @extend_schema(
        request=None, responses=StaffProposalSerializer, summary="Show a hidden proposal again"
    )
    @action(detail=True, methods=["post"])
    def unhide(self, request, pk=None):
        return self._answer(services.proposal_unhide(user=request.user, proposal=self.get_object()))


class EldershipViewSet(viewsets.ReadOnlyModelViewSet):
    """The municipality's elderships (seniūnijos), for a proposal's optional field."""

    serializer_class = EldershipSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.elderships()
