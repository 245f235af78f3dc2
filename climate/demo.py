"""Demo content of the climate part: Kaunas District's baseline (2012) and
monitoring (2018) inventories, the 2020 target and the action plan.

The seed says only that a climate-mitigation study was made under the
Covenant of Mayors' rules and its measures went into the 2013–2020 plan; every
figure here is a realistic invention (the size of a district of about 90 000
inhabitants round Kaunas, with much biomass in homes, district heating in the
larger towns and commuter traffic), and each inventory and measure carries
``DEMO_NOTE``; what the measures achieved by year up to 2019 (``_progress``)
is invented too, each entry noted "Demonstracinis įrašas.". ``load`` is a
step of plans/demo/loader.py and is idempotent: what exists is left as it is.
"""

from __future__ import annotations

import random
import zlib
from decimal import Decimal
from typing import Any

from plans.models import Measure

from . import calc, services
from .models import Inventory, NationalElectricityFactor, SeapMeasure, SeapProgress, Target

DEMO_NOTE = "Demonstracinis turinys: sugalvoti skaičiai, ne oficiali savivaldybės inventorizacija."

D = Decimal

BASELINE: dict[str, Any] = {
    "year": 2012,
    "population": 87200,
    "consumption": {
        "municipal_buildings": {
            "electricity": 9500,
            "heat": 28000,
            "natural_gas": 6500,
            "heating_oil": 300,
            "other_biomass": 4200,
        },
        "tertiary": {
            "electricity": 62000,
            "heat": 21000,
            "natural_gas": 38000,
            "liquid_gas": 1500,
            "heating_oil": 2800,
            "other_biomass": 9000,
        },
        "residential": {
            "electricity": 98000,
            "heat": 112000,
            "natural_gas": 135000,
            "liquid_gas": 8500,
            "heating_oil": 6200,
            "coal": 14000,
            "other_biomass": 265000,
            "solar_thermal": 200,
        },
        "public_lighting": {"electricity": 6800},
        "industry": {
            "electricity": 118000,
            "heat": 9000,
            "natural_gas": 142000,
            "heating_oil": 3500,
            "other_biomass": 22000,
        },
        "municipal_fleet": {"diesel": 3900, "gasoline": 700},
        "public_transport": {"diesel": 14500, "natural_gas": 400},
        "private_transport": {
            "diesel": 365000,
            "gasoline": 172000,
            "liquid_gas": 41000,
            "biofuel": 18000,
        },
    },
    "electricity_production": [
        ("other", "Sąvartyno biodujų jėgainė", 2500, {"other_biomass": 7000}),
        ("pv", "Saulės elektrinės", 300, {}),
    ],
    "heat_production": [
        (
            "district_heating",
            "Centralizuoto šilumos tiekimo katilinės",
            190000,
            {"natural_gas": 150000, "other_biomass": 70000},
        ),
    ],
    "green": [],
    "other": [("waste", "Sąvartyno dujos", 18000), ("wastewater", "Nuotekų valyklos", 2300)],
}

