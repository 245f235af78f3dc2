"""The plan as a document: rendered PDFs of a version, stored for download.

Building the HTML lives in documents/content.py, rendering and storing in
documents/services.py, the worker's job in documents/tasks.py.

Each table keeps the name it had when the model lived in ``plans`` (made by
plans' migrations 0002–0004): an existing database moves forward without
copying a row, since this app's first migration only takes over the state.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import PlanVersion, VersionStatus


class DocumentVariant(models.TextChoices):
    # Tagged PDF for screen readers (PDF/UA-1) is what everyone gets; PDF/A-3a
    # (archival and tagged) is for the municipality's document archive.
    UA = "ua", _("Accessible PDF (PDF/UA)")
    PDFA = "pdfa", _("Archival PDF (PDF/A)")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PlanDocument(models.Model):
    """A rendered PDF of a version, in one language and variant.

    ``content_hash`` is the hash of the HTML the PDF was (or is being) rendered
    from, so a draft is rendered again only when what it shows changed; a
    version that can no longer change (approved, superseded) is rendered once.
    """

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(_("language"), max_length=8)
    variant = models.CharField(
        _("variant"), max_length=8, choices=DocumentVariant.choices, default=DocumentVariant.UA
    )
    # The version's status when the document was requested: an approved
    # version's document (with its decision) is not served once it is superseded.
    version_status = models.CharField(max_length=20, choices=VersionStatus.choices)
    content_hash = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="plans/pdf/", blank=True)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)

    class Meta:
        db_table = "plans_plandocument"
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        constraints = [
            # Two requests for the same content claim one row: the second finds
            # the first's instead of rendering the same PDF again.
            models.UniqueConstraint(
                fields=["version", "language", "variant", "content_hash"],
                name="document_unique_content",
            ),
        ]

    def __str__(self):
        return f"{self.version} ({self.language}, {self.variant}, {self.status})"
