"""The Covenant of Mayors inventory and the sustainable energy action plan.

An ``Inventory`` (baseline BEI or monitoring MEI) holds Table A (final energy
consumption, one ``Consumption`` row per non-empty sector × carrier cell),
Tables C and D (``LocalProduction`` of electricity or heat, each with its
``ProductionFuel`` inputs), ``GreenPurchase``s of certified electricity,
``OtherEmission``s (waste, wastewater) and per-inventory ``FactorOverride``s.
Table B is never stored: climate/calc.py computes it from these rows and the
``EmissionFactor`` library (with ``NationalElectricityFactor`` by year).

Climate data belong to the municipality, not to one plan version: a
``SeapMeasure`` links to a strategic-plan measure by the plan and the
measure's ``key``, which stays the same when a new version copies the tree,
so the link holds for whatever version a reader looks at.

Quantities are ``Decimal`` (DecimalField) everywhere; nothing is a float.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from planportal.years import YEAR_VALIDATORS

from .constants import (
    ACTION_SECTORS,
    CARRIERS,
    ELECTRICITY_TECHNOLOGIES,
    HEAT_TECHNOLOGIES,
    SECTORS,
)

if TYPE_CHECKING:
    from plans.models import Measure

NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Approach(models.TextChoices):
    IPCC = "ipcc", _("Standard (IPCC)")
    LCA = "lca", _("Life cycle assessment (LCA)")


class InventoryKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline emission inventory (BEI)")
    MONITORING = "monitoring", _("Monitoring emission inventory (MEI)")


class InventoryStatus(models.TextChoices):
    """A new inventory is a draft that only staff see, so that half-entered
    figures (a carrier still without its factor) never reach the public page,
    the API, the PDF or a yearly report; staff publish it once it is checked."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def mwh_field(verbose_name, **kwargs):
    # 13 integer digits of MWh (far above any municipality) and kWh precision.
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=3, validators=NOT_NEGATIVE, **kwargs
    )


def factor_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))],
        **kwargs,
    )


