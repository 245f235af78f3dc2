"""An inventory and its tables: the header (year, kind, population,
approach), Table A (final energy consumption by sector and carrier), Tables C
and D (local electricity and heat production with their fuels), green
electricity purchases and the other emissions (waste, wastewater).

Table A as a CSV file is in ``csv_table_a.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal.errors import Conflict
from planportal.years import YEAR_BOUNDS, is_valid_year

from ..constants import (
    CARRIER_SLUGS,
    ELECTRICITY_TECHNOLOGIES,
    FUEL_CARRIERS,
    HEAT_TECHNOLOGIES,
    SECTOR_SLUGS,
)
from ..models import (
    Approach,
    Consumption,
    GreenPurchase,
    Inventory,
    InventoryKind,
    InventoryStatus,
    LocalProduction,
    OtherEmission,
    ProductionFuel,
)
from ._common import MAX_ERRORS, _changed, parse_quantity, require_staff

if TYPE_CHECKING:
    from planportal.roles import AnyUser


# --- Inventories ---------------------------------------------------------------------


def _check_inventory_fields(
    *, kind: str, year: int, population: int, approach: str, exclude_pk: int | None = None
) -> None:
    errors = {}
    if kind not in InventoryKind.values:
        errors["kind"] = _("Choose „baseline“ or „monitoring“.")
    if not is_valid_year(year):
        errors["year"] = (
            _("The year must be a whole number between %(min)s and %(max)s.") % YEAR_BOUNDS
        )
    if not isinstance(population, int) or isinstance(population, bool) or population < 1:
        errors["population"] = _("The population must be a whole number of at least 1.")
    if approach not in Approach.values:
        errors["approach"] = _("Choose „ipcc“ or „lca“.")
    if not errors:
        # Without exclude_pk (a new inventory) this excludes nothing.
        others = Inventory.objects.exclude(pk=exclude_pk)  # type: ignore[misc]
        if kind == InventoryKind.BASELINE and others.filter(kind=kind).exists():
            errors["kind"] = _(
                "There is already a baseline inventory; add a monitoring inventory instead."
            )
        elif others.filter(kind=kind, year=year).exists():
            errors["year"] = _("There is already a monitoring inventory for %(year)s.") % {
                "year": year
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inventory_create(
    *,
    user: AnyUser,
    year: int,
    kind: str,
    population: int,
    approach: str = Approach.IPCC,
    note: str = "",
) -> Inventory:
    """A new, empty inventory. Preconditions: staff; at most one baseline, one
    monitoring inventory per year."""
    require_staff(user)
    _check_inventory_fields(kind=kind, year=year, population=population, approach=approach)
    inventory = Inventory.objects.create(
        year=year, kind=kind, population=population, approach=approach, note=note
    )
    _changed()
    return inventory


@transaction.atomic
def inventory_update(
    *,
    user: AnyUser,
    inventory: Inventory,
    year: int,
    kind: str,
    population: int,
    approach: str,
    heat_import_co2_t: Decimal | None = None,
    heat_export_co2_t: Decimal | None = None,
    note: str | None = None,
) -> Inventory:
    """Change an inventory's header. Preconditions as for ``inventory_create``."""
    require_staff(user)
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    _check_inventory_fields(
        kind=kind, year=year, population=population, approach=approach, exclude_pk=inventory.pk
    )
    inventory.year, inventory.kind, inventory.population, inventory.approach = (
        year,
        kind,
        population,
        approach,
    )
    if heat_import_co2_t is not None:
        inventory.heat_import_co2_t = heat_import_co2_t
    if heat_export_co2_t is not None:
        inventory.heat_export_co2_t = heat_export_co2_t
    if note is not None:
        inventory.note = note
    inventory.save()
    _changed()
    return inventory


class AlreadyPublished(Conflict):
    """The inventory is public already: publishing it again would change nothing."""

    code = "already_published"


@transaction.atomic
def inventory_publish(*, user: AnyUser, inventory: Inventory) -> Inventory:
    """Make a draft inventory public: its page, the API, the climate overview,
    the plan PDF's annex and the yearly reports show it from now on.

    Preconditions: staff; the inventory is a draft (else ``AlreadyPublished``,
    409). A carrier consumed without an emission factor does not stop it: the
    confirmation step shows those warnings, and every page repeats them.
    """
    require_staff(user)
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    if inventory.is_published:
        raise AlreadyPublished(
            _("%(inventory)s is published already.") % {"inventory": inventory.short_label}
        )
    inventory.status = InventoryStatus.PUBLISHED
    inventory.published_at = timezone.now()
    inventory.save(update_fields=["status", "published_at", "updated_at"])
    _changed()
    return inventory


@transaction.atomic
def inventory_delete(*, user: AnyUser, inventory: Inventory) -> None:
    require_staff(user)
    inventory.delete()
    _changed()


# --- Table A -------------------------------------------------------------------------


CELL_FIELDS = {"sector", "carrier", "mwh"}


