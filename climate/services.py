"""Every write to the climate data goes through here.

Services are keyword-only, run in one transaction and first check that the
user is administration staff. A refused write raises ValidationError (400)
or PermissionDenied (403) and changes nothing. Every write retires the whole-
page cache on commit: a plan measure's public page shows the climate impact
of its SEAP measures, and the PDF annex shows the inventories.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

# PermissionDenied: what require_staff raises, named here for the callers that catch it.
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import pagecache, roles
from planportal.years import YEAR_BOUNDS, is_valid_year
from plans.models import Measure, Plan

from . import calc
from .constants import (
    ACTION_SECTORS,
    CARRIER_SLUGS,
    ELECTRICITY_TECHNOLOGIES,
    FUEL_CARRIERS,
    HEAT_TECHNOLOGIES,
    SECTOR_SLUGS,
)
from .models import (
    Approach,
    Consumption,
    EmissionFactor,
    FactorOverride,
    GreenPurchase,
    Inventory,
    InventoryKind,
    LocalProduction,
    NationalElectricityFactor,
    OtherEmission,
    ProductionFuel,
    SeapMeasure,
    Target,
)

if TYPE_CHECKING:
    from planportal.roles import AnyUser

MAX_MWH = Decimal("9999999999999.999")
MAX_FACTOR = Decimal("10")
MAX_ERRORS = 20


# The one staff guard (planportal.roles), worded for climate data.
require_staff = partial(
    roles.require_staff, message=gettext_lazy("Only administration staff can change climate data.")
)


def _changed() -> None:
    transaction.on_commit(pagecache.bump)


# --- Numbers -------------------------------------------------------------------------


def parse_quantity(
    raw: object, *, places: int = 3, maximum: Decimal = MAX_MWH, decimal_comma: bool = False
) -> Decimal:
    """A non-negative decimal from user input (text, int or JSON number).

    Raises ValueError with a message for the user. Floats from JSON are read
    through their shortest text form (0.1 → Decimal("0.1")), never as binary.
    """
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("a number is required"))
    if isinstance(raw, (int, Decimal)):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if decimal_comma:
            text = text.replace(",", ".")
        if text == "":
            return Decimal("0")
    else:
        raise ValueError(_("a number is required"))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("„%(value)s“ is not a number") % {"value": str(raw)[:40]}) from None
    if not value.is_finite():
        raise ValueError(_("„%(value)s“ is not a number") % {"value": str(raw)[:40]})
    if value < 0:
        raise ValueError(_("must not be negative"))
    if value > maximum:
        raise ValueError(_("is too large (at most %(max)s)") % {"max": maximum})
    if value != value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
        raise ValueError(_("at most %(places)d decimal places") % {"places": places})
    return value


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


@transaction.atomic
def inventory_delete(*, user: AnyUser, inventory: Inventory) -> None:
    require_staff(user)
    inventory.delete()
    _changed()


# --- Table A -------------------------------------------------------------------------


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
        if sector not in SECTOR_SLUGS:
            errors.append(_("%(where)s: unknown sector.") % {"where": where})
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


CSV_CORNER = "sector"


def table_a_csv(inventory: Inventory) -> str:
    """Table A in the Covenant's layout: sectors as rows, carriers as columns, MWh."""
    cells = {(c.sector, c.carrier): c.mwh for c in inventory.consumption.all()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([CSV_CORNER, *CARRIER_SLUGS])
    for sector in SECTOR_SLUGS:
        writer.writerow([sector, *(_plain(cells.get((sector, c))) for c in CARRIER_SLUGS)])
    return out.getvalue()


def _plain(value: Decimal | None) -> str:
    return calc.plain(value) if value else "0"


def parse_table_a_csv(content: bytes | str) -> dict[tuple[str, str], Decimal]:
    """Read a Table A CSV (comma, semicolon or tab separated; with a semicolon
    or tab, a decimal comma is allowed). Refused whole, with every bad cell
    named by its row and column."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("The file is not UTF-8 text: save the CSV as UTF-8.")) from None
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise ValidationError(_("The file is empty."))
    first = content.splitlines()[0]
    delimiter = max((";", "\t", ","), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(content), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise ValidationError(
            _("The file is not valid CSV: %(error)s.") % {"error": error}
        ) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in rows[0]]
    errors = []
    if not header or header[0].lower() != CSV_CORNER:
        errors.append(
            _("Row 1, column 1: the first column must be „%(corner)s“.") % {"corner": CSV_CORNER}
        )
    columns = header[1:]
    for number, name in enumerate(columns, start=2):
        if name not in CARRIER_SLUGS:
            errors.append(
                _("Row 1, column %(col)d: unknown energy carrier „%(name)s“.")
                % {"col": number, "name": name}
            )
        elif columns.index(name) != number - 2:
            errors.append(
                _("Row 1, column %(col)d: carrier „%(name)s“ appears twice.")
                % {"col": number, "name": name}
            )
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    cells, seen = {}, set()
    for line, row in enumerate(rows[1:], start=2):
        sector = row[0].strip() if row else ""
        if sector not in SECTOR_SLUGS:
            errors.append(
                _("Row %(row)d, column 1: unknown sector „%(name)s“.")
                % {"row": line, "name": sector[:40]}
            )
            continue
        if sector in seen:
            errors.append(
                _("Row %(row)d, column 1: sector „%(name)s“ appears twice.")
                % {"row": line, "name": sector}
            )
            continue
        seen.add(sector)
        if len(row) != len(header):
            errors.append(
                _("Row %(row)d („%(sector)s“): %(got)d columns, the header has %(expected)d.")
                % {"row": line, "sector": sector, "got": len(row), "expected": len(header)}
            )
            continue
        for col, (carrier, raw) in enumerate(zip(columns, row[1:]), start=2):
            try:
                value = parse_quantity(raw, decimal_comma=delimiter != ",")
            except ValueError as error:
                errors.append(
                    _("Row %(row)d („%(sector)s“), column %(col)d („%(carrier)s“): %(error)s.")
                    % {
                        "row": line,
                        "sector": sector,
                        "col": col,
                        "carrier": carrier,
                        "error": error,
                    }
                )
                continue
            cells[(sector, carrier)] = value
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    return cells


@transaction.atomic
def consumption_import_csv(*, user: AnyUser, inventory: Inventory, content: bytes | str) -> int:
    """Replace Table A from a CSV file; all or nothing. Returns the number of non-zero cells."""
    require_staff(user)
    cells = parse_table_a_csv(content)
    consumption_replace(user=user, inventory=inventory, cells=cells)
    return sum(1 for value in cells.values() if value)


# --- Factors -------------------------------------------------------------------------


def clean_factors(data: object) -> dict[str, Decimal]:
    if not isinstance(data, dict):
        raise ValidationError(_("Send an object {carrier: t CO2 per MWh}."))
    factors, errors = {}, []
    for carrier, raw in data.items():
        if carrier not in CARRIER_SLUGS:
            errors.append(_("„%(carrier)s“: unknown energy carrier.") % {"carrier": carrier})
            continue
        try:
            factors[carrier] = parse_quantity(raw, places=6, maximum=MAX_FACTOR)
        except ValueError as error:
            errors.append(
                _("„%(carrier)s“: the factor %(error)s.") % {"carrier": carrier, "error": error}
            )
    if errors:
        raise ValidationError(errors)
    return factors


@transaction.atomic
def factors_replace(*, user: AnyUser, inventory: Inventory, factors: dict[str, Decimal]) -> None:
    """Replace the inventory's own factors (the rest come from the library).

    Preconditions: staff; ``factors`` cleaned by ``clean_factors``.
    """
    require_staff(user)
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    FactorOverride.objects.filter(inventory=inventory).delete()
    FactorOverride.objects.bulk_create(
        FactorOverride(inventory=inventory, carrier=c, value=v) for c, v in factors.items()
    )
    _changed()


@transaction.atomic
def library_factor_set(
    *, user: AnyUser, carrier: str, approach: str, value: Decimal, source: str = ""
) -> EmissionFactor:
    require_staff(user)
    if carrier not in CARRIER_SLUGS or approach not in Approach.values:
        raise ValidationError(_("Unknown carrier or approach."))
    factor, _created = EmissionFactor.objects.update_or_create(
        carrier=carrier, approach=approach, defaults={"value": value, "source": source}
    )
    _changed()
    return factor


@transaction.atomic
def national_factor_set(
    *, user: AnyUser, year: int, approach: str, value: Decimal, source: str = ""
) -> NationalElectricityFactor:
    require_staff(user)
    if approach not in Approach.values or not is_valid_year(year):
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s and the approach „ipcc“ or „lca“.")
            % YEAR_BOUNDS
        )
    factor, _created = NationalElectricityFactor.objects.update_or_create(
        year=year, approach=approach, defaults={"value": value, "source": source}
    )
    _changed()
    return factor


@transaction.atomic
def national_factor_delete(*, user: AnyUser, factor: NationalElectricityFactor) -> None:
    require_staff(user)
    factor.delete()
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


# --- Target --------------------------------------------------------------------------


@transaction.atomic
def target_set(*, user: AnyUser, percent: Decimal, year: int, kind: str) -> Target:
    """The municipality's reduction target (one; setting it again replaces it)."""
    require_staff(user)
    errors = {}
    if not Decimal("0") < percent <= Decimal("100"):
        errors["percent"] = _("The reduction must be more than 0 and at most 100 %.")
    if not is_valid_year(year):
        errors["year"] = _("The year must be between %(min)s and %(max)s.") % YEAR_BOUNDS
    if kind not in Target.Kind.values:
        errors["kind"] = _("Choose absolute or per capita.")
    if errors:
        raise ValidationError(errors)
    target, _created = Target.objects.update_or_create(
        pk=1, defaults={"percent": percent, "year": year, "kind": kind}
    )
    _changed()
    return target


# --- SEAP measures -------------------------------------------------------------------


SEAP_FIELDS = (
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
    "note",
)


def _check_seap(*, fields: dict, plan: Plan | None, measure_key: UUID | None) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("A title is required.")
    if fields.get("sector") not in dict(ACTION_SECTORS):
        errors["sector"] = _("Choose a sector of the action plan.")
    start, end = fields.get("start_year"), fields.get("end_year")
    if start is None or end is None:
        errors["start_year"] = _("Start and end years are required.")
    elif end < start:
        errors["end_year"] = _("The end year is before the start year.")
    if measure_key is not None:
        if plan is None:
            errors["plan"] = _("Choose the plan of the linked measure.")
        elif not Measure.objects.filter(version__plan=plan, key=measure_key).exists():
            errors["measure_key"] = _("No measure of this plan has that key.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def seap_measure_create(
    *, user: AnyUser, plan: Plan | None = None, measure_key: UUID | None = None, **fields: Any
) -> SeapMeasure:
    """A new SEAP measure, optionally linked to a plan measure by its key.

    Preconditions: staff; a title, a sector of the action plan, start ≤ end; a
    key, when given, belongs to a measure of ``plan`` (in any version).
    """
    require_staff(user)
    unknown = set(fields) - set(SEAP_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _check_seap(fields=fields, plan=plan, measure_key=measure_key)
    last = SeapMeasure.objects.order_by("-position").values_list("position", flat=True).first() or 0
    measure = SeapMeasure(plan=plan, measure_key=measure_key, position=last + 1, **fields)
    measure.full_clean()
    measure.save()
    _changed()
    return measure


@transaction.atomic
def seap_measure_update(
    *,
    user: AnyUser,
    measure: SeapMeasure,
    plan: Plan | None = None,
    measure_key: UUID | None = None,
    **fields: Any,
) -> SeapMeasure:
    """Change a SEAP measure (every field given replaces the old value)."""
    require_staff(user)
    measure = SeapMeasure.objects.select_for_update().get(pk=measure.pk)
    unknown = set(fields) - set(SEAP_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    merged = {name: getattr(measure, name) for name in SEAP_FIELDS} | fields
    _check_seap(fields=merged, plan=plan, measure_key=measure_key)
    for name, value in merged.items():
        setattr(measure, name, value)
    measure.plan, measure.measure_key = plan, measure_key
    measure.full_clean()
    measure.save()
    _changed()
    return measure


@transaction.atomic
def seap_measure_delete(*, user: AnyUser, measure: SeapMeasure) -> None:
    require_staff(user)
    measure.delete()
    _changed()