class EmissionFactor(models.Model):
    """The library: the default factor of a carrier under one approach (t CO2/MWh).

    For ``electricity`` this is the fallback national factor, used when no
    ``NationalElectricityFactor`` exists for the inventory's year.
    """

    carrier = models.CharField(_("energy carrier"), max_length=20, choices=CARRIERS)
    approach = models.CharField(_("approach"), max_length=4, choices=Approach.choices)
    value = factor_field(_("t CO2 per MWh"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["approach", "carrier"]
        verbose_name = _("emission factor")
        verbose_name_plural = _("emission factors")
        constraints = [
            models.UniqueConstraint(fields=["carrier", "approach"], name="climate_factor_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="climate_factor_not_negative"),
        ]

    def __str__(self):
        return f"{self.carrier} ({self.approach}): {self.value}"


class NationalElectricityFactor(models.Model):
    """Lithuania's national electricity factor (NEEFE) of a year, t CO2/MWh."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    approach = models.CharField(_("approach"), max_length=4, choices=Approach.choices)
    value = factor_field(_("t CO2 per MWh"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["approach", "year"]
        verbose_name = _("national electricity factor")
        verbose_name_plural = _("national electricity factors")
        constraints = [
            models.UniqueConstraint(fields=["year", "approach"], name="climate_neefe_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="climate_neefe_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.approach}"


class Inventory(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=InventoryKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    population = models.PositiveIntegerField(_("population"), validators=[MinValueValidator(1)])
    approach = models.CharField(
        _("approach"), max_length=4, choices=Approach.choices, default=Approach.IPCC
    )
    # For the heat factor (EFH): CO2 of heat bought from outside the territory
    # and of heat sold out of it, t.
    heat_import_co2_t = models.DecimalField(
        _("CO2 of imported heat, t"),
        max_digits=16,
        decimal_places=3,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    heat_export_co2_t = models.DecimalField(
        _("CO2 of exported heat, t"),
        max_digits=16,
        decimal_places=3,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InventoryStatus.choices,
        default=InventoryStatus.DRAFT,
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "kind"]
        verbose_name = _("emission inventory")
        verbose_name_plural = _("emission inventories")
        constraints = [
            # One baseline: progress is measured against it.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="baseline"), name="climate_one_baseline"
            ),
            models.UniqueConstraint(fields=["kind", "year"], name="climate_inventory_year_unique"),
            models.CheckConstraint(
                condition=Q(population__gte=1), name="climate_population_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    def get_absolute_url(self):
        return reverse("climate:inventory", args=[self.pk])

    @property
    def is_baseline(self) -> bool:
        return self.kind == InventoryKind.BASELINE

    @property
    def is_published(self) -> bool:
        return self.status == InventoryStatus.PUBLISHED

    @property
    def short_label(self) -> str:
        return f"{'BEI' if self.is_baseline else 'MEI'} {self.year}"


class Consumption(models.Model):
    """One Table A cell; an absent cell is zero."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="consumption")
    sector = models.CharField(_("sector"), max_length=20, choices=SECTORS)
    carrier = models.CharField(_("energy carrier"), max_length=20, choices=CARRIERS)
    mwh = mwh_field(_("MWh"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "sector", "carrier"], name="climate_cell_unique"
            ),
            models.CheckConstraint(condition=Q(mwh__gte=0), name="climate_cell_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_id} {self.sector} × {self.carrier}"


class FactorOverride(models.Model):
    """This inventory's own factor for a carrier (for electricity: its NEEFE)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="overrides")
    carrier = models.CharField(_("energy carrier"), max_length=20, choices=CARRIERS)
    value = factor_field(_("t CO2 per MWh"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "carrier"], name="climate_override_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="climate_override_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_id} {self.carrier}"


class LocalProduction(models.Model):
    """A Table C (electricity) or Table D (heat) row: a local plant or a group of them.

    A CHP plant appears in both tables, each with the share of fuel
    attributed to that output.
    """

    class Output(models.TextChoices):
        ELECTRICITY = "electricity", _("Electricity")
        HEAT = "heat", _("Heat/cold")

    TECHNOLOGIES = tuple(dict(ELECTRICITY_TECHNOLOGIES + HEAT_TECHNOLOGIES).items())

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="productions")
    output = models.CharField(_("output"), max_length=11, choices=Output.choices)
    technology = models.CharField(_("technology"), max_length=20, choices=TECHNOLOGIES)
    name = models.CharField(_("plant"), max_length=255, blank=True)
    produced_mwh = mwh_field(_("produced, MWh"))
    # Not stored: climate.selectors.inventory_reports sets the plant's fuel
    # rows and its computed CO2 (t) for the inventory page.
    fuel_list: list[ProductionFuel]
    co2_t: Decimal

    class Meta:
        ordering = ["output", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(produced_mwh__gte=0), name="climate_production_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.output} {self.technology}"


class ProductionFuel(models.Model):
    production = models.ForeignKey(LocalProduction, on_delete=models.CASCADE, related_name="fuels")
    carrier = models.CharField(_("fuel"), max_length=20, choices=CARRIERS)
    mwh = mwh_field(_("fuel input, MWh"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["production", "carrier"], name="climate_fuel_unique"),
            models.CheckConstraint(condition=Q(mwh__gte=0), name="climate_fuel_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.production_id} {self.carrier}"


class GreenPurchase(models.Model):
    """Certified green electricity bought by the municipality (GEP)."""

    inventory = models.ForeignKey(
        Inventory, on_delete=models.CASCADE, related_name="green_purchases"
    )
    supplier = models.CharField(_("supplier"), max_length=255, blank=True)
    mwh = mwh_field(_("MWh"))
    factor = factor_field(_("t CO2 per MWh"), default=Decimal("0"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mwh__gte=0) & Q(factor__gte=0), name="climate_green_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.supplier or f"{self.inventory_id} green purchase"


class OtherEmission(models.Model):
    class Category(models.TextChoices):
        WASTE = "waste", _("Waste management")
        WASTEWATER = "wastewater", _("Wastewater management")
        OTHER = "other", _("Other non-energy emissions")

    inventory = models.ForeignKey(
        Inventory, on_delete=models.CASCADE, related_name="other_emissions"
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    co2_t = models.DecimalField(
        _("CO2, t"), max_digits=16, decimal_places=3, validators=NOT_NEGATIVE
    )

    class Meta:
        ordering = ["category", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(co2_t__gte=0), name="climate_other_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description or self.category


class Target(models.Model):
    """The reduction target against the baseline (one per municipality: pk 1)."""

    class Kind(models.TextChoices):
        ABSOLUTE = "absolute", _("Absolute reduction (t CO2)")
        PER_CAPITA = "per_capita", _("Per capita reduction (t CO2 per inhabitant)")

    percent = models.DecimalField(
        _("reduction, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    year = models.PositiveSmallIntegerField(_("target year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ABSOLUTE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reduction target")
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gt=0) & Q(percent__lte=100), name="climate_target_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent} % by {self.year}"


class SeapMeasure(models.Model):
    """A measure of the sustainable energy action plan."""

    title = models.CharField(_("title"), max_length=500)
    sector = models.CharField(_("sector"), max_length=20, choices=ACTION_SECTORS)
    field_of_action = models.CharField(_("field of action"), max_length=255, blank=True)
    responsible = models.CharField(
        _("responsible department, person or company"), max_length=255, blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("start"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(_("end"), validators=YEAR_VALIDATORS)
    estimated_cost = models.DecimalField(
        _("estimated cost, EUR"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    energy_saving_mwh = mwh_field(_("expected energy saving, MWh/a"), default=Decimal("0"))
    renewable_mwh = mwh_field(
        _("expected renewable energy production, MWh/a"), default=Decimal("0")
    )
    co2_reduction_t = models.DecimalField(
        _("expected CO2 reduction, t/a"),
        max_digits=16,
        decimal_places=3,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    # The strategic-plan measure: its plan and its key (stable across versions).
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seap_measures",
        verbose_name=_("strategic plan"),
    )
    measure_key = models.UUIDField(_("plan measure"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Not stored: climate.selectors sets the linked measure of the version
    # shown (None when there is none) before a page or the PDF lists it.
    plan_measure: Measure | None
    # Not stored either: climate.selectors.attach_progress sets what the
    # measure achieved by year and the latest of it.
    progress_rows: list[SeapProgress]
    latest_progress: SeapProgress | None

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("action plan measure")
        verbose_name_plural = _("action plan measures")
        indexes = [models.Index(fields=["plan", "measure_key"], name="climate_seap_link")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="climate_seap_years"
            ),
            models.CheckConstraint(
                condition=Q(energy_saving_mwh__gte=0)
                & Q(renewable_mwh__gte=0)
                & Q(co2_reduction_t__gte=0),
                name="climate_seap_not_negative",
            ),
        ]

    def __str__(self):
        return self.title


class SeapStatus(models.TextChoices):
    """How far a SEAP measure is carried out (the same words as the plan's
    measures in monitoring, kept here: climate does not import monitoring)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


# A delayed or cancelled measure says why.
SEAP_STATUSES_NEEDING_REASON = frozenset({SeapStatus.DELAYED, SeapStatus.CANCELLED})


class SeapProgress(models.Model):
    """What a SEAP measure actually achieved in a year: its status and the
    energy saved, renewable energy produced and CO2 avoided in that year (to
    compare with the measure's expected yearly effect)."""

    seap_measure = models.ForeignKey(
        SeapMeasure,
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("action plan measure"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    status = models.CharField(_("status"), max_length=20, choices=SeapStatus.choices)
    energy_saving_mwh = mwh_field(_("energy saving achieved, MWh"), default=Decimal("0"))
    renewable_mwh = mwh_field(_("renewable energy produced, MWh"), default=Decimal("0"))
    co2_reduction_t = models.DecimalField(
        _("CO2 reduction achieved, t"),
        max_digits=16,
        decimal_places=3,
        default=Decimal("0"),
        validators=NOT_NEGATIVE,
    )
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["seap_measure", "year"]
        verbose_name = _("progress of an action plan measure")
        verbose_name_plural = _("progress of action plan measures")
        constraints = [
            models.UniqueConstraint(
                fields=["seap_measure", "year"], name="climate_seap_progress_year"
            ),
            models.CheckConstraint(
                condition=Q(energy_saving_mwh__gte=0)
                & Q(renewable_mwh__gte=0)
                & Q(co2_reduction_t__gte=0),
                name="climate_seap_progress_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted(SEAP_STATUSES_NEEDING_REASON)) | ~Q(note=""),
                name="climate_seap_progress_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seap_measure_id} {self.year}: {self.status}"
