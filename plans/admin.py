"""The Django admin, for reference data and for support staff.

Staff edit plans in the outline editor, not here. The admin shows plan
content read-only unless the version is a draft. Where it may change plan
content, it changes what the outline editor does and nothing more: the
structure (a node's version, parent, position, code, key and revision; an
indicator's owner; a target's year; a funding line's year and source) is
read-only, and every save and delete goes through ``plans.services``, so the
admin cannot move anything between versions or skip a check the editor makes.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from planportal import pagecache
from planportal.roles import is_staff_member
from plans import services
from plans.levels import level_of
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


class RefusalsAdmin(admin.ModelAdmin):
    """A refusal answers 4xx here as everywhere, never 500.

    A change form the models refuse (``clean``) is shown again with the
    refusal as the form's error and status 400, like the portal's own forms;
    a refusal past the form (a save or delete that the service or the model's
    guard refuses) is said in a message, and the page is shown again as it is
    in the database: its transaction has been rolled back.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = self._refusals_as_messages(
            request, super().changeform_view, request, object_id, form_url, extra_context
        )
        adminform = getattr(response, "context_data", None) and response.context_data.get(
            "adminform"
        )
        if request.method == "POST" and adminform is not None and adminform.form.errors:
            response.status_code = 400
        return response

    def delete_view(self, request, object_id, extra_context=None):
        return self._refusals_as_messages(
            request, super().delete_view, request, object_id, extra_context
        )

    def changelist_view(self, request, extra_context=None):
        # The "delete selected" action runs here.
        return self._refusals_as_messages(request, super().changelist_view, request, extra_context)

    def _refusals_as_messages(self, request, view, *args):
        try:
            with transaction.atomic():
                return view(*args)
        except ValidationError as error:
            message = " ".join(error.messages)
        except services.ConflictError as error:
            message = str(error)
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())


class RetiresCachedPagesAdmin(RefusalsAdmin):
    """Names shown on the cached pages of approved versions: a change retires them.

    The names a frozen version shows do not change at all (``plans.models.record``);
    the models refuse it, and the form says so.
    """

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


@admin.register(Plan)
class PlanAdmin(RetiresCachedPagesAdmin):
    list_display = ["title", "kind", "municipality", "period_start", "period_end", "numbering"]
    list_filter = ["kind"]


# --- Plan content: through the services ------------------------------------------------


class RevisionForm(forms.ModelForm):
    """Carries the revision the form was opened at, so that a save over
    someone else's change is refused like in the outline editor."""

    expected_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_revision"].initial = self.instance.revision


