"""A Kaunas District Municipality 2025–2027 strategic action plan, as demo data.

What is real: that the municipality keeps a three-year strategic action plan
(strateginis veiklos planas, SVP) of programmes that implements its
2021–2027 development plan, and the kinds of funding source it draws on. The
names of the real plan's programmes, its measures, appropriations and
indicators could not be found, so every programme, goal, task, measure,
indicator and amount here is demonstration content: each programme's
description ends with ``DEMO_NOTE`` and the approved version carries the
label ``VERSION_LABEL`` (docs/plans/demo-plans.md).

One row per node in document order, as in ``kaunas_2013_2020.OUTLINE``;
codes (01, 01.01, 01.01.01 …) follow from the order. A progress measure names
the development plan's tasks (or goals) it implements by their codes in
``kaunas_2021_2027`` (``implements``); continuing activities implement
nothing. Appropriations are given per source as the amounts of 2025, 2026
and 2027, in euro.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from plans.demo.kaunas_2013_2020 import (
    CONSTRUCTION,
    CULTURE,
    CULTURE_CENTRES,
    ECONOMY,
    EDUCATION,
    ELDERSHIPS,
    ENVIRONMENT,
    HEALTH_BUREAU,
    HEALTH_CENTRES,
    SCHOOLS,
    SOCIAL,
    SOCIAL_CENTRE,
    STRATEGY,
    SURVEY,
    TOURISM_CENTRE,
    WATER,
    IndicatorData,
    demo,
    goal,
    ind,
    nest,
    priority,
    task,
)
from plans.kinds import PlanKind
from plans.models import MeasureKind, Unit

if TYPE_CHECKING:
    from plans.demo.kaunas_2021_2027 import PlanData

PLAN: PlanData = {
    "title": "Kauno rajono savivaldybės 2025–2027 metų strateginis veiklos planas",
    "municipality": "Kauno rajono savivaldybė",
    "period_start": 2025,
    "period_end": 2027,
    "kind": PlanKind.ACTION,
}

VISION = demo(
    "Trejų metų veiksmai ir asignavimai, kuriais įgyvendinami 2021–2027 metų plėtros plano "
    "tikslai ir uždaviniai."
)

VERSION_LABEL = "Demonstracinis turinys"
UPDATE_LABEL = "2026–2028 m. atnaujinimo projektas – demonstracinis turinys"

YEARS = (2025, 2026, 2027)

# Real figures (diena.lt, „Kauno rajono savivaldybė padeda įgyvendinti idėjas“,
# 2024-02-05): the baseline of the community projects' indicator and the
# 2024 amount; the amounts and targets of 2025–2027 are demonstration.
COMMUNITIES_NOTE = (
    "2023 m. finansuota 110 bendruomeninių organizacijų projektų už 346 tūkst. eurų, "
    "2024 m. tam numatyta 715 tūkst. eurų. 2025–2027 m. sumos ir siektinos reikšmės – "
    "demonstracinis turinys."
)

# Units the 2013–2020 demo does not have; the others are reused by name.
ADMINISTRATION = "Kauno rajono savivaldybės administracija"
FINANCE = "Biudžeto ir finansų skyrius"
UNITS = [
    (ADMINISTRATION, Unit.Kind.INSTITUTION),
    (FINANCE, Unit.Kind.DEPARTMENT),
]


@dataclass(frozen=True)
class ActionMeasureData:
    title: str
    responsible: str
    manager: str  # the appropriation manager (asignavimų valdytojas)
    funding: dict[str, tuple[int, int, int]]  # source code → amounts of 2025, 2026, 2027
    kind: str = MeasureKind.PROGRESS
    implements: tuple[str, ...] = ()  # codes of the development plan's goals or tasks
    years: tuple[int, int] = (2025, 2027)
    co_executors: tuple[str, ...] = ()
    output: IndicatorData | None = None
    description: str = ""


def base(name, unit, baseline, targets, **options):
    """An indicator whose baseline is of 2024, the year before the plan."""
    return ind(name, unit, baseline, targets, year=2024, **options)


def progress(
    title, responsible, manager, funding, implements, *, years=(2025, 2027), out=None, co=()
):
    """A progress measure (pažangos priemonė) and the development plan's tasks it implements."""
    return ActionMeasureData(
        title,
        responsible,
        manager,
        funding,
        MeasureKind.PROGRESS,
        tuple(implements),
        years,
        co,
        out,
    )


