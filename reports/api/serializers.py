"""Shapes of the reports API (docs/reports/api.md).

A report's content is the plain dict of reports/snapshot.py (frozen at
submission, computed live for a draft); the output serializers here only
describe it for the schema and pick what the contract names. Numbers keep
the snapshot's form: decimals as strings, progress a float 0…1 or null.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin
from planportal.years import YEAR_MAX, YEAR_MIN

from .. import snapshot as snapshots
from ..models import Report, ReportEvent, ReportStatus
from ..narratives import NARRATIVE_MAX_LENGTH, to_text
from ..services import REASON_MAX_LENGTH

PROGRESS_HELP = "From 0 to 1, or null without data."
PROGRESS_STATUS_HELP = "on_track, at_risk, off_track, no_data or completed"
NUMBER_HELP = "A decimal as a string, or null."
SECTION_HELP = "summary, priority:<key> or goal:<key> (the node's key)."


# --- Input --------------------------------------------------------------------------


class ReportCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)


class ReportSubmitSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """Submitting takes no fields: anything sent is refused rather than ignored."""


class ReportReasonSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class ReportApproveSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    decision_number = serializers.CharField(max_length=50)
    decision_date = serializers.DateField()


class ReportDecisionInputSerializer(ReportApproveSerializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why a decision recorded already is corrected (required for a correction).",
    )


class ReportNarrativeInputSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    text = serializers.CharField(
        max_length=NARRATIVE_MAX_LENGTH,
        allow_blank=True,
        trim_whitespace=False,
        help_text=(
            "Plain text (a blank line starts a paragraph, '- ' a bulleted and '1. ' a "
            "numbered list) or HTML, stored sanitised; blank removes the narrative."
        ),
    )


# --- A report in a list, and the answer of every step -----------------------------------


class ReportDecisionSerializer(serializers.Serializer):
    number = serializers.CharField(source="decision_number")
    date = serializers.DateField(source="decision_date", allow_null=True)


class ReportSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "plan",
            "year",
            "revision",
            "status",
            "version",
            "round",
            "reason",
            "replaces",
            "created_at",
            "submitted_at",
            "approved_at",
            "decision",
        ]
        read_only_fields = fields

    @extend_schema_field(ReportDecisionSerializer(allow_null=True))
    def get_decision(self, report) -> dict | None:
        """The council decision's number and date, once one is recorded."""
        if not (report.decision_number or report.decision_date):
            return None
        return ReportDecisionSerializer(report).data


# --- The content of a report ------------------------------------------------------------


class ReportSeriesPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.CharField(allow_null=True, help_text=NUMBER_HELP)
    actual = serializers.CharField(allow_null=True, help_text=NUMBER_HELP)


class ReportIndicatorSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    level = serializers.CharField(help_text="goal, task or measure: where the indicator sits.")
    node_code = serializers.CharField()
    baseline = serializers.CharField(allow_null=True, help_text=NUMBER_HELP)
    baseline_year = serializers.IntegerField(allow_null=True)
    target = serializers.CharField(allow_null=True, help_text="The final target. " + NUMBER_HELP)
    target_year = serializers.IntegerField(allow_null=True)
    year_target = serializers.CharField(
        allow_null=True, help_text="The target of the report's year. " + NUMBER_HELP
    )
    actual = serializers.CharField(
        allow_null=True, help_text="The latest actual value up to the report's year. " + NUMBER_HELP
    )
    actual_year = serializers.IntegerField(allow_null=True)
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    status = serializers.CharField(help_text=PROGRESS_STATUS_HELP)
    series = ReportSeriesPointSerializer(many=True)


class ReportMeasureSerializer(serializers.Serializer):
    key = serializers.UUIDField()
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField(help_text="The responsible unit's name.")
    implementation = serializers.CharField(
        allow_null=True,
        help_text="not_started, in_progress, completed, delayed, cancelled, or null (not reported)",
    )
    implementation_year = serializers.IntegerField(allow_null=True, required=False)
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    status = serializers.CharField(help_text=PROGRESS_STATUS_HELP)
    planned = serializers.CharField(help_text="Euros planned for the year.")
    spent = serializers.CharField(help_text="Euros spent in the year.")
    reason = serializers.CharField(help_text="The note of the year's entry (why it is late).")
    start_year = serializers.IntegerField(allow_null=True)
    end_year = serializers.IntegerField(allow_null=True)


