"""The funding of measures: an amount per year and source."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from planportal.years import YEAR_VALIDATORS

from .guards import GuardedQuerySet, guard_delete, guard_save
from .reference import FundingSource
from .tree import Measure


class FundingQuerySet(GuardedQuerySet):
    version_path = "measure__version"
    placement_fields = frozenset({"measure"})


class FundingLine(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="funding")
    year = models.PositiveIntegerField(_("year"), validators=YEAR_VALIDATORS)
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount, EUR"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = FundingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "source__position", "source__code"]
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year", "source"], name="funding_unique_year_source"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.year} {self.source.code}: {self.amount}"

    # The last line of defence (plans.models.guards): a frozen version's
    # funding does not change, and no line moves to another version's measure.
    def save(self, *args, **kwargs):
        guard_save(self, version_path="measure__version", parents=["measure"], own_version=False)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_delete(self, version_path="measure__version")
        return super().delete(*args, **kwargs)
