"""Climate test data, written through the services as the app would."""

from __future__ import annotations

from decimal import Decimal

from climate import services
from climate.constants import CARRIER_SLUGS, FUEL_CARRIERS, SECTOR_SLUGS
from climate.models import Inventory
from tests import factories


def staff(username="climate-staff"):
    return factories.UserFactory(username=username, role="staff")


def inventory(
    *,
    user=None,
    kind="baseline",
    year=2012,
    population=1000,
    cells=None,
    published=True,
    **kwargs,
) -> Inventory:
    """An inventory as staff enter it; published unless ``published=False``
    (most tests read what the public sees)."""
    user = user or staff()
    inv = services.inventory_create(
        user=user, kind=kind, year=year, population=population, **kwargs
    )
    if cells:
        services.consumption_replace(
            user=user, inventory=inv, cells={key: Decimal(str(v)) for key, v in cells.items()}
        )
    if published:
        inv = services.inventory_publish(user=user, inventory=inv)
    return inv


def full_inventory(*, user=None, kind="monitoring", year=2020, rows=3, published=True) -> Inventory:
    """Every Table A cell filled, ``rows`` plants in each of Tables C and D,
    ``rows`` purchases and ``rows`` other emissions."""
    user = user or staff()
    cells = {
        (s, c): Decimal(100 + i * 7 + j)
        for i, s in enumerate(SECTOR_SLUGS)
        for j, c in enumerate(CARRIER_SLUGS)
    }
    inv = inventory(
        user=user, kind=kind, year=year, population=5000, cells=cells, published=published
    )
    for n in range(rows):
        for output, tech in (("electricity", "chp"), ("heat", "district_heating")):
            services.production_add(
                user=user,
                inventory=inv,
                output=output,
                technology=tech,
                name=f"Plant {n}",
                produced_mwh=Decimal(50 + n),
                fuels={c: Decimal(10 + n) for c in FUEL_CARRIERS[:4]},
            )
        services.green_purchase_add(
            user=user, inventory=inv, supplier=f"S{n}", mwh=Decimal(5), factor=Decimal("0.01")
        )
        services.other_emission_add(
            user=user, inventory=inv, category="waste", description=f"W{n}", co2_t=Decimal(3)
        )
    services.factors_replace(
        user=user, inventory=inv, factors={"diesel": Decimal("0.3"), "coal": Decimal("0.35")}
    )
    return inv


def ensure_default_factors() -> None:
    """The library's defaults as migration 0002 loads them: a test database
    flushed by a transactional test (the browser tests) has lost them."""
    import importlib

    from climate.models import EmissionFactor

    defaults = importlib.import_module("climate.migrations.0002_default_factors").DEFAULTS
    for carrier, (ipcc, lca) in defaults.items():
        for approach, value in (("ipcc", ipcc), ("lca", lca)):
            EmissionFactor.objects.get_or_create(
                carrier=carrier, approach=approach, defaults={"value": Decimal(value)}
            )
