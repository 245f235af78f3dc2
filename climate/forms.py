"""Browser forms of the climate staff pages. Validation beyond field types
(one baseline, a key of the plan …) is the services' job."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from planportal.years import YEAR_MAX, YEAR_MIN
from plans.forms import AccessibleFormMixin
from plans.models import Measure, PlanVersion

from .constants import (
    ACTION_SECTORS,
    CARRIER_LABELS,
    CARRIERS,
    ELECTRICITY_TECHNOLOGIES,
    FUEL_CARRIERS,
    HEAT_TECHNOLOGIES,
)
from .models import Approach, InventoryKind, OtherEmission, SeapStatus, Target

# What people (and Lithuanian Excel, and Django's own number formatting)
# put between thousands: a space, a no-break space, a thin or narrow
# no-break space.
THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u2009\u202f")


def without_thousands_separators(value: str) -> str:
    return value.strip().translate(THOUSANDS_SEPARATORS)


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the Lithuanian way or the English way: "1 234,5" and
    "1234.5" are the same; a comma is always the decimal separator."""

    def to_python(self, value):
        if isinstance(value, str):
            value = without_thousands_separators(value).replace(",", ".")
        return super().to_python(value)


class LocalIntegerField(forms.IntegerField):
    """A whole number with its thousands grouped as people write them: "98 450"
    (a space, a no-break or a thin space) is 98450."""

    def to_python(self, value):
        if isinstance(value, str):
            value = without_thousands_separators(value)
        return super().to_python(value)


