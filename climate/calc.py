"""Table B and the local emission factors: pure functions over Decimals.

Nothing here touches the database or rounds: the selectors feed it plain
data, templates round for display. The formulas are the Covenant of Mayors'
(docs/domain.md §4):

* Table B cell = MWh (Table A) × the carrier's effective factor.
* Local electricity factor, with TCE the electricity column of Table A, LPE
  local electricity production (Table C), GEP green electricity purchases:

      EFE = ((TCE − LPE − GEP) × NEEFE + CO2LPE + CO2GEP) / TCE

  and for a net exporter (LPE + GEP > TCE): EFE = (CO2LPE + CO2GEP) / (LPE + GEP).
  Without local production or purchases EFE is NEEFE itself.
* Heat factor: EFH = (CO2LPH + CO2IH − CO2EH) / TCH, with CO2LPH the CO2 of
  local heat production (Table D), CO2IH and CO2EH of imported and exported
  heat, TCH the heat column of Table A. Without local heat data (or without
  heat consumption) the heat factor is the library's or the override.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from .constants import CARRIER_SLUGS, SECTOR_SLUGS

ZERO = Decimal("0")
# The two factors that come from a division (EFE, EFH) are kept to 12 decimal
# places (a millionth of a gram per MWh) and everything runs with 50
# significant digits: every product and sum after them is then exact, so a
# total is the sum of its cells whatever the order of adding.
FACTOR_PLACES = Decimal("1e-12")
PRECISION = 50


@dataclass(frozen=True)
class Production:
    """A Table C or D row: what a plant produced and the fuel it burnt (MWh)."""

    output: str  # "electricity" or "heat"
    produced_mwh: Decimal
    fuels: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Purchase:
    mwh: Decimal
    factor: Decimal


@dataclass(frozen=True)
class InventoryInput:
    population: int
    consumption: Mapping[tuple[str, str], Decimal]
    # The factor of every carrier before the local ones are computed: for
    # electricity the national factor (NEEFE), for heat the fallback.
    base_factors: Mapping[str, Decimal]
    # Carriers whose factor the inventory set itself: used as they are (for
    # heat no EFH is computed; for electricity it is the NEEFE).
    heat_factor_fixed: bool = False
    productions: tuple[Production, ...] = ()
    purchases: tuple[Purchase, ...] = ()
    heat_import_co2_t: Decimal = ZERO
    heat_export_co2_t: Decimal = ZERO
    other_emissions_t: tuple[Decimal, ...] = ()


@dataclass(frozen=True)
class Electricity:
    tce: Decimal
    lpe: Decimal
    gep: Decimal
    co2_lpe: Decimal
    co2_gep: Decimal
    neefe: Decimal
    factor: Decimal
    net_exporter: bool


@dataclass(frozen=True)
class Heat:
    tch: Decimal
    local_mwh: Decimal
    co2_local: Decimal
    co2_import: Decimal
    co2_export: Decimal
    factor: Decimal
    computed: bool


@dataclass(frozen=True)
class Result:
    factors: dict[str, Decimal]
    electricity: Electricity
    heat: Heat
    mwh: dict[tuple[str, str], Decimal]
    co2: dict[tuple[str, str], Decimal]
    mwh_by_sector: dict[str, Decimal]
    mwh_by_carrier: dict[str, Decimal]
    co2_by_sector: dict[str, Decimal]
    co2_by_carrier: dict[str, Decimal]
    total_mwh: Decimal
    energy_co2_t: Decimal
    other_co2_t: Decimal
    total_co2_t: Decimal
    co2_per_capita_t: Decimal
    production_co2: tuple[Decimal, ...]


def dsum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def plain(value: Decimal) -> str:
    """A Decimal as plain text for machines and input fields: no exponent, no
    trailing zeros ("1200", "0.5"); never grouped or localised."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fuel_co2(fuels: Mapping[str, Decimal], factors: Mapping[str, Decimal]) -> Decimal:
    """CO2 of a plant's fuel input, t: each fuel's MWh × its factor."""
    return dsum(mwh * factors.get(carrier, ZERO) for carrier, mwh in fuels.items())


def electricity_factor(
    *, tce: Decimal, lpe: Decimal, gep: Decimal, co2_lpe: Decimal, co2_gep: Decimal, neefe: Decimal
) -> tuple[Decimal, bool]:
    """EFE and whether the territory is a net exporter of electricity."""
    local = lpe + gep
    if local == ZERO:
        return neefe, False
    if local > tce:
        return ((co2_lpe + co2_gep) / local).quantize(FACTOR_PLACES), True
    return (((tce - lpe - gep) * neefe + co2_lpe + co2_gep) / tce).quantize(FACTOR_PLACES), False


def heat_factor(
    *, tch: Decimal, co2_local: Decimal, co2_import: Decimal, co2_export: Decimal
) -> Decimal:
    """EFH; the caller checks that there is heat consumption."""
    return ((co2_local + co2_import - co2_export) / tch).quantize(FACTOR_PLACES)


def compute(data: InventoryInput) -> Result:
    with localcontext() as context:
        context.prec = PRECISION
        return _compute(data)


