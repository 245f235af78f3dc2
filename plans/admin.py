"""The Django admin, for reference data and for support staff.

Staff edit plans in the outline editor, not here. The admin shows plan
content read-only unless the version is a draft, and the models' own guards
refuse any change to a frozen version that would slip past this.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from planportal import pagecache
from planportal.roles import is_staff_member
from plans.models import (
    FundingLine,
    FundingSource,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    Plan,
    PlanVersion,
    Priority,
    Task,
    Unit,
)


class RetiresCachedPagesAdmin(admin.ModelAdmin):
    """Names shown on the cached pages of approved versions: a change retires them."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pagecache.bump()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pagecache.bump()


@admin.register(Unit)
class UnitAdmin(RetiresCachedPagesAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(FundingSource)
class FundingSourceAdmin(RetiresCachedPagesAdmin):
    list_display = ["code", "name", "position"]
    list_editable = ["position"]
    search_fields = ["code", "name"]


class FrozenAwareAdmin(SimpleHistoryAdmin):
    """Content of a version that is not a draft is read-only here."""

    def _version_of(self, obj):
        return obj.version if obj is not None else None

    def has_change_permission(self, request, obj=None):
        version = self._version_of(obj)
        if version is not None and not version.is_editable:
            return False
        return super().has_change_permission(request, obj) and is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        version = self._version_of(obj)
        if version is not None and not version.is_editable:
            return False
        return super().has_delete_permission(request, obj) and is_staff_member(request.user)

    def has_add_permission(self, request):
        # New nodes come from the outline editor, which numbers them.
        return False


@admin.register(Plan)
class PlanAdmin(RetiresCachedPagesAdmin):
    list_display = ["title", "municipality", "period_start", "period_end", "numbering"]


@admin.register(PlanVersion)
class PlanVersionAdmin(FrozenAwareAdmin):
    list_display = ["plan", "number", "status", "decision_number", "decision_date"]
    list_filter = ["status", "plan"]
    readonly_fields = ["status", "based_on", "created_by", "approved_at", "revision"]

    def _version_of(self, obj):
        return obj


@admin.register(Priority, Goal, Task, Measure)
class NodeAdmin(FrozenAwareAdmin):
    list_display = ["code", "title", "version"]
    list_filter = ["version__plan", "version"]
    search_fields = ["code", "title"]
    readonly_fields = ["code", "key", "revision"]


@admin.register(Indicator)
class IndicatorAdmin(FrozenAwareAdmin):
    list_display = ["name", "kind", "unit", "version"]
    list_filter = ["kind", "version"]
    search_fields = ["name"]


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(FrozenAwareAdmin):
    list_display = ["indicator", "year", "value"]

    def _version_of(self, obj):
        return obj.indicator.version if obj is not None else None


@admin.register(FundingLine)
class FundingLineAdmin(FrozenAwareAdmin):
    list_display = ["measure", "year", "source", "amount"]

    def _version_of(self, obj):
        return obj.measure.version if obj is not None else None
