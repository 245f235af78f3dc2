"""Serializers of the plans API.

They describe and validate; they never save. Views hand ``validated_data`` to
``plans.services``, which hold every rule about who may change what and when.
"""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin
from planportal.years import YEAR_MAX, YEAR_MIN, YEAR_VALIDATORS
from plans.kinds import PlanKind
from plans.levels import INDICATOR_LEVELS, LEVELS
from plans.lineage import StaleBase, stale_base, stale_bases
from plans.models import (
    FundingSource,
    Goal,
    Indicator,
    Measure,
    NumberingStyle,
    Plan,
    PlanVersion,
    Priority,
    Task,
    Unit,
)

# --- Reference data ---------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "kind"]


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "code", "name"]


# --- Plans and versions -------------------------------------------------------------


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanVersion
        fields = ["id", "number", "status"]


class ImportedSerializer(serializers.Serializer):
    """The answer of an import: the id of the new draft."""

    version = serializers.IntegerField()


class PlanSerializer(serializers.ModelSerializer):
    current_version = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField(
        help_text=_("The names of the four levels in the reader's language, top first.")
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "municipality",
            "kind",
            "levels",
            "period_start",
            "period_end",
            "numbering",
            "current_version",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_levels(self, plan) -> list[str]:
        return plan.kind_spec.level_labels()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_current_version(self, plan) -> int | None:
        # ``approved_versions`` is prefetched by the view: one query for all plans.
        approved = plan.approved_versions
        return approved[0].pk if approved else None


class PlanDetailSerializer(PlanSerializer):
    versions = VersionSummarySerializer(many=True, source="visible_versions", read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "versions"]


class PlanCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    """A new plan, without a version: ``POST /plans/{id}/versions/`` makes its first draft."""

    title = serializers.CharField(max_length=255)
    municipality = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=PlanKind.choices)
    period_start = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    period_end = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    numbering = serializers.ChoiceField(
        choices=NumberingStyle.choices,
        required=False,
        allow_null=True,
        help_text=_("By default the kind's own numbering."),
    )
    development_plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("For an action plan: the development plan it implements."),
    )


class DraftCreateSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    # A declared field named like the serializer's own ``source`` attribute
    # (DRF collects declared fields by name; the attribute is left alone).
    source = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=PlanVersion.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The version to copy; by default the version in force."),
    )
    keep_years = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "An action plan's new draft covers the years one after its source's; "
            "true keeps the source's years (an amendment during the year)."
        ),
    )


class StaleBaseSerializer(serializers.Serializer):
    """The shape of a version's ``stale_base`` (for the schema)."""

    in_force = serializers.IntegerField(help_text=_("The version in force it would undo."))
    based_on = serializers.IntegerField(allow_null=True)
    compare = serializers.CharField(help_text=_("The page comparing it with the version in force."))


class VersionListSerializer(serializers.ListSerializer):
    """Finds the stale bases of a whole page of versions in one query."""

    def to_representation(self, data):
        versions = list(data.all() if hasattr(data, "all") else data)
        # The context dict is the root's, shared with the child serializer.
        context = cast(dict, self.context)
        context["stale_bases"] = stale_bases(versions)
        return super().to_representation(versions)


class VersionSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The revision the change is based on; a stale one is refused with 409."),
    )
    stale_base = serializers.SerializerMethodField(
        help_text=_(
            "Set when the version was copied from one no longer in force: approving it "
            "would undo the version in force (submitting needs confirm_stale)."
        )
    )

    class Meta:
        model = PlanVersion
        fields = [
            "id",
            "plan",
            "number",
            "status",
            "label",
            "vision",
            "based_on",
            "decision_number",
            "decision_date",
            "created_at",
            "revision",
            "stale_base",
        ]
        list_serializer_class = VersionListSerializer
        read_only_fields = [
            "id",
            "plan",
            "number",
            "status",
            "based_on",
            "decision_number",
            "decision_date",
            "created_at",
        ]

    @extend_schema_field(StaleBaseSerializer(allow_null=True))
    def get_stale_base(self, version) -> dict | None:
        found: StaleBase | None
        if "stale_bases" in self.context:
            found = self.context["stale_bases"].get(version.pk)
        else:
            found = stale_base(version)
        if found is None:
            return None
        return {
            "in_force": found.in_force.pk,
            "based_on": found.base.pk if found.base else None,
            "compare": found.compare_url,
        }