def _compute(data: InventoryInput) -> Result:
    base = {carrier: data.base_factors.get(carrier, ZERO) for carrier in CARRIER_SLUGS}
    mwh = {
        (sector, carrier): data.consumption.get((sector, carrier), ZERO)
        for sector in SECTOR_SLUGS
        for carrier in CARRIER_SLUGS
    }
    mwh_by_carrier = {c: dsum(mwh[(s, c)] for s in SECTOR_SLUGS) for c in CARRIER_SLUGS}
    mwh_by_sector = {s: dsum(mwh[(s, c)] for c in CARRIER_SLUGS) for s in SECTOR_SLUGS}

    # Plants burn fuels at the fuels' own factors (never at EFE or EFH).
    production_co2 = tuple(fuel_co2(p.fuels, base) for p in data.productions)
    # One emission per plant, computed just above: the two always line up.
    with_co2 = list(zip(data.productions, production_co2, strict=True))
    elec_rows = [(p, co2) for p, co2 in with_co2 if p.output == "electricity"]
    heat_rows = [(p, co2) for p, co2 in with_co2 if p.output == "heat"]

    tce = mwh_by_carrier["electricity"]
    lpe = dsum(p.produced_mwh for p, _co2 in elec_rows)
    co2_lpe = dsum(co2 for _p, co2 in elec_rows)
    gep = dsum(p.mwh for p in data.purchases)
    co2_gep = dsum(p.mwh * p.factor for p in data.purchases)
    efe, exporter = electricity_factor(
        tce=tce, lpe=lpe, gep=gep, co2_lpe=co2_lpe, co2_gep=co2_gep, neefe=base["electricity"]
    )

    tch = mwh_by_carrier["heat"]
    co2_lph = dsum(co2 for _p, co2 in heat_rows)
    has_heat_data = bool(heat_rows) or data.heat_import_co2_t or data.heat_export_co2_t
    computed = bool(has_heat_data and tch > ZERO and not data.heat_factor_fixed)
    efh = (
        heat_factor(
            tch=tch,
            co2_local=co2_lph,
            co2_import=data.heat_import_co2_t,
            co2_export=data.heat_export_co2_t,
        )
        if computed
        else base["heat"]
    )

    factors = {**base, "electricity": efe, "heat": efh}
    co2 = {(s, c): value * factors[c] for (s, c), value in mwh.items()}
    co2_by_sector = {s: dsum(co2[(s, c)] for c in CARRIER_SLUGS) for s in SECTOR_SLUGS}
    co2_by_carrier = {c: dsum(co2[(s, c)] for s in SECTOR_SLUGS) for c in CARRIER_SLUGS}
    energy_co2 = dsum(co2_by_sector.values())
    other = dsum(data.other_emissions_t)
    total = energy_co2 + other
    return Result(
        factors=factors,
        electricity=Electricity(
            tce=tce,
            lpe=lpe,
            gep=gep,
            co2_lpe=co2_lpe,
            co2_gep=co2_gep,
            neefe=base["electricity"],
            factor=efe,
            net_exporter=exporter,
        ),
        heat=Heat(
            tch=tch,
            local_mwh=dsum(p.produced_mwh for p, _co2 in heat_rows),
            co2_local=co2_lph,
            co2_import=data.heat_import_co2_t,
            co2_export=data.heat_export_co2_t,
            factor=efh,
            computed=computed,
        ),
        mwh=mwh,
        co2=co2,
        mwh_by_sector=mwh_by_sector,
        mwh_by_carrier=mwh_by_carrier,
        co2_by_sector=co2_by_sector,
        co2_by_carrier=co2_by_carrier,
        total_mwh=dsum(mwh_by_sector.values()),
        energy_co2_t=energy_co2,
        other_co2_t=other,
        total_co2_t=total,
        co2_per_capita_t=total / data.population if data.population else ZERO,
        production_co2=production_co2,
    )


# --- Target and trajectory -------------------------------------------------------------


@dataclass(frozen=True)
class TargetSpec:
    percent: Decimal
    year: int
    per_capita: bool


def target_value(
    *,
    baseline_total: Decimal,
    baseline_population: int,
    target: TargetSpec,
    population: int | None = None,
) -> Decimal:
    """The emissions (t) allowed in the target year.

    Per capita: the baseline's t per inhabitant cut by the percentage, times
    the population of the year in question (the baseline's when unknown).
    """
    keep = (Decimal(100) - target.percent) / Decimal(100)
    if target.per_capita:
        per_capita = baseline_total / baseline_population
        return per_capita * keep * (population or baseline_population)
    return baseline_total * keep


def trajectory(
    *,
    baseline_year: int,
    baseline_total: Decimal,
    target_year: int,
    target_total: Decimal,
    year: int,
) -> Decimal:
    """The linear path from the baseline to the target, at ``year``."""
    if target_year <= baseline_year or year <= baseline_year:
        return baseline_total
    if year >= target_year:
        return target_total
    share = Decimal(year - baseline_year) / Decimal(target_year - baseline_year)
    return baseline_total + (target_total - baseline_total) * share


def measure_reduction_in(
    *, start_year: int, end_year: int, reduction: Decimal, year: int
) -> Decimal:
    """A measure's expected yearly reduction reached by ``year``: none before it
    starts, growing evenly while it is carried out, full from its last year."""
    if year < start_year:
        return ZERO
    if year >= end_year:
        return reduction
    return reduction * Decimal(year - start_year + 1) / Decimal(end_year - start_year + 1)
