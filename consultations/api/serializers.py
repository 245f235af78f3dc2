"""Serializers of the consultations API.

Public proposals carry the author's name only when the author chose to show
it ("Resident" otherwise) and never an e-mail address; a hidden proposal
carries the moderator's public reason instead of its text.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin
from plans.models import PlanVersion

from ..models import STATUS_LABELS, Consultation, Eldership, Proposal, ResponseStatus


class EldershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Eldership
        fields = ["id", "name"]


class ConsultationSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    plan = serializers.IntegerField(source="version.plan_id", read_only=True)
    # A plain string, not an enum: "state" must not clash with other
    # components' names in the OpenAPI schema.
    state = serializers.CharField(read_only=True, help_text="upcoming, open or closed")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Consultation
        fields = [
            "id",
            "version",
            "plan",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "state",
            "url",
        ]
        read_only_fields = ["id", "plan", "state", "url"]
        extra_kwargs = {"version": {"queryset": PlanVersion.objects.all()}}

    def get_url(self, consultation) -> str:
        return consultation.get_absolute_url()


class ConsultationExtendSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    ends_at = serializers.DateTimeField()


class ResponseSerializer(serializers.Serializer):
    status = serializers.CharField(help_text=", ".join(ResponseStatus.values))
    text = serializers.CharField()
    published_at = serializers.DateTimeField()


class PreparedResponseSerializer(ResponseSerializer):
    """An answer staff prepared: not public until ``published_at`` is set."""

    published_at = serializers.DateTimeField(allow_null=True)


class LinkSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    key = serializers.UUIDField()


class ProposalSerializer(serializers.ModelSerializer):
    target = serializers.UUIDField(source="target_key", read_only=True, allow_null=True)
    text = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(
        help_text="pending, hidden, withdrawn, or the published answer: "
        + ", ".join(ResponseStatus.values)
    )
    status_label = serializers.SerializerMethodField()
    response = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    eldership = serializers.SerializerMethodField()
    supports = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()
    changed_in = serializers.SerializerMethodField()
    number = serializers.IntegerField(
        source="public_number",
        read_only=True,
        help_text="The proposal's public number within its consultation, as the pages, "
        "the files and the e-mails show it (``id`` stays the API's key).",
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "number",
            "url",
            "consultation",
            "target",
            "target_code",
            "target_title",
            "text",
            "status",
            "status_label",
            "response",
            "author",
            "eldership",
            "supports",
            "hidden_reason",
            "changed_in",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields

    def get_url(self, proposal) -> str:
        return proposal.get_absolute_url()

    def get_text(self, proposal) -> str:
        return "" if proposal.hidden and not self.context.get("full") else proposal.text

    def get_status(self, proposal) -> str:
        return proposal.public_status

    def get_status_label(self, proposal) -> str:
        return str(STATUS_LABELS[proposal.public_status])

    @extend_schema_field(ResponseSerializer(allow_null=True))
    def get_response(self, proposal) -> dict | None:
        if not proposal.response_published_at or proposal.hidden:
            return None
        return {
            "status": proposal.response_status,
            "text": proposal.response_text,
            "published_at": serializers.DateTimeField().to_representation(
                proposal.response_published_at
            ),
        }

    def get_author(self, proposal) -> str:
        return proposal.author_display

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_eldership(self, proposal) -> str | None:
        return proposal.eldership.name if proposal.eldership_id else None

    def get_supports(self, proposal) -> int:
        return getattr(proposal, "support_count", 0)

    def get_hidden_reason(self, proposal) -> str:
        return proposal.hidden_reason if proposal.hidden else ""

    @extend_schema_field(LinkSerializer(allow_null=True))
    def get_changed_in(self, proposal) -> dict | None:
        if proposal.linked_version_id and proposal.linked_key and proposal.response_published_at:
            return {"version": proposal.linked_version_id, "key": str(proposal.linked_key)}
        return None


class RevisionSerializer(serializers.Serializer):
    text = serializers.CharField()
    written_at = serializers.DateTimeField()
    replaced_at = serializers.DateTimeField()
    replaced_by = serializers.SerializerMethodField(
        help_text="author (the proposal's author), or null once that account is deleted"
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_replaced_by(self, revision) -> str | None:
        # Only the author edits a proposal; who they are stays out of the
        # API, as in the rest of the staff view (the author's name is shown
        # only if they chose so).
        return "author" if revision.replaced_by_id is not None else None


class StaffProposalSerializer(ProposalSerializer):
    """What staff see besides the public fields: the prepared answer, reports,
    and the earlier texts of an edited proposal (the moderation record)."""

    prepared_response = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    revisions = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = ProposalSerializer.Meta.fields + ["prepared_response", "reports", "revisions"]
        read_only_fields = fields

    @extend_schema_field(RevisionSerializer(many=True))
    def get_revisions(self, proposal) -> list[dict]:
        return list(RevisionSerializer(proposal.revisions.all(), many=True).data)

    @extend_schema_field(PreparedResponseSerializer(allow_null=True))
    def get_prepared_response(self, proposal) -> dict | None:
        if not proposal.response_status:
            return None
        return {
            "status": proposal.response_status,
            "text": proposal.response_text,
            "published_at": serializers.DateTimeField().to_representation(
                proposal.response_published_at
            )
            if proposal.response_published_at
            else None,
        }

    def get_reports(self, proposal) -> int:
        return getattr(proposal, "report_count", None) or proposal.reports.count()


class ProposalInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = serializers.CharField(trim_whitespace=True, max_length=20000)
    target = serializers.UUIDField(
        required=False, allow_null=True, help_text="a node key; null for the whole plan"
    )
    show_name = serializers.BooleanField(required=False, default=False)
    eldership = serializers.PrimaryKeyRelatedField(
        queryset=Eldership.objects.all(), required=False, allow_null=True
    )
    # The honeypot: people never fill it (it is hidden in the form).
    website = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)


class ProposalEditSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    show_name = serializers.BooleanField(required=False)
    eldership = serializers.PrimaryKeyRelatedField(
        queryset=Eldership.objects.all(), required=False, allow_null=True
    )


class AnswerInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # A plain string checked by the service: an enum here would clash with
    # the other "status" enums in the schema's component names.
    status = serializers.CharField(help_text=", ".join(ResponseStatus.values))
    text = serializers.CharField()
    publish = serializers.BooleanField(
        required=False, default=True, help_text="false keeps the answer prepared, not yet public"
    )
    linked_version = serializers.PrimaryKeyRelatedField(
        queryset=PlanVersion.objects.all(), required=False, allow_null=True
    )
    linked_key = serializers.UUIDField(required=False, allow_null=True)


class ReasonSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class PublishedSerializer(serializers.Serializer):
    published = serializers.IntegerField()


class CountSerializer(serializers.Serializer):
    status = serializers.CharField(required=False)
    # DRF's metaclass takes declared fields out of the class, so this field
    # does not replace the serializer's own ``label`` attribute.
    label = serializers.CharField(required=False)  # type: ignore[assignment]
    code = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False)
    count = serializers.IntegerField(required=False)
    total = serializers.IntegerField(required=False)


class OutcomeSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    hidden = serializers.IntegerField(
        help_text="Proposals hidden by the moderator: neither in the rows nor in the counts."
    )
    by_status = CountSerializer(many=True)
    by_node = CountSerializer(many=True)
    by_eldership = CountSerializer(many=True)
