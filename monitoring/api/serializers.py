"""Shapes of the monitoring API (docs/monitoring/api.md)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin

from ..models import ImplementationStatus, MonitoringRound

IMPLEMENTATION_STATUS_HELP = "One of: " + ", ".join(ImplementationStatus.values)
REVISION_HELP = (
    "The revision of the stored entry this change is based on (optimistic locking): "
    "if someone changed it since, the answer is 409 stale_revision and nothing is written."
)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "string"}]})
class NumberField(serializers.CharField):
    """A number as JSON number or text (``12,5`` with a decimal comma, too);
    the service checks it (400 ``invalid`` naming the field)."""


# --- Rounds --------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    # A plain string: an enum here would clash with other "status" enums in
    # the schema's component names.
    status = serializers.CharField(read_only=True, help_text="open or published")

    class Meta:
        model = MonitoringRound
        fields = ["id", "year", "status", "due"]
        read_only_fields = fields


class RoundInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2200)
    due = serializers.DateField()


class RoundItemsSerializer(serializers.Serializer):
    indicators = serializers.ListField(child=serializers.IntegerField())
    measures = serializers.ListField(child=serializers.IntegerField())


# --- Actual values -------------------------------------------------------------------


class ActualInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    value = NumberField(max_length=40)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    measured_on = serializers.DateField(required=False, allow_null=True, default=None)
    source_note = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    revision = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=REVISION_HELP
    )


class ActualSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    note = serializers.CharField()
    measured_on = serializers.DateField(allow_null=True)
    source_note = serializers.CharField()
    entered_at = serializers.DateTimeField()
    revision = serializers.IntegerField()


class StaffActualSerializer(ActualSerializer):
    """Staff also see who entered a value (residents see only that it was entered)."""

    entered_by = serializers.SerializerMethodField()

    def get_entered_by(self, entry) -> str | None:
        return _name(entry.entered_by)


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


# --- Implementation of measures ------------------------------------------------------


class SpentInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # A field named like DRF's Field.source attribute (mypy sees the clash).
    source = serializers.CharField(  # type: ignore[assignment]
        max_length=50, help_text="The funding source's code (SB, ES …) or id."
    )
    amount = NumberField(max_length=40)

    def validate_source(self, value: str) -> str | int:
        return int(value) if value.isdigit() else value


class ImplementationInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Checked by the service; a plain string because an enum would clash with
    # other "status" enums in the schema's component names.
    status = serializers.CharField(max_length=20, help_text=IMPLEMENTATION_STATUS_HELP)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    spent = SpentInputSerializer(many=True, required=False, allow_null=True, default=None)
    revision = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=REVISION_HELP
    )


class SpentSerializer(serializers.Serializer):
    source = serializers.CharField(source="source.code")  # type: ignore[assignment]  # as above
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ImplementationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.CharField(help_text=IMPLEMENTATION_STATUS_HELP)
    note = serializers.CharField()
    spent = SpentSerializer(many=True, source="spent.all")
    entered_at = serializers.DateTimeField()
    revision = serializers.IntegerField()


class StaffImplementationSerializer(ImplementationSerializer):
    entered_by = serializers.SerializerMethodField()

    def get_entered_by(self, entry) -> str | None:
        return _name(entry.entered_by)


# --- Milestones ----------------------------------------------------------------------


class MilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due = serializers.DateField(allow_null=True, help_text="The planned date.")
    done_on = serializers.DateField(allow_null=True, help_text="When it was done (null: not yet).")
    position = serializers.IntegerField()


class MilestoneInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # Checked by the service too (blank title, a done date in the future).
    title = serializers.CharField(max_length=500)
    due = serializers.DateField(required=False, allow_null=True, default=None)
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class MilestonePatchSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    due = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)


# --- Progress ------------------------------------------------------------------------

PROGRESS_HELP = "From 0 to 1, or null without data."
STATUS_HELP = "on_track, at_risk, off_track, no_data or completed"


class ProgressNodeSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    code = serializers.CharField()
    level = serializers.CharField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    status = serializers.CharField(help_text=STATUS_HELP)


class ProgressActualSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=18, decimal_places=4)


class ProgressIndicatorSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    status = serializers.CharField(help_text=STATUS_HELP)
    actuals = ProgressActualSerializer(many=True)


class VersionProgressSerializer(serializers.Serializer):
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    nodes = ProgressNodeSerializer(many=True)
    indicators = ProgressIndicatorSerializer(many=True)


def progress_data(result) -> dict:
    """The body of ``GET /versions/{id}/progress/`` from a ``VersionProgress``."""
    return {
        "progress": result.progress,
        "nodes": [
            {
                "key": node.key,
                "code": node.code,
                "level": node.tree_level.name,
                "progress": result.of(node).progress,
                "status": result.of(node).status,
            }
            for node in result.tree.iter_nodes()
        ],
        "indicators": [
            {
                "key": item.indicator.key,
                "progress": item.progress,
                "status": item.status,
                "actuals": [{"year": a.year, "value": a.value} for a in item.actuals],
            }
            for item in result.indicators.values()
        ],
    }
