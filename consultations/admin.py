"""Admin: the elderships list (reference data) and a read-only view of the
consultation's records. Every change of a consultation or a proposal goes
through the staff pages or the API, which call the services and so keep the
rules (dates, states, notifications) in one place."""

from django.contrib import admin

from .models import Consultation, Eldership, Proposal


@admin.register(Eldership)
class EldershipAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    ordering = ["position", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "starts_at", "ends_at"]
    list_select_related = ["version__plan"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["pk", "consultation", "target_code", "public_status", "hidden", "created_at"]
    list_filter = ["consultation", "hidden", "response_status"]
    list_select_related = ["consultation"]
    # The author's account is personal data: shown on the record page only.
    exclude = ["address_hash"]
