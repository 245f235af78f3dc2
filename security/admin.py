"""The security log in the admin: superusers read it, nobody changes it.

Administration staff may reach the admin (``is_staff``) for reference data;
the log is not theirs to read: it shows who logged in from which (hashed)
address and every account's role changes.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "target_repr", "short_address", "summary"]
    list_filter = ["kind", "created_at", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "target_repr", "target_type", "target_id", "address_hash"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [
        "created_at",
        "kind",
        "actor",
        "username",
        "address_hash",
        "target_type",
        "target_id",
        "target_repr",
        "details",
    ]

    @admin.display(description=_("address (hashed)"))
    def short_address(self, event):
        # Enough to tell addresses apart in a list; the whole hash is on the event's page.
        return event.address_hash[:12]

    @admin.display(description=_("details"))
    def summary(self, event):
        return ", ".join(f"{key}: {value}" for key, value in event.details.items())[:200]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Events go by age only (manage.py prune_security_log).
        return False
