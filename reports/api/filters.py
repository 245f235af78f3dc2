"""Query-string filters of the reports API (django-filter): a bad value is a
400 naming the parameter, an id that matches nothing finds nothing."""

from __future__ import annotations

import django_filters

from plans.api.filters import IdFilter

from ..models import Report, ReportStatus


class PlanReportFilter(django_filters.FilterSet):
    year = IdFilter(field_name="year", label="The report's year")
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = Report
        fields: list[str] = []


class ReportFilter(PlanReportFilter):
    plan = IdFilter(field_name="plan", label="The plan's id")

    class Meta:
        model = Report
        fields: list[str] = []
