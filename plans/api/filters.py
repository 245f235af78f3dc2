"""Query-string filters of the plans API (django-filter).

A value of the wrong type (``?version=abc``) or beyond the database's integers
is a 400 naming the parameter; an id that matches nothing simply finds nothing.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import extend_schema_field

from plans.levels import LEVELS, Level
from plans.models import (
    FundingLine,
    Indicator,
    IndicatorKind,
    Measure,
    MeasureKind,
    MeasureLink,
    PlanVersion,
    VersionStatus,
)
from plans.selectors import search_nodes

# The integers every database of the portal can store (SQLite's INTEGER and
# PostgreSQL's bigint): a larger id matches nothing, but SQLite cannot even be
# asked about it (OverflowError, a 500), so it is refused as bad input.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", ID_MIN)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": ID_MIN, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """An integer (an id or a year): django-filter's NumberFilter takes decimals,
    and any size of them."""

    field_class = IdField


class VersionFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan")
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = PlanVersion
        fields = ["plan", "status"]


class NodeFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version")
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact")
    q = django_filters.CharFilter(method="filter_text", label="Text in title, description or code")

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return search_nodes(queryset, value) if value else queryset


def node_filter_class(level: Level):
    """A FilterSet for one level: the shared filters, plus (below the top) its
    parent field under its own name and as ``parent``."""
    model = level.model
    attrs = {"Meta": type("Meta", (), {"model": model, "fields": []})}
    if not level.is_top:
        parent_field = level.parent_field
        attrs[parent_field] = IdFilter(field_name=parent_field)
        attrs["parent"] = IdFilter(field_name=parent_field, label=f"Parent {parent_field}")
    return type(f"{model.__name__}Filter", (NodeFilter,), attrs)


# A base built at import time for the measure level, which mypy cannot follow.
class MeasureFilter(node_filter_class(LEVELS["measure"])):  # type: ignore[misc]
    responsible_unit = IdFilter(field_name="responsible_unit")
    kind = django_filters.ChoiceFilter(choices=MeasureKind.choices)
    source = django_filters.CharFilter(method="filter_source", label="Funding source code")
    year = IdFilter(method="filter_year", label="In the measure's period or funded that year")
    implements = django_filters.UUIDFilter(
        method="filter_implements",
        label="Implements the development plan's goal or task with this key",
    )

    class Meta:
        model = Measure
        fields: list[str] = []

    def filter_source(self, queryset, name, value):
        lines = FundingLine.objects.filter(measure=OuterRef("pk"), source__code__iexact=value)
        return queryset.filter(Exists(lines))

    def filter_implements(self, queryset, name, value):
        return queryset.filter(
            Exists(MeasureLink.objects.filter(measure=OuterRef("pk"), key=value))
        )

    def filter_year(self, queryset, name, value):
        # The same rule as the outline's year filter (selectors.filter_tree):
        # an open start or end counts as "always".
        in_period = (Q(start_year__isnull=True) | Q(start_year__lte=value)) & (
            Q(end_year__isnull=True) | Q(end_year__gte=value)
        )
        funded = Exists(FundingLine.objects.filter(measure=OuterRef("pk"), year=value))
        return queryset.filter(in_period | funded)


class IndicatorFilter(django_filters.FilterSet):
    version = IdFilter(field_name="version")
    goal = IdFilter(field_name="goal")
    task = IdFilter(field_name="task")
    measure = IdFilter(field_name="measure")
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices)

    class Meta:
        model = Indicator
        fields: list[str] = []