MONITORING: dict[str, Any] = {
    "year": 2018,
    "population": 93300,
    "consumption": {
        "municipal_buildings": {
            "electricity": 9100,
            "heat": 22500,
            "natural_gas": 3900,
            "other_biomass": 5200,
        },
        "tertiary": {
            "electricity": 66500,
            "heat": 20500,
            "natural_gas": 36000,
            "liquid_gas": 1200,
            "heating_oil": 1800,
            "other_biomass": 10500,
        },
        "residential": {
            "electricity": 104000,
            "heat": 101000,
            "natural_gas": 128000,
            "liquid_gas": 7200,
            "heating_oil": 4100,
            "coal": 9500,
            "other_biomass": 272000,
            "solar_thermal": 1400,
            "geothermal": 2600,
        },
        "public_lighting": {"electricity": 5200},
        "industry": {
            "electricity": 126000,
            "heat": 8500,
            "natural_gas": 139000,
            "heating_oil": 2200,
            "other_biomass": 27000,
        },
        "municipal_fleet": {"diesel": 3700, "gasoline": 500, "biofuel": 200},
        "public_transport": {"diesel": 14000, "natural_gas": 1900},
        "private_transport": {
            "diesel": 381000,
            "gasoline": 158000,
            "liquid_gas": 43000,
            "biofuel": 26000,
            "electricity": 400,
        },
    },
    "electricity_production": [
        ("other", "Sąvartyno biodujų jėgainė", 3100, {"other_biomass": 8600}),
        ("pv", "Saulės elektrinės", 3600, {}),
        ("chp", "Biokuro kogeneracinė jėgainė (elektra)", 6200, {"other_biomass": 19000}),
    ],
    "heat_production": [
        (
            "district_heating",
            "Centralizuoto šilumos tiekimo katilinės",
            128000,
            {"natural_gas": 62000, "other_biomass": 82000},
        ),
        ("chp", "Biokuro kogeneracinė jėgainė (šiluma)", 45000, {"other_biomass": 52000}),
    ],
    "green": [("Savivaldybės pastatams pirkta žalia elektra", 4000, 0)],
    "other": [
        ("waste", "Sąvartyno dujos (su surinkimu)", 11500),
        ("wastewater", "Nuotekų valyklos", 2000),
    ],
}

NATIONAL_FACTORS = [(2018, "ipcc", D("0.141"))]

# (plan measure title or None, SEAP title, sector, field, responsible, start, end, cost, saving,
# renewable, CO2)
MEASURES = [
    (
        "Atnaujinti švietimo įstaigų pastatus",
        None,
        "municipal_buildings",
        "Pastatų atnaujinimas",
        "Statybos ir infrastruktūros plėtros skyrius",
        2014,
        2020,
        6800000,
        4200,
        0,
        850,
    ),
    (
        "Atnaujinti kultūros ir sveikatos priežiūros įstaigų pastatus",
        None,
        "municipal_buildings",
        "Pastatų atnaujinimas",
        "Statybos ir infrastruktūros plėtros skyrius",
        2015,
        2020,
        2900000,
        1600,
        0,
        320,
    ),
    (
        "Įdiegti energijos apskaitą ir stebėseną savivaldybės pastatuose",
        None,
        "municipal_buildings",
        "Energijos vadyba",
        "Ūkio skyrius",
        2014,
        2016,
        180000,
        900,
        0,
        180,
    ),
    (
        "Įgyvendinti daugiabučių namų atnaujinimo (modernizavimo) programą",
        None,
        "residential",
        "Pastatų atnaujinimas",
        "Statybos ir infrastruktūros plėtros skyrius",
        2014,
        2020,
        21000000,
        14000,
        0,
        2800,
    ),
    (
        "Konsultuoti gyventojus dėl daugiabučių atnaujinimo ir energijos taupymo",
        None,
        "citizens",
        "Konsultavimas",
        "Statybos ir infrastruktūros plėtros skyrius",
        2014,
        2020,
        70000,
        3000,
        0,
        600,
    ),
    (
        "Pakeisti gatvių šviestuvus efektyviais šviesos diodų (LED) šviestuvais",
        None,
        "public_lighting",
        "Efektyvus apšvietimas",
        "Ūkio skyrius",
        2015,
        2019,
        1900000,
        2900,
        0,
        450,
    ),
    (
        "Įrengti nuotolinio gatvių apšvietimo valdymo sistemą",
        None,
        "public_lighting",
        "Valdymo sistemos",
        "Ūkio skyrius",
        2016,
        2020,
        350000,
        700,
        0,
        110,
    ),
    (
        "Pakeisti savivaldybės įstaigų katilines biokuro katilinėmis",
        None,
        "district_heating",
        "Kuro keitimas",
        "Ūkio skyrius",
        2014,
        2018,
        2400000,
        0,
        12000,
        2400,
    ),
    (
        "Įrengti saulės kolektorius ir šilumos siurblius ugdymo įstaigose",
        None,
        "municipal_buildings",
        "Atsinaujinanti energija pastatuose",
        "Švietimo skyrius",
        2016,
        2020,
        600000,
        0,
        800,
        160,
    ),
    (
        "Skatinti gyventojus įsirengti atsinaujinančių išteklių šildymo sistemas",
        None,
        "residential",
        "Atsinaujinanti energija pastatuose",
        "Aplinkosaugos skyrius",
        2014,
        2020,
        420000,
        0,
        6000,
        1200,
    ),
    (
        "Atnaujinti savivaldybės transporto parką mažiau taršiomis transporto priemonėmis",
        None,
        "municipal_fleet",
        "Švaresnės transporto priemonės",
        "Ūkio skyrius",
        2015,
        2020,
        540000,
        600,
        0,
        160,
    ),
    (
        "Parengti darnaus judumo planą",
        None,
        "land_use",
        "Judumo planavimas",
        "Strateginio planavimo ir investicijų skyrius",
        2016,
        2017,
        90000,
        5000,
        0,
        1300,
    ),
    (
        "Rengti gyventojų švietimo kampaniją „Taupykime energiją“",
        None,
        "citizens",
        "Informavimas",
        "Aplinkosaugos skyrius",
        2014,
        2020,
        35000,
        4000,
        0,
        800,
    ),
    (
        "Nutiesti pėsčiųjų ir dviračių takus Ringaudų, Domeikavos ir Karmėlavos gyvenvietėse",
        None,
        "private_transport",
        "Dviračių infrastruktūra",
        "Statybos ir infrastruktūros plėtros skyrius",
        2014,
        2020,
        3400000,
        1800,
        0,
        470,
    ),
    (
        "Įrengti naujas autobusų stoteles su paviljonais",
        None,
        "public_transport",
        "Viešojo transporto patrauklumas",
        "Ūkio skyrius",
        2014,
        2018,
        210000,
        500,
        0,
        130,
    ),
    (
        None,
        "Pirkti žaliąją elektrą savivaldybės pastatams",
        "procurement",
        "Žalieji pirkimai",
        "Ūkio skyrius",
        2017,
        2020,
        20000,
        0,
        0,
        600,
    ),
    (
        None,
        "Plėsti biokuro kogeneraciją centralizuoto šilumos tiekimo sistemoje",
        "district_heating",
        "Kogeneracija",
        "UAB „Kauno rajono šiluma“ (demonstracinis pavadinimas)",
        2015,
        2018,
        9500000,
        0,
        51000,
        18000,
    ),
]


