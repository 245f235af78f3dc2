"""Table B, the local electricity factor (EFE) and the heat factor (EFH):
worked examples computed by hand, and properties that hold for any data."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from climate import calc
from climate.constants import CARRIER_SLUGS, SECTOR_SLUGS

D = Decimal


def compute(consumption, factors=None, **kwargs):
    base = {
        "electricity": D("0.153"),
        "natural_gas": D("0.202"),
        "diesel": D("0.267"),
        **(factors or {}),
    }
    return calc.compute(
        calc.InventoryInput(
            population=kwargs.pop("population", 100),
            consumption=consumption,
            base_factors=base,
            **kwargs,
        )
    )


# --- Worked examples -------------------------------------------------------------------


def test_table_b_is_mwh_times_the_factor_per_cell_sector_total_and_per_capita():
    result = compute(
        {
            ("residential", "electricity"): D("1000"),
            ("residential", "natural_gas"): D("2000"),
            ("private_transport", "diesel"): D("500"),
        },
        population=100,
    )
    # No local production or purchases: EFE is the national factor, 0.153.
    assert result.factors["electricity"] == D("0.153")
    # Residential: 1000 × 0.153 = 153 t; 2000 × 0.202 = 404 t; together 557 t.
    assert result.co2[("residential", "electricity")] == D("153")
    assert result.co2[("residential", "natural_gas")] == D("404")
    assert result.co2_by_sector["residential"] == D("557")
    # Transport: 500 × 0.267 = 133.5 t.
    assert result.co2_by_sector["private_transport"] == D("133.5")
    # Total 557 + 133.5 = 690.5 t over 3500 MWh; per capita 690.5 / 100 = 6.905 t.
    assert result.total_mwh == D("3500")
    assert result.total_co2_t == D("690.5")
    assert result.co2_per_capita_t == D("6.905")


def test_other_emissions_add_to_the_total_but_not_to_any_sector():
    result = compute(
        {("residential", "natural_gas"): D("1000")}, other_emissions_t=(D("50"), D("7.5"))
    )
    # 1000 × 0.202 = 202 t of energy; + 50 + 7.5 = 259.5 t.
    assert result.energy_co2_t == D("202")
    assert result.other_co2_t == D("57.5")
    assert result.total_co2_t == D("259.5")
    assert sum(result.co2_by_sector.values()) == D("202")


def test_efe_with_local_production_and_green_purchases():
    consumption = {
        ("residential", "electricity"): D("6000"),
        ("tertiary", "electricity"): D("4000"),
    }
    result = compute(
        consumption,
        productions=(
            calc.Production(output="electricity", produced_mwh=D("1000")),  # PV, no fuel
            # CHP: 1250 MWh of gas × 0.202 = 252.5 t for 500 MWh of electricity.
            calc.Production(
                output="electricity", produced_mwh=D("500"), fuels={"natural_gas": D("1250")}
            ),
        ),
        purchases=(calc.Purchase(mwh=D("2000"), factor=D("0.01")),),  # 2000 × 0.01 = 20 t
    )
    # TCE 10000, LPE 1500, CO2LPE 252.5, GEP 2000, CO2GEP 20, NEEFE 0.153:
    # EFE = ((10000 − 1500 − 2000) × 0.153 + 252.5 + 20) / 10000
    #     = (994.5 + 272.5) / 10000 = 1267 / 10000 = 0.1267
    assert result.electricity.tce == D("10000")
    assert result.electricity.lpe == D("1500")
    assert result.electricity.co2_lpe == D("252.5")
    assert result.electricity.co2_gep == D("20")
    assert result.factors["electricity"] == D("0.1267")
    assert not result.electricity.net_exporter
    # Residential electricity: 6000 × 0.1267 = 760.2 t.
    assert result.co2[("residential", "electricity")] == D("760.2")


def test_efe_of_a_net_exporter_is_the_local_mix():
    result = compute(
        {("residential", "electricity"): D("1000")},
        productions=(
            calc.Production(
                output="electricity", produced_mwh=D("1500"), fuels={"natural_gas": D("1250")}
            ),
        ),
        purchases=(calc.Purchase(mwh=D("500"), factor=D("0.05")),),
    )
    # LPE + GEP = 1500 + 500 = 2000 > TCE = 1000: a net exporter.
    # EFE = (CO2LPE + CO2GEP) / (LPE + GEP) = (252.5 + 25) / 2000 = 277.5 / 2000 = 0.13875
    assert result.electricity.net_exporter
    assert result.factors["electricity"] == D("0.13875")
    assert result.co2[("residential", "electricity")] == D("138.75")


def test_heat_factor_from_local_heat_production_import_and_export():
    result = compute(
        {("residential", "heat"): D("3000"), ("tertiary", "heat"): D("2000")},
        factors={"natural_gas": D("0.2"), "other_biomass": D("0"), "heat": D("0.3")},
        productions=(
            calc.Production(
                output="heat",
                produced_mwh=D("6000"),
                fuels={"natural_gas": D("4000"), "other_biomass": D("3000")},
            ),
        ),
        heat_import_co2_t=D("100"),
        heat_export_co2_t=D("50"),
    )
    # CO2 of local heat: 4000 × 0.2 + 3000 × 0 = 800 t.
    # EFH = (800 + 100 − 50) / (3000 + 2000) = 850 / 5000 = 0.17 (the library's 0.3 is not used).
    assert result.heat.co2_local == D("800")
    assert result.factors["heat"] == D("0.17")
    assert result.heat.computed
    # Residential heat: 3000 × 0.17 = 510 t.
    assert result.co2[("residential", "heat")] == D("510")


def test_heat_factor_set_by_the_inventory_wins_over_the_computed_one():
    result = compute(
        {("residential", "heat"): D("1000")},
        factors={"heat": D("0.25")},
        heat_factor_fixed=True,
        productions=(
            calc.Production(
                output="heat", produced_mwh=D("1000"), fuels={"natural_gas": D("1000")}
            ),
        ),
    )
    assert result.factors["heat"] == D("0.25")
    assert result.co2_by_sector["residential"] == D("250")


def test_without_local_heat_data_the_heat_factor_is_the_default():
    result = compute({("residential", "heat"): D("1000")}, factors={"heat": D("0.19")})
    assert result.factors["heat"] == D("0.19")
    assert not result.heat.computed


def test_trajectory_and_measure_ramp():
    # Baseline 1000 t in 2010, target 800 t in 2020: halfway (2015) 900 t.
    assert calc.trajectory(
        baseline_year=2010,
        baseline_total=D("1000"),
        target_year=2020,
        target_total=D("800"),
        year=2015,
    ) == D("900")
    # A 2014–2017 measure of 40 t/a: 10 t in 2014, 20 t in 2015, 40 t from 2017 on.
    ramp = [
        calc.measure_reduction_in(start_year=2014, end_year=2017, reduction=D("40"), year=y)
        for y in (2013, 2014, 2015, 2017, 2030)
    ]
    assert ramp == [D("0"), D("10"), D("20"), D("40"), D("40")]
    # 20 % per capita: 1000 t for 100 inhabitants = 10 t each; 8 t each × 120 inhabitants = 960 t.
    spec = calc.TargetSpec(percent=D("20"), year=2020, per_capita=True)
    assert calc.target_value(
        baseline_total=D("1000"), baseline_population=100, target=spec, population=120
    ) == D("960")


# --- Properties -------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False, allow_infinity=False)
factor_values = st.decimals(
    min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False
)
cells = st.dictionaries(
    st.tuples(st.sampled_from(SECTOR_SLUGS), st.sampled_from(CARRIER_SLUGS)), amounts, max_size=40
)
factor_maps = st.fixed_dictionaries({c: factor_values for c in CARRIER_SLUGS})
plants = st.lists(
    st.builds(
        calc.Production,
        output=st.sampled_from(["electricity", "heat"]),
        produced_mwh=amounts,
        fuels=st.dictionaries(
            st.sampled_from(["natural_gas", "diesel", "coal", "other_biomass"]), amounts, max_size=3
        ),
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(cells, factor_maps, plants)
def test_totals_equal_the_sum_of_their_cells(consumption, factors, productions):
    result = calc.compute(
        calc.InventoryInput(
            population=10,
            consumption=consumption,
            base_factors=factors,
            productions=tuple(productions),
        )
    )
    assert result.total_mwh == sum(consumption.values(), D(0))
    assert result.energy_co2_t == sum(result.co2.values(), D(0))
    for sector in SECTOR_SLUGS:
        assert result.co2_by_sector[sector] == sum(
            (result.co2[(sector, c)] for c in CARRIER_SLUGS), D(0)
        )
        assert result.mwh_by_sector[sector] == sum(
            (result.mwh[(sector, c)] for c in CARRIER_SLUGS), D(0)
        )
    for carrier in CARRIER_SLUGS:
        assert result.co2_by_carrier[carrier] == sum(
            (result.co2[(s, carrier)] for s in SECTOR_SLUGS), D(0)
        )
    assert sum(result.co2_by_sector.values(), D(0)) == sum(result.co2_by_carrier.values(), D(0))


def _close(a: Decimal, b: Decimal) -> bool:
    # EFE and EFH divide: Decimal keeps 28 significant digits, so the last one may differ.
    return abs(a - b) <= max(abs(a), abs(b), D(1)) * D("1e-20")


@settings(max_examples=150, deadline=None)
@given(cells, factor_maps, plants, st.integers(min_value=2, max_value=1000))
def test_scaling_every_quantity_by_k_scales_emissions_by_k(consumption, factors, productions, k):
    k = D(k)
    base = calc.InventoryInput(
        population=10,
        consumption=consumption,
        base_factors=factors,
        productions=tuple(productions),
        purchases=(calc.Purchase(mwh=D("12.5"), factor=D("0.02")),),
        other_emissions_t=(D("3"),),
    )
    scaled = calc.InventoryInput(
        population=10,
        consumption={key: v * k for key, v in consumption.items()},
        base_factors=factors,
        productions=tuple(
            calc.Production(
                output=p.output,
                produced_mwh=p.produced_mwh * k,
                fuels={c: v * k for c, v in p.fuels.items()},
            )
            for p in productions
        ),
        purchases=(calc.Purchase(mwh=D("12.5") * k, factor=D("0.02")),),
        other_emissions_t=(D("3") * k,),
    )
    one, many = calc.compute(base), calc.compute(scaled)
    assert _close(many.total_co2_t, one.total_co2_t * k)
    for sector in SECTOR_SLUGS:
        assert _close(many.co2_by_sector[sector], one.co2_by_sector[sector] * k)


@settings(max_examples=100, deadline=None)
@given(
    cells,
    factor_maps,
    amounts,
    st.sampled_from([c for c in CARRIER_SLUGS if c not in {"electricity", "heat"}]),
    st.sampled_from(SECTOR_SLUGS),
)
def test_a_carrier_with_a_zero_factor_adds_no_emissions(
    consumption, factors, extra, carrier, sector
):
    factors = {**factors, carrier: D(0)}
    before = calc.compute(
        calc.InventoryInput(population=10, consumption=consumption, base_factors=factors)
    )
    more = dict(consumption)
    more[(sector, carrier)] = more.get((sector, carrier), D(0)) + extra
    after = calc.compute(calc.InventoryInput(population=10, consumption=more, base_factors=factors))
    assert after.total_co2_t == before.total_co2_t
    assert after.total_mwh == before.total_mwh + extra