class ReportMoneyByPrioritySerializer(serializers.Serializer):
    key = serializers.UUIDField()
    code = serializers.CharField()
    title = serializers.CharField()
    planned = serializers.CharField()
    spent = serializers.CharField()


class ReportMoneyBySourceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    planned = serializers.CharField()
    spent = serializers.CharField()


class ReportSummarySerializer(serializers.Serializer):
    progress = serializers.FloatField(allow_null=True, help_text=PROGRESS_HELP)
    status = serializers.CharField(help_text=PROGRESS_STATUS_HELP)
    measure_total = serializers.IntegerField()
    not_reported = serializers.IntegerField()
    progress_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Measures and nodes by progress status."
    )
    implementation_counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Measures by implementation status."
    )
    planned = serializers.CharField(help_text="Euros planned for the year, all sources.")
    spent = serializers.CharField(help_text="Euros spent in the year, all sources.")
    money_by_priority = ReportMoneyByPrioritySerializer(many=True)
    money_by_source = ReportMoneyBySourceSerializer(many=True)


class ReportNarrativeSerializer(serializers.Serializer):
    section = serializers.CharField(help_text=SECTION_HELP)
    html = serializers.CharField(help_text="The narrative, sanitised HTML.")
    text = serializers.CharField(help_text="The same in the plain-text notation, for editing.")


class ReportEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportEvent.Kind.choices)
    created_at = serializers.DateTimeField()
    reason = serializers.CharField()
    user = serializers.CharField(
        allow_null=True, help_text="Who did it: shown to administration staff only."
    )
    details = serializers.DictField(
        help_text="Details: the voting's id, the decision recorded (new, and old when corrected) …"
    )


class ReportDetailSerializer(ReportSerializer):
    """A report with what it shows: the frozen snapshot, or a draft's live figures.

    The view passes the content (``selectors.report_content``) and the events
    in the context, so that the serializer reads nothing itself.
    """

    indicators = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    narratives = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [
            *ReportSerializer.Meta.fields,
            "indicators",
            "measures",
            "summary",
            "narratives",
            "sections",
            "events",
        ]
        read_only_fields = fields

    @property
    def content(self) -> dict:
        return self.context["content"]

    @extend_schema_field(ReportIndicatorSerializer(many=True))
    def get_indicators(self, report) -> list:
        """Every indicator row of the report, in its order (goals', tasks', measures')."""
        return list(
            ReportIndicatorSerializer(snapshots.indicator_rows(self.content), many=True).data
        )

    @extend_schema_field(ReportMeasureSerializer(many=True))
    def get_measures(self, report) -> list:
        return list(ReportMeasureSerializer(snapshots.measure_rows(self.content), many=True).data)

    @extend_schema_field(ReportSummarySerializer())
    def get_summary(self, report) -> dict:
        return ReportSummarySerializer(self.content.get("summary", {})).data

    @extend_schema_field(ReportNarrativeSerializer(many=True))
    def get_narratives(self, report) -> list:
        """Staff's texts, by section, in the report's order (empty ones left out)."""
        return [
            {"section": section, "html": html, "text": to_text(html)}
            for section, html in narratives_in(self.content)
            if html
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sections(self, report) -> dict:
        """The other parts' sections (climate, consultations …) as plain data, by key."""
        return self.content.get("sections", {})

    @extend_schema_field(ReportEventSerializer(many=True))
    def get_events(self, report) -> list:
        staff = self.context.get("staff", False)
        rows = [
            {
                "kind": event.kind,
                "created_at": event.created_at,
                "reason": event.reason,
                "user": _name(event.user) if staff else None,
                "details": event.data,
            }
            for event in self.context["events"]
        ]
        return list(ReportEventSerializer(rows, many=True).data)


def narratives_in(content: dict) -> list[tuple[str, str]]:
    """``(section, html)`` of every narrative a report's content holds, in order."""
    found = [("summary", content.get("summary", {}).get("narrative", ""))]
    for priority in content.get("priorities", []):
        found.append((f"priority:{priority['key']}", priority.get("narrative", "")))
        found += [(f"goal:{goal['key']}", goal.get("narrative", "")) for goal in priority["goals"]]
    return found


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()
