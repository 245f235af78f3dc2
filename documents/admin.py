from django.contrib import admin

from documents.models import PlanDocument


@admin.register(PlanDocument)
class PlanDocumentAdmin(admin.ModelAdmin):
    """Rendered PDFs, to see what is stored and why a rendering failed.

    Read-only: documents are made by documents/services.py; deleting one only
    means it is rendered again on the next download.
    """

    list_display = ["version", "language", "variant", "status", "size", "rendered_at"]
    list_filter = ["status", "variant", "language"]
    readonly_fields = [
        "version",
        "language",
        "variant",
        "version_status",
        "content_hash",
        "status",
        "file",
        "size",
        "error",
        "requested_at",
        "rendered_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
