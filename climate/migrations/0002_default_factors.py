"""The library's default emission factors (t CO2/MWh), docs/domain.md §4.

Standard (IPCC) values are the Covenant of Mayors guidebook's; LCA values
other than natural gas, gasoline and diesel are the guidebook's as well but
marked unverified. Staff edit them on the factor library page; every
inventory can override any of them.
"""

from decimal import Decimal

from django.db import migrations

IPCC = "IPCC 2006, Covenant of Mayors guidebook"
LCA = "Covenant of Mayors guidebook (LCA, unverified)"

DEFAULTS = {
    # carrier: (IPCC, LCA)
    "electricity": ("0.153", "0.174"),  # Lithuania's NEEFE in the 2010 guidebook (unverified)
    # Heat is computed from Table D (EFH); this is only the fallback when an
    # inventory has no local heat data.
    "heat": ("0", "0"),
    "natural_gas": ("0.202", "0.237"),
    "liquid_gas": ("0.227", "0.241"),
    "heating_oil": ("0.267", "0.305"),
    "diesel": ("0.267", "0.305"),
    "gasoline": ("0.249", "0.299"),
    "lignite": ("0.364", "0.375"),
    "coal": ("0.341", "0.380"),
    "other_fossil": ("0.279", "0.310"),  # residual fuel oil
    "plant_oil": ("0", "0.182"),
    "biofuel": ("0", "0.156"),
    "other_biomass": ("0", "0.002"),  # sustainably harvested wood
    "solar_thermal": ("0", "0"),
    "geothermal": ("0", "0"),
}


def load(apps, schema_editor):
    EmissionFactor = apps.get_model("climate", "EmissionFactor")
    for carrier, (ipcc, lca) in DEFAULTS.items():
        for approach, value, source in (("ipcc", ipcc, IPCC), ("lca", lca, LCA)):
            EmissionFactor.objects.get_or_create(
                carrier=carrier,
                approach=approach,
                defaults={"value": Decimal(value), "source": source},
            )


class Migration(migrations.Migration):
    dependencies = [("climate", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