def _fill(user, inventory: Inventory, data: dict) -> None:
    cells = {
        (sector, carrier): D(value)
        for sector, row in data["consumption"].items()
        for carrier, value in row.items()
    }
    services.consumption_replace(user=user, inventory=inventory, cells=cells)
    for output in ("electricity", "heat"):
        for technology, name, produced, fuels in data[f"{output}_production"]:
            services.production_add(
                user=user,
                inventory=inventory,
                output=output,
                technology=technology,
                name=name,
                produced_mwh=D(produced),
                fuels={c: D(v) for c, v in fuels.items()},
            )
    for supplier, mwh, factor in data["green"]:
        services.green_purchase_add(
            user=user, inventory=inventory, supplier=supplier, mwh=D(mwh), factor=D(factor)
        )
    for category, description, co2 in data["other"]:
        services.other_emission_add(
            user=user, inventory=inventory, category=category, description=description, co2_t=D(co2)
        )


PROGRESS_NOTE = "Demonstracinis įrašas."
PROGRESS_UNTIL = 2019  # the last year the demo's monitoring published
DELAY_REASON = (
    "Užsitęsė viešųjų pirkimų procedūros, dalis darbų nukelta į kitus metus. " + PROGRESS_NOTE
)


def _progress(user) -> int:
    """What each demo SEAP measure achieved by year, up to ``PROGRESS_UNTIL``:
    growing as the measure is carried out, most a little below plan, one
    delayed. Measures that already report anything are left as they are."""
    done = set(SeapProgress.objects.values_list("seap_measure_id", flat=True).distinct())
    count = 0
    for position, measure in enumerate(SeapMeasure.objects.filter(note=DEMO_NOTE)):
        if measure.pk in done:
            continue
        rng = random.Random(zlib.crc32(measure.title.encode()))
        pace = Decimal(str(round(rng.uniform(0.6, 1.05), 2)))
        delayed = position % 5 == 2
        # A completed measure keeps saving: it reports its effect every year.
        for year in range(measure.start_year, PROGRESS_UNTIL + 1):
            share = (
                calc.measure_reduction_in(
                    start_year=measure.start_year,
                    end_year=measure.end_year,
                    reduction=D(1),
                    year=year,
                )
                * pace
            )
            if delayed and year == measure.end_year:
                status, note, share = "delayed", DELAY_REASON, share * D("0.8")
            elif year >= measure.end_year and not (delayed and year == measure.end_year):
                status, note = "completed", PROGRESS_NOTE
            else:
                status, note = "in_progress", PROGRESS_NOTE
            services.seap_progress_set(
                user=user,
                measure=measure,
                year=year,
                status=status,
                energy_saving_mwh=(measure.energy_saving_mwh * share).quantize(D("1")),
                renewable_mwh=(measure.renewable_mwh * share).quantize(D("1")),
                co2_reduction_t=(measure.co2_reduction_t * share).quantize(D("0.1")),
                note=note,
            )
            count += 1
    return count


