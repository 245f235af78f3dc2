"""Reference data the plans point at: responsible units and funding sources."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A department of the administration or a municipal institution."""

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


class FundingSource(models.Model):
    """Where money comes from: SB (municipal budget), VB, ES, SAARSP …"""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=255)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return f"{self.code} – {self.name}"