# --- The whole tree of a version (read-only, built from selectors.version_tree) -------


class TreeTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, read_only=True)


class TreeIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.UUIDField(read_only=True)
    kind = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    baseline_value = serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, read_only=True
    )
    baseline_year = serializers.IntegerField(allow_null=True, read_only=True)
    data_source = serializers.CharField(read_only=True)
    direction = serializers.CharField(read_only=True)
    # The rest of the description card (order 1K-275).
    code = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)
    calculation_method = serializers.CharField(read_only=True)
    frequency = serializers.CharField(read_only=True)
    responsible_body = serializers.CharField(read_only=True)
    remarks = serializers.CharField(read_only=True)
    targets = TreeTargetSerializer(many=True, source="target_list", read_only=True)


class TreeFundingSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    # A field, as in DraftCreateSerializer.
    source = serializers.CharField(source="source.code", read_only=True)  # type: ignore[assignment]
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class TreeUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class TreeNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    key = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class TreeMeasureSerializer(TreeNodeSerializer):
    kind = serializers.CharField(read_only=True)
    implements = serializers.SerializerMethodField()
    responsible_unit = serializers.CharField(
        source="responsible_unit.name", allow_null=True, read_only=True
    )
    responsible_unit_id = serializers.IntegerField(allow_null=True, read_only=True)
    appropriation_manager = serializers.CharField(
        source="appropriation_manager.name", allow_null=True, read_only=True
    )
    appropriation_manager_id = serializers.IntegerField(allow_null=True, read_only=True)
    co_executors = TreeUnitSerializer(many=True, source="co_executor_list", read_only=True)
    start_year = serializers.IntegerField(allow_null=True, read_only=True)
    end_year = serializers.IntegerField(allow_null=True, read_only=True)
    indicators = TreeIndicatorSerializer(many=True, source="indicator_list", read_only=True)
    funding = TreeFundingSerializer(many=True, source="funding_list", read_only=True)
    funding_total = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_implements(self, measure) -> list[str]:
        return [str(link.key) for link in measure.link_list]


class TreeTaskSerializer(TreeNodeSerializer):
    indicators = TreeIndicatorSerializer(many=True, source="indicator_list", read_only=True)
    measures = TreeMeasureSerializer(many=True, source="children", read_only=True)


class TreeGoalSerializer(TreeNodeSerializer):
    indicators = TreeIndicatorSerializer(many=True, source="indicator_list", read_only=True)
    tasks = TreeTaskSerializer(many=True, source="children", read_only=True)


class TreePrioritySerializer(TreeNodeSerializer):
    goals = TreeGoalSerializer(many=True, source="children", read_only=True)


class VersionTreeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="version.id", read_only=True)
    status = serializers.CharField(source="version.status", read_only=True)
    vision = serializers.CharField(source="version.vision", read_only=True)
    priorities = TreePrioritySerializer(many=True, read_only=True)


# --- Nodes -------------------------------------------------------------------------


class NodeSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """Fields every level shares; subclasses add their parent field.

    ``position`` (1-based) places a new node or moves an existing one among its
    siblings; ``revision`` is the revision a change is based on.
    """

    parent_field = ""

    position = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("1-based place among the siblings; a new node goes last by default."),
    )
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The revision the change is based on; a stale one is refused with 409."),
    )

    class Meta:
        fields = ["id", "key", "code", "position", "title", "description", "revision"]
        read_only_fields = ["id", "key", "code"]
        extra_kwargs = {"description": {"required": False}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The parent is needed to create a node; on update it is optional and,
        # when it differs, moves the node (plans.services.node_save checks where to).
        if self.instance is not None and self.parent_field in self.fields:
            self.fields[self.parent_field].required = False


class PrioritySerializer(NodeSerializer):
    parent_field = LEVELS["priority"].parent_field

    version = serializers.PrimaryKeyRelatedField(queryset=PlanVersion.objects.all())

    class Meta(NodeSerializer.Meta):
        model = Priority
        fields = [*NodeSerializer.Meta.fields, "version"]


class GoalSerializer(NodeSerializer):
    parent_field = LEVELS["goal"].parent_field

    priority = serializers.PrimaryKeyRelatedField(queryset=Priority.objects.all())

    class Meta(NodeSerializer.Meta):
        model = Goal
        fields = [*NodeSerializer.Meta.fields, "version", "priority"]
        read_only_fields = [*NodeSerializer.Meta.read_only_fields, "version"]


class TaskSerializer(NodeSerializer):
    parent_field = LEVELS["task"].parent_field

    goal = serializers.PrimaryKeyRelatedField(queryset=Goal.objects.all())

    class Meta(NodeSerializer.Meta):
        model = Task
        fields = [*NodeSerializer.Meta.fields, "version", "goal"]
        read_only_fields = [*NodeSerializer.Meta.read_only_fields, "version"]


class FundingLineSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    source = serializers.SlugRelatedField(  # type: ignore[assignment]  # a field, as above
        slug_field="code",
        queryset=FundingSource.objects.all(),
        help_text=_("The funding source's code, e.g. SB."),
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), help_text=_("Euro.")
    )


class ImplementsField(serializers.ListField):
    """The keys of the development plan's goals and tasks a measure implements."""

    child = serializers.UUIDField()

    def get_attribute(self, instance):
        # The links are prefetched by the view, in order.
        return [link.key for link in instance.links.all()]


class MeasureSerializer(NodeSerializer):
    """A measure; ``kind``, ``implements`` and ``appropriation_manager`` are for
    the kinds of plan that use them (an action plan's measures): any other
    kind's measure refuses a value for them with 400 (``plans.kinds``)."""

    parent_field = LEVELS["measure"].parent_field

    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all())
    implements = ImplementsField(
        required=False,
        help_text=_(
            "Keys of the development plan's goals and tasks this progress measure implements; "
            "when given, replaces them all."
        ),
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, allow_null=True
    )
    appropriation_manager = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), required=False, allow_null=True
    )
    appropriation_manager_name = serializers.CharField(
        source="appropriation_manager.name", read_only=True, allow_null=True
    )
    co_executors = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), many=True, required=False
    )
    funding = FundingLineSerializer(
        many=True,
        required=False,
        help_text=_("When given, replaces all funding lines of the measure."),
    )
    funding_total = serializers.SerializerMethodField()

    class Meta(NodeSerializer.Meta):
        model = Measure
        fields = [
            *NodeSerializer.Meta.fields,
            "version",
            "task",
            "kind",
            "implements",
            "responsible_unit",
            "responsible_unit_name",
            "appropriation_manager",
            "appropriation_manager_name",
            "co_executors",
            "start_year",
            "end_year",
            "funding",
            "funding_total",
        ]
        read_only_fields = [*NodeSerializer.Meta.read_only_fields, "version"]

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_funding_total(self, measure) -> str:
        # The lines are prefetched by the view; summing them here costs no query.
        total = sum((line.amount for line in measure.funding.all()), Decimal("0"))
        return serializers.DecimalField(max_digits=16, decimal_places=2).to_representation(total)


# --- Indicators ---------------------------------------------------------------------


class TargetSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    value = serializers.DecimalField(max_digits=18, decimal_places=4)


INDICATOR_OWNERS = INDICATOR_LEVELS


class IndicatorSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    goal = serializers.PrimaryKeyRelatedField(
        queryset=Goal.objects.all(), required=False, allow_null=True
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True
    )
    measure = serializers.PrimaryKeyRelatedField(
        queryset=Measure.objects.all(), required=False, allow_null=True
    )
    targets = TargetSerializer(
        many=True, required=False, help_text=_("When given, replaces all yearly targets.")
    )
    revision = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=_("The revision the change is based on; a stale one is refused with 409."),
    )
    baseline_year = serializers.IntegerField(
        required=False, allow_null=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "key",
            "version",
            "goal",
            "task",
            "measure",
            "position",
            "kind",
            "name",
            "unit",
            "baseline_value",
            "baseline_year",
            "data_source",
            "direction",
            # The rest of the description card (order 1K-275; docs/planning-law.md §6).
            "code",
            "definition",
            "calculation_method",
            "frequency",
            "responsible_body",
            "remarks",
            "targets",
            "revision",
        ]
        read_only_fields = ["id", "key", "version", "position"]
        extra_kwargs = {"kind": {"required": False}}

    def validate(self, attrs):
        owners = [name for name in INDICATOR_OWNERS if attrs.get(name) is not None]
        if self.instance is None:
            if len(owners) != 1:
                raise serializers.ValidationError(
                    {
                        "owner": _(
                            "Give exactly one of goal, task or measure: the node the "
                            "indicator measures."
                        )
                    }
                )
        else:
            for name in INDICATOR_OWNERS:
                if name in attrs and getattr(attrs[name], "pk", None) != getattr(
                    self.instance, f"{name}_id"
                ):
                    raise serializers.ValidationError(
                        {name: _("An indicator cannot move to another node.")}
                    )
        return attrs


# --- Comparing two versions (built from plans.diff.VersionDiff) ----------------------


class DiffSegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"], read_only=True)
    text = serializers.CharField(read_only=True)


class DiffValueField(serializers.JSONField):
    """A changed value as JSON; decimals as strings, like every other amount."""

    def to_representation(self, value):
        return str(value) if isinstance(value, Decimal) else value


class DiffFieldSerializer(serializers.Serializer):
    """One changed field; ``old`` and ``new`` are a string, a number, a list of
    names (co-executors) or null. Texts also come as word-diff ``segments``."""

    field = serializers.CharField(read_only=True)
    old = DiffValueField(read_only=True)
    new = DiffValueField(read_only=True)
    segments = DiffSegmentSerializer(many=True, read_only=True, allow_null=True)


class DiffTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    old = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True, read_only=True)
    new = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True, read_only=True)


class DiffIndicatorSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    # A plain string: an enum here would clash with the versions' "status" in
    # the OpenAPI schema's component names.
    status = serializers.CharField(read_only=True, help_text="added, removed or changed")
    changes = DiffFieldSerializer(many=True, read_only=True)
    targets = DiffTargetSerializer(many=True, read_only=True)


class DiffFundingSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field, as above
    # A plain string: an enum here would clash with the versions' "status" in
    # the OpenAPI schema's component names.
    status = serializers.CharField(read_only=True, help_text="added, removed or changed")
    old = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, read_only=True)
    new = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True, read_only=True)
    difference = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)


class DiffNodeSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class DiffChangedNodeSerializer(DiffNodeSerializer):
    old_code = serializers.CharField(read_only=True)
    old_title = serializers.CharField(read_only=True)
    # A declared field named like the serializer's own ``fields`` (as ``source`` above).
    fields = serializers.ListField(child=serializers.CharField(), read_only=True)  # type: ignore[assignment]
    changes = DiffFieldSerializer(many=True, read_only=True)
    indicators = DiffIndicatorSerializer(many=True, read_only=True)
    funding = DiffFundingSerializer(many=True, read_only=True)


class DiffFundingTotalSerializer(serializers.Serializer):
    priority_key = serializers.CharField(read_only=True)
    priority_code = serializers.CharField(read_only=True)
    priority_title = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field, as above
    old = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    new = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    difference = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)


class DiffOverallSerializer(serializers.Serializer):
    old = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    new = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    difference = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)


class VersionDiffSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="version.pk", read_only=True)
    against = serializers.IntegerField(source="against.pk", read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    added = DiffNodeSerializer(many=True, read_only=True)
    removed = DiffNodeSerializer(many=True, read_only=True)
    changed = DiffChangedNodeSerializer(many=True, read_only=True)
    funding_totals = DiffFundingTotalSerializer(many=True, read_only=True)
    funding_difference = DiffOverallSerializer(source="funding_overall", read_only=True)