def _decimal(label, *, places=3, required=True, max_digits=16, help_text="", maximum=None):
    return LocalDecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=places,
        min_value=Decimal("0"),
        max_value=maximum,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class InventoryForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InventoryKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    population = LocalIntegerField(
        label=_("Population"),
        min_value=1,
        max_value=100_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    approach = forms.ChoiceField(
        label=_("Approach"), choices=Approach.choices, initial=Approach.IPCC
    )
    heat_import_co2_t = _decimal(_("CO2 of imported heat, t"), required=False)
    heat_export_co2_t = _decimal(_("CO2 of exported heat, t"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class NewInventoryForm(InventoryForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["heat_import_co2_t"], self.fields["heat_export_co2_t"]


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("Table A as CSV"),
        help_text=_("Sectors as rows, carriers as columns, MWh; the layout of the export."),
    )


class TargetForm(AccessibleFormMixin, forms.Form):
    percent = _decimal(_("Reduction, %"), places=2, max_digits=5, maximum=Decimal("100"))
    year = forms.IntegerField(label=_("Target year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Target.Kind.choices)


class SeapProgressForm(AccessibleFormMixin, forms.Form):
    """What a SEAP measure achieved in a year (climate.services.seap_progress_set)."""

    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    status = forms.ChoiceField(label=_("Status"), choices=SeapStatus.choices)
    energy_saving_mwh = _decimal(_("Energy saving achieved, MWh"), required=False)
    renewable_mwh = _decimal(_("Renewable energy produced, MWh"), required=False)
    co2_reduction_t = _decimal(_("CO2 reduction achieved, t"), required=False)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the measure is delayed or cancelled: say why."),
    )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name] if data[name] is not None else Decimal("0")
            for name in ("energy_saving_mwh", "renewable_mwh", "co2_reduction_t")
        } | {"year": data["year"], "status": data["status"], "note": data["note"]}


class ProductionForm(AccessibleFormMixin, forms.Form):
    technology = forms.ChoiceField(label=_("Technology"))
    name = forms.CharField(label=_("Plant"), required=False, max_length=255)
    produced_mwh = _decimal(_("Produced, MWh"))

    def __init__(self, *args, output: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.output = output
        # A ChoiceField; the form's fields are typed as any Field.
        self.fields["technology"].choices = (  # type: ignore[attr-defined]
            ELECTRICITY_TECHNOLOGIES if output == "electricity" else HEAT_TECHNOLOGIES
        )
        for carrier in FUEL_CARRIERS:
            self.fields[f"fuel_{carrier}"] = _decimal(CARRIER_LABELS[carrier], required=False)

    def fuel_fields(self):
        return [self[f"fuel_{c}"] for c in FUEL_CARRIERS]

    def fuels(self) -> dict:
        return {
            c: self.cleaned_data[f"fuel_{c}"]
            for c in FUEL_CARRIERS
            if self.cleaned_data.get(f"fuel_{c}")
        }


class GreenPurchaseForm(AccessibleFormMixin, forms.Form):
    supplier = forms.CharField(label=_("Supplier"), required=False, max_length=255)
    mwh = _decimal(_("Purchased, MWh"))
    factor = _decimal(
        _("Emission factor, t CO2 per MWh"),
        places=6,
        max_digits=10,
        maximum=Decimal("10"),
        required=False,
    )


class OtherEmissionForm(AccessibleFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=OtherEmission.Category.choices)
    description = forms.CharField(label=_("Description"), required=False, max_length=255)
    co2_t = _decimal(_("CO2, t"))


class OverridesForm(AccessibleFormMixin, forms.Form):
    """This inventory's own factor for any carrier; empty = the library's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for carrier, label in CARRIERS:
            self.fields[carrier] = _decimal(
                label, places=6, max_digits=10, maximum=Decimal("10"), required=False
            )

    def factors(self) -> dict:
        return {c: v for c, v in self.cleaned_data.items() if v is not None}


class LibraryForm(AccessibleFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for carrier, label in CARRIERS:
            for approach, name in (("ipcc", "IPCC"), ("lca", "LCA")):
                self.fields[f"{approach}_{carrier}"] = _decimal(
                    f"{label} ({name})", places=6, max_digits=10, maximum=Decimal("10")
                )


class NationalFactorForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    approach = forms.ChoiceField(label=_("Approach"), choices=Approach.choices)
    value = _decimal(_("t CO2 per MWh"), places=6, max_digits=10, maximum=Decimal("10"))
    source = forms.CharField(label=_("Source"), required=False, max_length=255)


def plan_measure_choices():
    """Measures of every plan's newest version (in force, else the newest),
    as "plan id:key" → "code title"; the key is what stays across versions."""
    versions: dict[int, PlanVersion] = {}
    for version in PlanVersion.objects.select_related("plan").order_by("plan_id", "number"):
        current = versions.get(version.plan_id)
        if current is None or not current.is_in_force or version.is_in_force:
            versions[version.plan_id] = version
    choices: list[tuple[str, Any]] = [("", _("— not linked —"))]
    measures = (
        Measure.objects.filter(version__in=list(versions.values()))
        .select_related("version__plan")
        .order_by("version__plan_id", "code")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in measures:
        groups.setdefault(m.version.plan.title, []).append(
            (f"{m.version.plan_id}:{m.key}", f"{m.code} {m.title}"[:160])
        )
    choices += list(groups.items())
    return choices


class SeapMeasureForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    sector = forms.ChoiceField(label=_("Sector"), choices=ACTION_SECTORS)
    field_of_action = forms.CharField(label=_("Field of action"), required=False, max_length=255)
    responsible = forms.CharField(
        label=_("Responsible department, person or company"), required=False, max_length=255
    )
    start_year = forms.IntegerField(label=_("Start"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = forms.IntegerField(label=_("End"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    estimated_cost = _decimal(_("Estimated cost, EUR"), places=2, max_digits=14, required=False)
    energy_saving_mwh = _decimal(_("Expected energy saving, MWh/a"), required=False)
    renewable_mwh = _decimal(_("Expected renewable energy production, MWh/a"), required=False)
    co2_reduction_t = _decimal(_("Expected CO2 reduction, t/a"), required=False)
    link = forms.ChoiceField(label=_("Measure of the strategic plan"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A ChoiceField; the form's fields are typed as any Field.
        self.fields["link"].choices = plan_measure_choices()  # type: ignore[attr-defined]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("start_year")
            and data.get("end_year")
            and data["end_year"] < data["start_year"]
        ):
            self.add_error("end_year", _("The end year is before the start year."))
        return data

    def service_kwargs(self) -> dict:
        from uuid import UUID

        from plans.models import Plan

        data = dict(self.cleaned_data)
        link = data.pop("link")
        plan, key = None, None
        if link:
            plan_id, key_text = link.split(":", 1)
            plan, key = Plan.objects.get(pk=int(plan_id)), UUID(key_text)
        for name in ("energy_saving_mwh", "renewable_mwh", "co2_reduction_t"):
            data[name] = data[name] or Decimal("0")
        return {"plan": plan, "measure_key": key, **data}
