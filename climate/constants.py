"""The Covenant of Mayors' vocabulary: Table A sectors and energy carriers,
production technologies and action-plan sectors.

The slugs are part of the API contract (docs/api-contract.md, "Climate") and
of the CSV layout: never rename one. Display names are translated; the order
of the tuples is the order of the Covenant's Table A.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Table A rows, with the Covenant template's codes in the comments.
SECTORS = (
    ("municipal_buildings", _("Municipal buildings, equipment and facilities")),  # M11
    ("tertiary", _("Tertiary (non-municipal) buildings, equipment and facilities")),  # M12
    ("residential", _("Residential buildings")),  # M13
    ("public_lighting", _("Municipal public lighting")),  # M14
    ("industry", _("Industry (excluding EU ETS)")),  # M15
    ("municipal_fleet", _("Municipal fleet")),  # M31
    ("public_transport", _("Public transport")),  # M32
    ("private_transport", _("Private and commercial transport")),  # M33
)
BUILDING_SECTORS = ("municipal_buildings", "tertiary", "residential", "public_lighting", "industry")
TRANSPORT_SECTORS = ("municipal_fleet", "public_transport", "private_transport")

# Table A columns.
CARRIERS = (
    ("electricity", _("Electricity")),
    ("heat", _("Heat/cold")),
    ("natural_gas", _("Natural gas")),
    ("liquid_gas", _("Liquid gas")),
    ("heating_oil", _("Heating oil")),
    ("diesel", _("Diesel")),
    ("gasoline", _("Gasoline")),
    ("lignite", _("Lignite")),
    ("coal", _("Coal")),
    ("other_fossil", _("Other fossil fuels")),
    ("plant_oil", _("Plant oil")),
    ("biofuel", _("Biofuel")),
    ("other_biomass", _("Other biomass")),
    ("solar_thermal", _("Solar thermal")),
    ("geothermal", _("Geothermal")),
)
FOSSIL_CARRIERS = (
    "natural_gas",
    "liquid_gas",
    "heating_oil",
    "diesel",
    "gasoline",
    "lignite",
    "coal",
    "other_fossil",
)
RENEWABLE_CARRIERS = ("plant_oil", "biofuel", "other_biomass", "solar_thermal", "geothermal")
# Carriers whose emission factor may rightly be zero without the inventory
# saying so: under the standard (IPCC) approach renewable fuels count as
# zero-emission; under LCA only solar thermal and geothermal heat do. Any
# other carrier consumed at a zero factor from the library lacks its factor
# (climate.selectors.Report.warnings).
ZERO_FACTOR_CARRIERS = {
    "ipcc": frozenset(("plant_oil", "biofuel", "other_biomass", "solar_thermal", "geothermal")),
    "lca": frozenset(("solar_thermal", "geothermal")),
}
# What a local plant (Table C or D) may burn: every carrier but the two it makes.
FUEL_CARRIERS = FOSSIL_CARRIERS + RENEWABLE_CARRIERS

SECTOR_SLUGS = tuple(slug for slug, _label in SECTORS)
CARRIER_SLUGS = tuple(slug for slug, _label in CARRIERS)
SECTOR_LABELS = dict(SECTORS)
CARRIER_LABELS = dict(CARRIERS)

# Table C and D technologies.
ELECTRICITY_TECHNOLOGIES = (
    ("wind", _("Wind power")),
    ("hydro", _("Hydroelectric power")),
    ("pv", _("Photovoltaics")),
    ("chp", _("Combined heat and power")),
    ("other", _("Other")),
)
HEAT_TECHNOLOGIES = (
    ("chp", _("Combined heat and power")),
    ("district_heating", _("District heating (heat only)")),
    ("other", _("Other")),
)

# Sectors and fields of action of the action plan (SEAP).
# The first eight are Table A's sectors.
ACTION_SECTORS = SECTORS + (
    ("local_electricity", _("Local electricity production")),
    ("district_heating", _("Local district heating and CHP")),
    ("land_use", _("Land use planning")),
    ("procurement", _("Public procurement of products and services")),
    ("citizens", _("Working with citizens and stakeholders")),
    ("other", _("Other")),
)
