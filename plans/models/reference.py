"""Reference data the plans point at: responsible units and funding sources."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .record import RecordedReference
from .versions import EDITABLE_STATUSES


class Unit(RecordedReference):
    """A department of the administration or a municipal institution."""

    RECORD_FIELDS = frozenset({"name"})

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Administration department")
        INSTITUTION = "institution", _("Municipal institution")
        OTHER = "other", _("Other body")

    name = models.CharField(_("name"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)

    class Meta:
        ordering = ["name"]
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")

    def __str__(self):
        return self.name

    def in_frozen_record(self) -> bool:
        measures = apps.get_model("plans", "Measure")._base_manager.exclude(
            version__status__in=EDITABLE_STATUSES
        )
        return (
            measures.filter(Q(responsible_unit=self) | Q(appropriation_manager=self)).exists()
            or measures.filter(co_executors=self).exists()
        )


class FundingSource(RecordedReference):
    """Where money comes from: SB (municipal budget), VB, ES, SAARSP …"""

    # The position orders the budget's columns, which is presentation, not record.
    RECORD_FIELDS = frozenset({"code", "name"})

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return f"{self.code} – {self.name}"

    def in_frozen_record(self) -> bool:
        lines = apps.get_model("plans", "FundingLine")._base_manager
        return (
            lines.filter(source=self)
            .exclude(measure__version__status__in=EDITABLE_STATUSES)
            .exists()
        )