def load(context) -> None:
    """The climate step of ``load_demo`` (see plans/demo/loader.py)."""
    user = context.staff_user
    created = []
    for year, approach, value in NATIONAL_FACTORS:
        _factor, is_new = NationalElectricityFactor.objects.get_or_create(
            year=year, approach=approach, defaults={"value": value, "source": DEMO_NOTE}
        )
        if is_new:
            created.append(f"national electricity factor {year}")
    for kind, data in (("baseline", BASELINE), ("monitoring", MONITORING)):
        if Inventory.objects.filter(kind=kind, year=data["year"]).exists() or (
            kind == "baseline" and Inventory.objects.filter(kind=kind).exists()
        ):
            continue
        inventory = services.inventory_create(
            user=user,
            year=data["year"],
            kind=kind,
            population=data["population"],
            approach="ipcc",
            note=DEMO_NOTE,
        )
        _fill(user, inventory, data)
        # The demo's inventories are checked figures: published, as the
        # public pages, the PDF and the reports of the demo show them.
        services.inventory_publish(user=user, inventory=inventory)
        created.append(f"{kind} inventory {data['year']}")
    if not Target.objects.exists():
        services.target_set(user=user, percent=D("20"), year=2020, kind="absolute")
        created.append("target")

    plan, version = context.plan, context.approved_version
    keys = {}
    if version is not None:
        keys = dict(Measure.objects.filter(version=version).values_list("title", "key"))
    existing = set(SeapMeasure.objects.values_list("title", flat=True))
    added = 0
    for (
        plan_title,
        title,
        sector,
        field,
        responsible,
        start,
        end,
        cost,
        saving,
        renewable,
        co2,
    ) in MEASURES:
        title = title or plan_title
        if title in existing:
            continue
        key = keys.get(plan_title) if plan_title else None
        services.seap_measure_create(
            user=user,
            plan=plan if key else None,
            measure_key=key,
            title=title,
            sector=sector,
            field_of_action=field,
            responsible=responsible,
            start_year=start,
            end_year=end,
            estimated_cost=D(cost),
            energy_saving_mwh=D(saving),
            renewable_mwh=D(renewable),
            co2_reduction_t=D(co2),
            note=DEMO_NOTE,
        )
        added += 1
    if added:
        created.append(f"{added} action plan measures")
    reported = _progress(user)
    if reported:
        created.append(f"{reported} yearly progress entries of the action plan's measures")
    done = "created " + ", ".join(created) if created else "already present, left unchanged"
    context.say(f"Climate: {done}.")
