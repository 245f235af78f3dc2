"""Serializers of the climate API. Decimals are strings (COERCE_DECIMAL_TO_STRING), never floats."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from planportal.api import RejectUnknownFieldsMixin
from planportal.years import YEAR_MAX, YEAR_MIN
from plans.models import Plan

from .. import calc
from ..constants import ACTION_SECTORS, CARRIER_SLUGS, SECTOR_SLUGS
from ..models import (
    Approach,
    InventoryKind,
    InventoryStatus,
    SeapMeasure,
    SeapProgress,
    SeapStatus,
    Target,
)


class InventoryWriteSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    kind = serializers.ChoiceField(choices=InventoryKind.values)
    population = serializers.IntegerField(min_value=1, max_value=100_000_000)
    approach = serializers.ChoiceField(choices=Approach.values, default=Approach.IPCC)
    heat_import_co2_t = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=0, required=False
    )
    heat_export_co2_t = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=0, required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def _dec(value, places: int = 6) -> str:
    """A Decimal as text, never a float: to the gram (t) or kWh/1000 (MWh),
    factors to 9 places, without trailing zeros or exponent notation."""
    return calc.plain(value.quantize(Decimal(1).scaleb(-places)))


def inventory_payload(report) -> dict:
    inv, r = report.inventory, report.result
    return {
        "id": inv.pk,
        "year": inv.year,
        "kind": inv.kind,
        "population": inv.population,
        "approach": inv.approach,
        "status": inv.status,
        "published_at": inv.published_at.isoformat() if inv.published_at else None,
        "note": inv.note,
        "heat_import_co2_t": _dec(inv.heat_import_co2_t),
        "heat_export_co2_t": _dec(inv.heat_export_co2_t),
        "total_mwh": _dec(r.total_mwh),
        "energy_co2_t": _dec(r.energy_co2_t),
        "other_co2_t": _dec(r.other_co2_t),
        "total_co2_t": _dec(r.total_co2_t),
        "co2_by_sector": {s: _dec(r.co2_by_sector[s]) for s in SECTOR_SLUGS},
        "mwh_by_sector": {s: _dec(r.mwh_by_sector[s]) for s in SECTOR_SLUGS},
        "co2_per_capita_t": _dec(r.co2_per_capita_t),
        "factors": {c: _dec(r.factors[c], 9) for c in CARRIER_SLUGS},
        "factor_overrides": {c: _dec(v, 9) for c, v in report.overrides.items()},
        "electricity": {
            "total_consumption_mwh": _dec(r.electricity.tce),
            "local_production_mwh": _dec(r.electricity.lpe),
            "green_purchases_mwh": _dec(r.electricity.gep),
            "national_factor": _dec(r.electricity.neefe, 9),
            "net_exporter": r.electricity.net_exporter,
        },
        "consumption": [
            {"sector": s, "carrier": c, "mwh": _dec(v)} for (s, c), v in r.mwh.items() if v
        ],
        "warnings": [
            {
                "code": w["code"],
                "carrier": w["carrier"],
                "mwh": _dec(w["mwh"]),
                "message": _(
                    "%(carrier)s: %(mwh)s MWh consumed without an emission factor are "
                    "counted as 0 t CO2."
                )
                # The message is for people: the amount grouped the reader's way.
                % {"carrier": w["label"], "mwh": floatformat(w["mwh"], "-1g")},
            }
            for w in report.warnings
        ],
        "url": inv.get_absolute_url(),
    }


class CellSerializer(serializers.Serializer):
    """Documentation only: the service validates the list as a whole."""

    sector = serializers.ChoiceField(choices=SECTOR_SLUGS)
    carrier = serializers.ChoiceField(choices=CARRIER_SLUGS)
    mwh = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0)


# --- What ``inventory_payload`` answers, for the schema (documentation only) -------


def _amount(**kwargs) -> serializers.CharField:
    # Decimal strings without trailing zeros ("598000", "1.588796"): a plain
    # string in the schema, as DecimalField would insist on its own format.
    return serializers.CharField(read_only=True, **kwargs)


def _by(slugs: Iterable[str]) -> serializers.DictField:
    return serializers.DictField(child=_amount(), read_only=True, help_text=", ".join(slugs))


class ElectricitySerializer(serializers.Serializer):
    total_consumption_mwh = _amount()
    local_production_mwh = _amount()
    green_purchases_mwh = _amount()
    national_factor = _amount()
    net_exporter = serializers.BooleanField(read_only=True)


class InventoryWarningSerializer(serializers.Serializer):
    """Something the figures lack: ``missing_factor``, a carrier consumed
    without an emission factor and so counted as 0 t CO2."""

    code = serializers.ChoiceField(choices=["missing_factor"], read_only=True)
    carrier = serializers.ChoiceField(choices=CARRIER_SLUGS, read_only=True)
    mwh = _amount()
    message = serializers.CharField(read_only=True)


class InventorySerializer(serializers.Serializer):
    """An inventory with Table B computed (``inventory_payload``)."""

    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=InventoryKind.values, read_only=True)
    population = serializers.IntegerField(read_only=True)
    approach = serializers.ChoiceField(choices=Approach.values, read_only=True)
    status = serializers.ChoiceField(choices=InventoryStatus.values, read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    heat_import_co2_t = _amount()
    heat_export_co2_t = _amount()
    total_mwh = _amount()
    energy_co2_t = _amount()
    other_co2_t = _amount()
    total_co2_t = _amount()
    co2_by_sector = _by(SECTOR_SLUGS)
    mwh_by_sector = _by(SECTOR_SLUGS)
    co2_per_capita_t = _amount()
    factors = _by(CARRIER_SLUGS)
    factor_overrides = _by(CARRIER_SLUGS)
    electricity = ElectricitySerializer(read_only=True)
    consumption = CellSerializer(many=True, read_only=True)
    warnings = InventoryWarningSerializer(many=True, read_only=True)
    url = serializers.CharField(read_only=True)


class InventoryFactorsSerializer(serializers.Serializer):
    factors = _by(CARRIER_SLUGS)
    overrides = _by(CARRIER_SLUGS)


class ClimateTargetSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=Decimal("100")
    )
    year = serializers.IntegerField(min_value=YEAR_MIN, max_value=YEAR_MAX)
    kind = serializers.ChoiceField(choices=Target.Kind.values, default=Target.Kind.ABSOLUTE)

    class Meta:
        model = Target
        fields = ["percent", "year", "kind"]


class SeapProgressSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    """What a SEAP measure achieved in a year (MWh and t in that year); the
    year is the URL's on a write."""

    status = serializers.ChoiceField(choices=SeapStatus.values)
    energy_saving_mwh = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=Decimal("0"), required=False
    )
    renewable_mwh = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=Decimal("0"), required=False
    )
    co2_reduction_t = serializers.DecimalField(
        max_digits=16, decimal_places=3, min_value=Decimal("0"), required=False
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        model = SeapProgress
        fields = ["year", "status", "energy_saving_mwh", "renewable_mwh", "co2_reduction_t", "note"]
        read_only_fields = ["year"]


class SeapMeasureSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    sector = serializers.ChoiceField(choices=[s for s, _l in ACTION_SECTORS])
    plan = serializers.PrimaryKeyRelatedField(
        queryset=Plan.objects.all(), allow_null=True, required=False
    )
    measure_key = serializers.UUIDField(allow_null=True, required=False)
    plan_measure = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = SeapMeasure
        fields = [
            "id",
            "title",
            "sector",
            "field_of_action",
            "responsible",
            "start_year",
            "end_year",
            "estimated_cost",
            "energy_saving_mwh",
            "renewable_mwh",
            "co2_reduction_t",
            "plan",
            "measure_key",
            "plan_measure",
            "note",
            "progress",
        ]
        read_only_fields = ["id", "plan_measure", "progress"]

    @extend_schema_field(SeapProgressSerializer(many=True))
    def get_progress(self, obj) -> list[dict]:
        """What the measure achieved, by year (climate.selectors.attach_progress)."""
        return list(SeapProgressSerializer(getattr(obj, "progress_rows", []), many=True).data)

    def get_plan_measure(self, obj) -> dict | None:
        """The linked measure in the plan's version in force: id, code, title."""
        measure = getattr(obj, "plan_measure", None)
        if measure is None:
            return None
        return {
            "id": measure.pk,
            "code": measure.code,
            "title": measure.title,
            "version": measure.version_id,
        }

    def validate(self, attrs):
        start = attrs.get("start_year", getattr(self.instance, "start_year", None))
        end = attrs.get("end_year", getattr(self.instance, "end_year", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"end_year": _("The end year is before the start year.")}
            )
        return attrs