class ServiceAdmin(RefusalsAdmin, SimpleHistoryAdmin):
    """Content of a version that is not a draft is read-only here; the rest
    is saved and deleted by ``plans.services`` (``save_through``,
    ``delete_through``), never by the admin's own ``obj.save()``."""

    # Fields the admin never writes, whatever the version's state.
    structure_fields: tuple[str, ...] = ()

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
        # New content comes from the outline editor, which numbers it.
        return False

    def revert_disabled(self, request, obj=None):
        # Reverting to a history record would save the record's fields (and
        # its many-to-many values) past the services: the history is to read.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [*self.structure_fields, *super().get_readonly_fields(request, obj)]

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        changed.pop("expected_revision", None)
        self.save_through(request, obj, changed, form.cleaned_data.get("expected_revision"))

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields (a measure's co-executors) went through the
        # service with the other fields; form.save_m2m() would bypass it.
        pass

    def delete_model(self, request, obj):
        self.delete_through(request, obj)

    def delete_queryset(self, request, queryset):
        # All or nothing, like every other write: one refusal keeps them all.
        with transaction.atomic():
            for obj in queryset:
                self.delete_through(request, obj)

    def save_through(self, request, obj, changed: dict, expected_revision):
        raise NotImplementedError

    def delete_through(self, request, obj):
        raise NotImplementedError


@admin.register(PlanVersion)
class PlanVersionAdmin(ServiceAdmin):
    form = RevisionForm
    list_display = ["plan", "number", "status", "decision_number", "decision_date"]
    list_filter = ["status", "plan"]
    # The council's services record decisions (council/services.py).
    structure_fields = (
        "plan",
        "number",
        "status",
        "based_on",
        "created_by",
        "approved_at",
        "decision_number",
        "decision_date",
        "revision",
    )

    def _version_of(self, obj):
        return obj

    def save_through(self, request, obj, changed, expected_revision):
        stored = PlanVersion.objects.get(pk=obj.pk)
        services.version_update(
            user=request.user,
            version=obj,
            revision=stored.revision if expected_revision is None else expected_revision,
            vision=changed.get("vision", stored.vision),
            label=changed.get("label", stored.label),
        )

    def delete_through(self, request, obj):
        services.version_delete(user=request.user, version=obj)


@admin.register(Priority, Goal, Task, Measure)
class NodeAdmin(ServiceAdmin):
    form = RevisionForm
    list_display = ["code", "title", "version"]
    list_filter = ["version__plan", "version"]
    search_fields = ["code", "title"]

    def get_readonly_fields(self, request, obj=None):
        parent_field = level_of(self.model).parent_field
        structure = ["version", parent_field, "position", "code", "key", "revision"]
        return list(dict.fromkeys([*structure, *super().get_readonly_fields(request, obj)]))

    def save_through(self, request, obj, changed, expected_revision):
        services.node_save(
            user=request.user, node=obj, expected_revision=expected_revision, fields=changed
        )

    def delete_through(self, request, obj):
        services.node_delete(user=request.user, node=obj)


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    form = RevisionForm
    list_display = ["name", "kind", "unit", "version"]
    list_filter = ["kind", "version"]
    search_fields = ["name", "code"]
    structure_fields = ("version", "goal", "task", "measure", "key", "position", "revision")

    def save_through(self, request, obj, changed, expected_revision):
        services.indicator_save(
            user=request.user, indicator=obj, revision=expected_revision, **changed
        )

    def delete_through(self, request, obj):
        services.indicator_delete(user=request.user, indicator=obj)


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(ServiceAdmin):
    """A target is one year's value of an indicator: the value may change here."""

    list_display = ["indicator", "year", "value"]
    structure_fields = ("indicator", "year")

    def _version_of(self, obj):
        return obj.indicator.version if obj is not None else None

    def _targets(self, obj, *, without_it=False):
        others = IndicatorTarget.objects.filter(indicator_id=obj.indicator_id).exclude(pk=obj.pk)
        targets = [{"year": t.year, "value": t.value} for t in others]
        return targets if without_it else [*targets, {"year": obj.year, "value": obj.value}]

    def save_through(self, request, obj, changed, expected_revision):
        services.indicator_save(
            user=request.user, indicator=obj.indicator, targets=self._targets(obj)
        )

    def delete_through(self, request, obj):
        services.indicator_save(
            user=request.user, indicator=obj.indicator, targets=self._targets(obj, without_it=True)
        )


@admin.register(FundingLine)
class FundingLineAdmin(ServiceAdmin):
    """A funding line is one year's amount from one source: the amount may change here."""

    list_display = ["measure", "year", "source", "amount"]
    structure_fields = ("measure", "year", "source")

    def _version_of(self, obj):
        return obj.measure.version if obj is not None else None

    def _lines(self, obj, *, without_it=False):
        others = FundingLine.objects.filter(measure_id=obj.measure_id).exclude(pk=obj.pk)
        lines = [{"year": f.year, "source": f.source_id, "amount": f.amount} for f in others]
        if without_it:
            return lines
        return [*lines, {"year": obj.year, "source": obj.source_id, "amount": obj.amount}]

    def save_through(self, request, obj, changed, expected_revision):
        services.node_save(
            user=request.user, node=obj.measure, expected_revision=None, funding=self._lines(obj)
        )

    def delete_through(self, request, obj):
        services.node_save(
            user=request.user,
            node=obj.measure,
            expected_revision=None,
            funding=self._lines(obj, without_it=True),
        )