def continuing(title, responsible, manager, funding, *, out=None, co=(), description=""):
    """A continuing activity (tęstinės veiklos priemonė): all three years, linked to nothing."""
    return ActionMeasureData(
        title,
        responsible,
        manager,
        funding,
        MeasureKind.CONTINUING,
        (),
        (2025, 2027),
        co,
        out,
        description,
    )


OUTLINE = [
    # 01
    priority(
        "Savivaldybės valdymo programa",
        demo("Savivaldybės institucijų, seniūnijų ir viešųjų paslaugų veikla."),
    ),
    goal(
        "Užtikrinti efektyvų, atvirą ir gyventojams artimą savivaldybės valdymą",
        base(
            "Gyventojų, patenkintų savivaldybės teikiamomis paslaugomis, dalis",
            "proc.",
            62,
            {2025: 64, 2026: 67, 2027: 70},
            source=SURVEY,
        ),
    ),
    task(
        "Užtikrinti savivaldybės administracijos ir seniūnijų veiklą",
        base(
            "Laiku išnagrinėtų gyventojų prašymų dalis", "proc.", 96, {2025: 97, 2026: 98, 2027: 98}
        ),
    ),
    continuing(
        "Savivaldybės administracijos veiklos užtikrinimas",
        FINANCE,
        ADMINISTRATION,
        {"SB": (9_800_000, 10_200_000, 10_600_000)},
    ),
    continuing(
        "Seniūnijų veiklos ir viešųjų paslaugų teikimo užtikrinimas",
        ELDERSHIPS,
        ADMINISTRATION,
        {"SB": (4_100_000, 4_250_000, 4_400_000), "SD": (180_000, 185_000, 190_000)},
        out=base(
            "Seniūnijose suteiktų paslaugų skaičius", "tūkst.", 52, {2025: 54, 2026: 56, 2027: 58}
        ),
    ),
    continuing(
        "Valstybinių (valstybės perduotų savivaldybėms) funkcijų vykdymas",
        FINANCE,
        ADMINISTRATION,
        {"SD": (1_450_000, 1_500_000, 1_550_000)},
    ),
    task(
        "Skatinti bendruomenių ir verslo iniciatyvas",
        base(
            "Įgyvendintų bendruomenių ir verslo iniciatyvų skaičius",
            "vnt.",
            40,
            {2025: 45, 2026: 50, 2027: 55},
        ),
    ),
    continuing(
        "Bendruomeninių organizacijų projektų finansavimas",
        STRATEGY,
        ADMINISTRATION,
        {"SB": (720_000, 740_000, 760_000)},
        co=(ELDERSHIPS,),
        out=ind(
            "Finansuotų bendruomeninių organizacijų projektų skaičius",
            "vnt.",
            110,
            {2025: 120, 2026: 125, 2027: 130},
            year=2023,
        ),
        description=COMMUNITIES_NOTE,
    ),
    progress(
        "Remti smulkųjį ir vidutinį verslą pagal verslo rėmimo programą",
        STRATEGY,
        ADMINISTRATION,
        {"SB": (150_000, 160_000, 170_000)},
        ["2.1.2"],
        out=base(
            "Paramą gavusių verslo subjektų skaičius", "vnt.", 0, {2025: 40, 2026: 85, 2027: 130}
        ),
    ),
    progress(
        "Įrengti inžinerinius tinklus Ramučių verslo teritorijoje",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (300_000, 450_000, 200_000), "ES": (900_000, 1_300_000, 0)},
        ["2.1.1"],
        # The networks are laid by 2026, but the municipality pays the last
        # part in 2027: funding must lie within the measure's years.
        years=(2025, 2027),
        co=(WATER,),
        out=base("Nutiestų inžinerinių tinklų ilgis", "km", 0, {2025: 1.5, 2026: 3.8}),
    ),
    # 02
    priority(
        "Ugdymo kokybės ir modernios aplinkos užtikrinimo programa",
        demo("Ikimokyklinis, bendrasis ir neformalusis ugdymas, mokyklų aplinka."),
    ),
    goal(
        "Užtikrinti kokybišką ugdymą modernioje ir saugioje aplinkoje",
        base(
            "Ikimokyklinio ugdymo programose dalyvaujančių 2–5 metų vaikų dalis",
            "proc.",
            89,
            {2025: 91, 2026: 93, 2027: 95},
        ),
    ),
    task(
        "Didinti ikimokyklinio ugdymo vietų skaičių",
        base(
            "Naujai sukurtų ikimokyklinio ugdymo vietų skaičius",
            "vnt.",
            0,
            {2025: 250, 2026: 500, 2027: 800},
        ),
    ),
    progress(
        "Pastatyti lopšelį-darželį Domeikavoje",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (1_200_000, 1_800_000, 400_000), "VB": (500_000, 700_000, 0)},
        ["1.1.1"],
        co=(EDUCATION,),
        out=base("Įrengtų ugdymo vietų skaičius", "vnt.", 0, {2027: 220}),
    ),
    progress(
        "Rekonstruoti Garliavos lopšelį-darželį „Obelėlė“",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (650_000, 900_000, 0), "ES": (400_000, 600_000, 0)},
        ["1.1.1"],
        years=(2025, 2026),
        out=base("Rekonstruoto pastato plotas", "m²", 0, {2026: 2100}),
    ),
    progress(
        "Įsteigti ikimokyklinio ugdymo grupes pritaikytose mokyklų patalpose",
        EDUCATION,
        SCHOOLS,
        {"SB": (180_000, 120_000, 80_000)},
        ["1.1.1"],
        out=base(
            "Įsteigtų ikimokyklinio ugdymo grupių skaičius", "vnt.", 0, {2025: 4, 2026: 7, 2027: 9}
        ),
    ),
    task(
        "Modernizuoti bendrojo ugdymo mokyklų aplinką ir ugdymo turinį",
        base(
            "Modernizuotų bendrojo ugdymo mokyklų skaičius", "vnt.", 0, {2025: 2, 2026: 4, 2027: 6}
        ),
    ),
    progress(
        "Modernizuoti Raudondvario gimnazijos pastatą",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (1_100_000, 700_000, 0), "ES": (1_500_000, 900_000, 0)},
        ["1.1.2"],
        years=(2025, 2026),
        out=base("Modernizuoto pastato plotas", "m²", 0, {2026: 6800}),
    ),
    progress(
        "Pastatyti Domeikavos pradinę mokyklą",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (2_400_000, 1_600_000, 0), "VB": (1_000_000, 800_000, 0)},
        ["1.1.2"],
        years=(2025, 2026),
        co=(EDUCATION,),
        out=base("Naujų mokymosi vietų skaičius", "vnt.", 0, {2026: 400}),
    ),
    progress(
        "Įrengti STEAM laboratorijas gimnazijose ir progimnazijose",
        EDUCATION,
        SCHOOLS,
        {"SB": (120_000, 120_000, 100_000), "ES": (300_000, 250_000, 0)},
        ["1.1.2"],
        out=base("Įrengtų STEAM laboratorijų skaičius", "vnt.", 6, {2025: 9, 2026: 12, 2027: 15}),
    ),
    progress(
        "Tobulinti pedagogų kvalifikaciją ir rengti naujus mokytojus",
        EDUCATION,
        SCHOOLS,
        {"SB": (90_000, 95_000, 100_000), "SD": (60_000, 60_000, 60_000)},
        ["1.1.3"],
        out=base(
            "Kvalifikaciją tobulinusių pedagogų skaičius",
            "asm.",
            0,
            {2025: 600, 2026: 1200, 2027: 1800},
        ),
    ),
    continuing(
        "Ugdymo įstaigų veiklos užtikrinimas",
        EDUCATION,
        SCHOOLS,
        {"SB": (38_000_000, 40_500_000, 42_800_000), "SD": (31_000_000, 32_400_000, 33_900_000)},
        out=base(
            "Ugdomų vaikų ir mokinių skaičius", "tūkst.", 16.8, {2025: 17.4, 2026: 18, 2027: 18.5}
        ),
    ),
    continuing(
        "Mokinių pavėžėjimo užtikrinimas",
        EDUCATION,
        ADMINISTRATION,
        {"SB": (950_000, 980_000, 1_010_000)},
    ),
    # 03
    priority(
        "Socialinės paramos ir sveikatos apsaugos programa",
        demo("Socialinės paslaugos, parama šeimoms, visuomenės sveikata."),
    ),
    goal(
        "Didinti socialinių ir sveikatos priežiūros paslaugų prieinamumą",
        base(
            "Gyventojų, laiku gavusių reikiamas socialines paslaugas, dalis",
            "proc.",
            84,
            {2025: 87, 2026: 90, 2027: 92},
        ),
    ),
    task(
        "Plėtoti bendruomenines ir integralias socialines paslaugas",
        base(
            "Asmenų, gaunančių pagalbos į namus paslaugas, skaičius",
            "asm.",
            430,
            {2025: 450, 2026: 475, 2027: 500},
        ),
    ),
    progress(
        "Įkurti grupinio gyvenimo namus Garliavoje",
        SOCIAL,
        SOCIAL_CENTRE,
        {"SB": (120_000, 80_000, 0), "ES": (450_000, 300_000, 0)},
        ["1.2.1"],
        years=(2025, 2026),
        out=base("Įkurtų grupinio gyvenimo namų vietų skaičius", "vnt.", 0, {2026: 10}),
    ),
    progress(
        "Plėsti integralios pagalbos į namus paslaugas seniūnijose",
        SOCIAL,
        SOCIAL_CENTRE,
        {"SB": (210_000, 230_000, 250_000), "ES": (150_000, 150_000, 0)},
        ["1.2.1"],
        co=(ELDERSHIPS,),
        out=base(
            "Seniūnijų, kuriose teikiama integrali pagalba, skaičius",
            "vnt.",
            14,
            {2025: 17, 2026: 20, 2027: 23},
        ),
    ),
    continuing(
        "Socialinių išmokų ir kompensacijų mokėjimas",
        SOCIAL,
        ADMINISTRATION,
        {"SD": (6_200_000, 6_450_000, 6_700_000), "SB": (900_000, 950_000, 1_000_000)},
    ),
    continuing(
        "Socialinių paslaugų įstaigų veiklos užtikrinimas",
        SOCIAL,
        SOCIAL_CENTRE,
        {"SB": (3_300_000, 3_450_000, 3_600_000), "SD": (700_000, 720_000, 740_000)},
    ),
    task(
        "Stiprinti visuomenės sveikatą ir sveikatos priežiūros paslaugas",
        base(
            "Visuomenės sveikatos stiprinimo renginių dalyvių skaičius",
            "tūkst.",
            18,
            {2025: 20, 2026: 22, 2027: 24},
        ),
    ),
    progress(
        "Modernizuoti pirminės sveikatos priežiūros centrų patalpas ir įrangą",
        SOCIAL,
        ADMINISTRATION,
        {"SB": (200_000, 250_000, 150_000), "VB": (100_000, 100_000, 0)},
        ["1.2.2"],
        co=(HEALTH_CENTRES,),
        out=base(
            "Modernizuotų sveikatos priežiūros įstaigų skaičius",
            "vnt.",
            2,
            {2025: 3, 2026: 5, 2027: 6},
        ),
    ),
    progress(
        "Įrengti lauko treniruoklių ir aktyvaus laisvalaikio aikšteles",
        CULTURE,
        ADMINISTRATION,
        {"SB": (160_000, 160_000, 160_000)},
        ["1.2.3"],
        co=(ELDERSHIPS,),
        out=base("Įrengtų aikštelių skaičius", "vnt.", 0, {2025: 4, 2026: 8, 2027: 12}),
    ),
    continuing(
        "Visuomenės sveikatos priežiūros paslaugų teikimas",
        SOCIAL,
        HEALTH_BUREAU,
        {"SD": (520_000, 540_000, 560_000), "SB": (180_000, 190_000, 200_000)},
    ),
    # 04
    priority(
        "Susisiekimo, komunalinio ūkio ir aplinkos programa",
        demo("Keliai ir gatvės, takai, vandentvarka, energinis efektyvumas, aplinkosauga."),
    ),
    goal(
        "Gerinti susisiekimą, inžinerinę infrastruktūrą ir aplinkos kokybę",
        base(
            "Gyventojų, kuriems teikiamos centralizuoto geriamojo vandens tiekimo paslaugos, dalis",
            "proc.",
            84,
            {2025: 86, 2026: 88, 2027: 90},
        ),
    ),
    task(
        "Tiesti ir atnaujinti kelius, gatves, pėsčiųjų ir dviračių takus",
        base("Išasfaltuotų kelių ir gatvių ilgis", "km", 0, {2025: 25, 2026: 50, 2027: 75}),
    ),
    progress(
        "Išasfaltuoti žvyrkelius ir gatves seniūnijose",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (3_000_000, 3_200_000, 3_400_000), "KPPP": (1_800_000, 1_850_000, 1_900_000)},
        ["3.1.2"],
        co=(ELDERSHIPS,),
        out=base("Išasfaltuotų žvyrkelių ilgis", "km", 0, {2025: 20, 2026: 40, 2027: 60}),
    ),
    progress(
        "Nutiesti pėsčiųjų ir dviračių takus",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (700_000, 750_000, 800_000), "ES": (600_000, 400_000, 0)},
        ["3.1.3"],
        out=base("Nutiestų takų ilgis", "km", 0, {2025: 5, 2026: 10, 2027: 14}),
    ),
    continuing(
        "Vietinės reikšmės kelių ir gatvių priežiūra",
        ECONOMY,
        ADMINISTRATION,
        {"KPPP": (2_100_000, 2_150_000, 2_200_000), "SB": (1_300_000, 1_350_000, 1_400_000)},
        co=(ELDERSHIPS,),
    ),
    task(
        "Plėsti vandentvarką ir didinti energinį efektyvumą",
        base(
            "Naujai prie centralizuotų tinklų prijungtų būstų skaičius",
            "vnt.",
            0,
            {2025: 300, 2026: 650, 2027: 1000},
        ),
    ),
    progress(
        "Nutiesti vandentiekio ir nuotekų tinklus Akademijos, Domeikavos ir Karmėlavos seniūnijose",
        CONSTRUCTION,
        ADMINISTRATION,
        {"SB": (800_000, 900_000, 900_000), "ES": (1_200_000, 1_400_000, 600_000)},
        ["3.1.1", "3.1"],
        co=(WATER,),
        out=base(
            "Nutiestų vandentiekio ir nuotekų tinklų ilgis", "km", 0, {2025: 8, 2026: 17, 2027: 25}
        ),
    ),
    progress(
        "Įrengti saulės elektrines mokyklų ir darželių stoguose",
        ECONOMY,
        ADMINISTRATION,
        {"SB": (250_000, 250_000, 200_000), "ES": (350_000, 300_000, 0)},
        ["3.2.1"],
        co=(SCHOOLS,),
        out=base("Įrengtų saulės elektrinių galia", "kW", 600, {2025: 850, 2026: 1150, 2027: 1400}),
    ),
    progress(
        "Įrengti viešąsias elektromobilių įkrovimo stoteles",
        ECONOMY,
        ADMINISTRATION,
        {"SB": (60_000, 60_000, 60_000), "ES": (90_000, 60_000, 0)},
        ["3.2.3"],
        out=base("Įrengtų įkrovimo stotelių skaičius", "vnt.", 15, {2025: 23, 2026: 31, 2027: 40}),
    ),
    progress(
        "Sutvarkyti Garliavos ir Raudondvario parkus",
        ENVIRONMENT,
        ADMINISTRATION,
        {"SB": (300_000, 350_000, 0), "SAARSP": (50_000, 50_000, 0)},
        ["3.2.2"],
        years=(2025, 2026),
        out=base("Sutvarkytų parkų plotas", "ha", 0, {2025: 4, 2026: 9}),
    ),
    continuing(
        "Savivaldybės aplinkos apsaugos rėmimo specialiosios programos priemonių vykdymas",
        ENVIRONMENT,
        ADMINISTRATION,
        {"SAARSP": (420_000, 430_000, 440_000)},
    ),
    # 05
    priority(
        "Kultūros ir turizmo plėtros programa",
        demo("Kultūros įstaigų veikla, kultūros paveldas, turizmo paslaugos."),
    ),
    goal(
        "Didinti kultūros ir turizmo paslaugų įvairovę ir prieinamumą",
        base(
            "Apgyvendinimo įstaigose suteiktų nakvynių skaičius",
            "tūkst.",
            60,
            {2025: 63, 2026: 66, 2027: 70},
        ),
    ),
    task(
        "Atnaujinti kultūros infrastruktūrą ir pritaikyti paveldą lankymui",
        base("Atnaujintų kultūros erdvių skaičius", "vnt.", 4, {2025: 5, 2026: 7, 2027: 9}),
    ),
    progress(
        "Atnaujinti Vilkijos ir Zapyškio kultūros centrų sales",
        CULTURE,
        CULTURE_CENTRES,
        {"SB": (350_000, 400_000, 0), "VB": (150_000, 150_000, 0)},
        ["2.2.2"],
        years=(2025, 2026),
        out=base("Atnaujintų salių skaičius", "vnt.", 0, {2025: 1, 2026: 2}),
    ),
    progress(
        "Pritaikyti piliakalnius ir kitus kultūros paveldo objektus lankymui",
        CULTURE,
        ADMINISTRATION,
        {"SB": (250_000, 0, 0), "ES": (600_000, 0, 0)},
        ["2.2.1"],
        years=(2025, 2025),
        co=(TOURISM_CENTRE,),
        out=base("Lankymui pritaikytų paveldo objektų skaičius", "vnt.", 0, {2025: 3}),
    ),
    progress(
        "Sukurti skaitmeninių turizmo maršrutų sistemą",
        CULTURE,
        TOURISM_CENTRE,
        {"SB": (40_000, 30_000, 20_000)},
        ["2.2"],
        out=base("Sukurtų skaitmeninių maršrutų skaičius", "vnt.", 0, {2025: 4, 2026: 8, 2027: 10}),
    ),
    continuing(
        "Kultūros centrų ir bibliotekų veiklos užtikrinimas",
        CULTURE,
        CULTURE_CENTRES,
        {"SB": (5_400_000, 5_650_000, 5_900_000)},
        out=base(
            "Kultūros renginių lankytojų skaičius", "tūkst.", 210, {2025: 220, 2026: 230, 2027: 240}
        ),
    ),
]

PROGRAMMES = nest(OUTLINE)