def clean_cells(items: object) -> dict[tuple[str, str], Decimal]:
    """Validate a list of ``{"sector", "carrier", "mwh"}`` as a whole.

    Every error names its item; any error refuses the whole list.
    """
    if not isinstance(items, list):
        raise ValidationError(_("Send a list of cells, each with „sector“, „carrier“ and „mwh“."))
    cells, errors = {}, []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(
                _("Item %(n)d: an object with „sector“, „carrier“ and „mwh“ is required.")
                % {"n": index}
            )
            continue
        sector, carrier = item.get("sector"), item.get("carrier")
        where = _("Item %(n)d (sector „%(sector)s“, carrier „%(carrier)s“)") % {
            "n": index,
            "sector": sector,
            "carrier": carrier,
        }
        unknown = sorted(str(name) for name in set(item) - CELL_FIELDS)
        if unknown:
            # Refused, not dropped (docs/api.md, "Errors"): the client would
            # believe the cell says something it does not.
            errors.append(
                _("%(where)s: unknown field „%(name)s“.") % {"where": where, "name": unknown[0]}
            )
            continue
        if sector not in SECTOR_SLUGS:
            errors.append(
                _("%(where)s: unknown sector; the inventory's sectors are: %(sectors)s.")
                % {"where": where, "sectors": ", ".join(SECTOR_SLUGS)}
            )
            continue
        if carrier not in CARRIER_SLUGS:
            errors.append(_("%(where)s: unknown energy carrier.") % {"where": where})
            continue
        if (sector, carrier) in cells:
            errors.append(_("%(where)s: this cell is given twice.") % {"where": where})
            continue
        try:
            cells[(sector, carrier)] = parse_quantity(item.get("mwh"))
        except ValueError as error:
            errors.append(_("%(where)s: MWh %(error)s.") % {"where": where, "error": error})
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return cells


@transaction.atomic
def consumption_replace(
    *, user: AnyUser, inventory: Inventory, cells: dict[tuple[str, str], Decimal]
) -> None:
    """Replace the inventory's whole Table A with ``cells`` (zero cells are not stored).

    Preconditions: staff; the cells were validated (``clean_cells`` or
    ``parse_table_a_csv``).
    """
    require_staff(user)
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    for (sector, carrier), mwh in cells.items():
        if sector not in SECTOR_SLUGS or carrier not in CARRIER_SLUGS or mwh < 0:
            raise ValidationError(
                _("Invalid cell %(sector)s × %(carrier)s.") % {"sector": sector, "carrier": carrier}
            )
    Consumption.objects.filter(inventory=inventory).delete()
    Consumption.objects.bulk_create(
        Consumption(inventory=inventory, sector=s, carrier=c, mwh=mwh)
        for (s, c), mwh in cells.items()
        if mwh != 0
    )
    inventory.save(update_fields=["updated_at"])
    _changed()


# --- Tables C and D, purchases, other emissions ------------------------------------------


@transaction.atomic
def production_add(
    *,
    user: AnyUser,
    inventory: Inventory,
    output: str,
    technology: str,
    name: str,
    produced_mwh: Decimal,
    fuels: dict[str, Decimal],
) -> LocalProduction:
    """A Table C (``output="electricity"``) or D (``"heat"``) row with its fuel inputs."""
    require_staff(user)
    valid = {"electricity": dict(ELECTRICITY_TECHNOLOGIES), "heat": dict(HEAT_TECHNOLOGIES)}
    if output not in valid or technology not in valid[output]:
        raise ValidationError({"technology": _("Choose a technology of this table.")})
    for carrier, mwh in fuels.items():
        if carrier not in FUEL_CARRIERS or mwh < 0:
            raise ValidationError(
                {"fuels": _("Unknown fuel or negative input: %(carrier)s.") % {"carrier": carrier}}
            )
    production = LocalProduction.objects.create(
        inventory=inventory,
        output=output,
        technology=technology,
        name=name,
        produced_mwh=produced_mwh,
    )
    ProductionFuel.objects.bulk_create(
        ProductionFuel(production=production, carrier=c, mwh=m) for c, m in fuels.items() if m
    )
    _changed()
    return production


@transaction.atomic
def production_delete(*, user: AnyUser, production: LocalProduction) -> None:
    require_staff(user)
    production.delete()
    _changed()


@transaction.atomic
def green_purchase_add(
    *, user: AnyUser, inventory: Inventory, supplier: str, mwh: Decimal, factor: Decimal
) -> GreenPurchase:
    require_staff(user)
    purchase = GreenPurchase.objects.create(
        inventory=inventory, supplier=supplier, mwh=mwh, factor=factor
    )
    _changed()
    return purchase


@transaction.atomic
def green_purchase_delete(*, user: AnyUser, purchase: GreenPurchase) -> None:
    require_staff(user)
    purchase.delete()
    _changed()


@transaction.atomic
def other_emission_add(
    *, user: AnyUser, inventory: Inventory, category: str, description: str, co2_t: Decimal
) -> OtherEmission:
    require_staff(user)
    if category not in OtherEmission.Category.values:
        raise ValidationError({"category": _("Choose waste, wastewater or other.")})
    row = OtherEmission.objects.create(
        inventory=inventory, category=category, description=description, co2_t=co2_t
    )
    _changed()
    return row


@transaction.atomic
def other_emission_delete(*, user: AnyUser, row: OtherEmission) -> None:
    require_staff(user)
    row.delete()
    _changed()
