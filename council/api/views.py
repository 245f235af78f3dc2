"""API of council review and votes: submit, take back, votings, ballots, decision.

Thin: each endpoint parses its input and calls one function of council/services.py,
which checks the role and the state again. An action the state forbids
(voting on a closed voting, submitting an approved version) answers 409, like
every refusal through the one exception handler (planportal/api.py).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from council import selectors, services
from council.models import BallotChoice, Voting
from planportal.api import IsStaffMember, RejectUnknownFieldsMixin
from planportal.roles import is_council_member, is_staff_member
from plans.models import PlanVersion
from reports.models import Report


class IsCouncilMember(permissions.BasePermission):
    message = gettext_lazy("Only council members can vote.")

    def has_permission(self, request, view):
        return is_council_member(request.user)


class ReviewVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "number",
            "status",
            "approved_at",
            "decision_number",
            "decision_date",
        ]
        read_only_fields = fields


class WithdrawSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DecisionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    number = serializers.CharField(max_length=50)
    date = serializers.DateField()
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "Why a decision recorded already is corrected; without it a second "
            "decision is refused with 409 decision_recorded."
        ),
    )


CONFIRM_STALE_HELP = gettext_lazy(
    "The id of the version in force, to confirm submitting or approving a version "
    "copied from an older one (409 stale_base names it)."
)


class SubmitSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    confirm_stale = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=CONFIRM_STALE_HELP
    )


class VotingCloseSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Closing may record the council's decision at once: both fields, or neither."""

    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    date = serializers.DateField(required=False, allow_null=True)
    confirm_stale = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=CONFIRM_STALE_HELP
    )

    def validate(self, attrs):
        if attrs.get("number") or attrs.get("date"):
            missing = [name for name in ("number", "date") if not attrs.get(name)]
            if missing:
                raise serializers.ValidationError(
                    {name: [self.fields[name].error_messages["required"]] for name in missing}
                )
        return attrs


class BallotInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    choice = serializers.ChoiceField(choices=BallotChoice.choices)


class BallotSerializer(serializers.Serializer):
    voting = serializers.IntegerField(source="voting_id")
    choice = serializers.CharField()
    changed_at = serializers.DateTimeField()


class RollEntrySerializer(serializers.Serializer):
    member = serializers.CharField()
    choice = serializers.CharField()


# "for" is a Python keyword, so this serializer is built with type() to give
# the API (and its schema) the field name the contract uses.
ResultSerializer = type(
    "ResultSerializer",
    (serializers.Serializer,),
    {
        "for": serializers.IntegerField(source="votes_for"),
        "against": serializers.IntegerField(source="votes_against"),
        "abstain": serializers.IntegerField(source="votes_abstain"),
        "did_not_vote": serializers.IntegerField(),
        "council_size": serializers.IntegerField(),
        "passed": serializers.BooleanField(),
        "ballots": RollEntrySerializer(many=True, source="roll"),
        "__module__": __name__,
    },
)


class VotingSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """A voting on a version or on a yearly report: exactly one of the two."""

    # A plain string: an enum here would clash with the versions' "status" in
    # the OpenAPI schema's component names.
    status = serializers.CharField(read_only=True, help_text="open or closed")
    result = serializers.SerializerMethodField()

    class Meta:
        model = Voting
        fields = [
            "id",
            "version",
            "report",
            "status",
            "deadline",
            "opened_at",
            "closed_at",
            "result",
        ]
        read_only_fields = ["id", "status", "opened_at", "closed_at", "result"]
        extra_kwargs = {
            "version": {"queryset": PlanVersion.objects.all(), "required": False},
            "report": {
                "queryset": Report.objects.all(),
                "required": False,
                "help_text": gettext_lazy(
                    "The yearly implementation report voted on (instead of a version)."
                ),
            },
        }

    def validate(self, attrs):
        if (attrs.get("version") is None) == (attrs.get("report") is None):
            raise serializers.ValidationError(
                {
                    "report": [
                        gettext_lazy("Give either a version or a report to vote on, not both.")
                        if attrs.get("version") is not None
                        else gettext_lazy("Give the version or the report to vote on.")
                    ]
                }
            )
        return attrs

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, voting) -> dict | None:
        if voting.is_open:
            return None
        return ResultSerializer(voting).data


def _version_response(version):
    return Response(ReviewVersionSerializer(version).data)


class VersionSubmitView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        request=SubmitSerializer,
        responses=ReviewVersionSerializer,
        summary="Submit a version to the council",
    )
    def post(self, request, pk):
        version = get_object_or_404(PlanVersion, pk=pk)
        data = SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _version_response(
            services.version_submit(
                user=request.user,
                version=version,
                confirm_stale=data.validated_data.get("confirm_stale"),
            )
        )


class VersionWithdrawView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        request=WithdrawSerializer,
        responses=ReviewVersionSerializer,
        summary="Take a version back for revision",
    )
    def post(self, request, pk):
        version = get_object_or_404(PlanVersion, pk=pk)
        data = WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _version_response(
            services.version_withdraw(
                user=request.user, version=version, reason=data.validated_data["reason"]
            )
        )


class VersionDecisionView(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        request=DecisionSerializer,
        responses=ReviewVersionSerializer,
        summary="Record the council decision",
    )
    def post(self, request, pk):
        version = get_object_or_404(PlanVersion, pk=pk)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _version_response(
            services.version_record_decision(
                user=request.user,
                version=version,
                number=data.validated_data["number"],
                date=data.validated_data["date"],
                reason=data.validated_data.get("reason", ""),
            )
        )


class VotingPermission(permissions.BasePermission):
    message = gettext_lazy("Only administration staff may do this.")

    def has_permission(self, request, view):
        if view.action in {"list", "retrieve"}:
            return True
        if view.action == "ballots":
            return True  # IsCouncilMember on the action says who
        return is_staff_member(request.user)


class VotingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Council votings on versions and on yearly reports. Staff open and
    close them; council members cast ballots; the public reads the closed
    votings of approved and superseded versions and reports, with their
    roll call."""

    serializer_class = VotingSerializer
    permission_classes = [VotingPermission]
    filterset_fields = ["version", "report", "status"]

    def get_queryset(self):
        return selectors.votings_visible_to(self.request.user).order_by("-opened_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.voting_open(
            # VotingPermission let only staff (signed in) this far.
            user=self.request.user,  # type: ignore[arg-type]
            version=data.get("version"),
            report=data.get("report"),
            deadline=data.get("deadline"),
        )

    @extend_schema(
        request=BallotInputSerializer,
        responses=BallotSerializer,
        examples=[OpenApiExample("For", value={"choice": "for"}, request_only=True)],
        summary="Cast or change one's ballot",
    )
    @action(detail=True, methods=["post"], permission_classes=[IsCouncilMember])
    def ballots(self, request, pk=None):
        voting = self.get_object()
        data = BallotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot, created = services.ballot_cast(
            user=request.user, voting=voting, choice=data.validated_data["choice"]
        )
        return Response(
            BallotSerializer(ballot).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=VotingCloseSerializer,
        responses=VotingSerializer,
        examples=[
            OpenApiExample(
                "With the council's decision",
                value={"number": "TS-112", "date": "2026-03-26"},
                request_only=True,
            )
        ],
        summary="Close the voting",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        voting = self.get_object()
        data = VotingCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        voting = services.voting_close(
            user=request.user,
            voting=voting,
            decision_number=data.validated_data.get("number") or "",
            decision_date=data.validated_data.get("date"),
            confirm_stale=data.validated_data.get("confirm_stale"),
        )
        return Response(VotingSerializer(voting).data)
