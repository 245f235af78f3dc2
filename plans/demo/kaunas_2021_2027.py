"""The Kaunas District Municipality 2021–2027 development plan, as demo data.

What is real: the plan's title and period. The municipality's
administration drafted „Kauno rajono savivaldybės 2021–2027 metų strateginis
plėtros planas“ in January–September 2019 and published the draft for
comments until 1 October 2019 (garliava.lt, „Parengtas Kauno rajono
savivaldybės 2021–2027 metų strateginio plėtros plano projektas“).

Everything else is a realistic invention for demonstrating the portal: the
plan's published text (its priorities, goals, tasks and indicators) could not
be found, so the vision, every priority, goal, task, measure and indicator
here is demonstration content. Each priority's description ends with
``DEMO_NOTE``, the vision says so too, and the approved version carries the
label ``VERSION_LABEL``; no council decision number or date is invented
(docs/plans/demo-plans.md).

The tree is written like the 2013–2020 one (``kaunas_2013_2020.OUTLINE``):
one row per node in document order; codes (1, 1.1, 1.1.1 …) follow from the
order, and the 2025–2027 action plan names the tasks it implements by
these codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from plans.demo.kaunas_2013_2020 import (
    ARCHITECTURE,
    CONSTRUCTION,
    CULTURE,
    DEMO_NOTE,
    ECONOMY,
    EDUCATION,
    ENVIRONMENT,
    INVENTORIES,
    SOCIAL,
    STATISTICS,
    STRATEGY,
    SURVEY,
    demo,
    goal,
    ind,
    measure,
    nest,
    priority,
    task,
)
from plans.kinds import PlanKind

if TYPE_CHECKING:

    class PlanData(TypedDict):
        """The keyword arguments of ``plans.services.plan_create`` that ``PLAN`` gives."""

        title: str
        municipality: str
        period_start: int
        period_end: int
        kind: str


PLAN: PlanData = {
    "title": "Kauno rajono savivaldybės 2021–2027 metų strateginis plėtros planas",
    "municipality": "Kauno rajono savivaldybė",
    "period_start": 2021,
    "period_end": 2027,
    "kind": PlanKind.DEVELOPMENT,
}

VISION = demo(
    "Kauno rajonas – sparčiai augantis, jaunų šeimų renkamas kraštas su kokybišku ugdymu, "
    "prieinamomis paslaugomis, patrauklia verslui aplinka ir švaria, saugia gamta."
)

VERSION_LABEL = "Demonstracinis turinys"

BASE = 2019  # the baseline year of the plan's indicators


def base(name, unit, baseline, targets, **options):
    """An indicator whose baseline is of 2019, the last full year before the plan."""
    return ind(name, unit, baseline, targets, year=BASE, **options)


OUTLINE = [
    priority(
        "Sumani, sveika ir saugi bendruomenė",
        demo("Kokybiškas ugdymas, prieinamos socialinės ir sveikatos priežiūros paslaugos."),
    ),
    goal(
        "Užtikrinti kokybišką ir visiems prieinamą ugdymą",
        base(
            "Ikimokyklinio ugdymo programose dalyvaujančių 2–5 metų vaikų dalis",
            "proc.",
            82,
            {2024: 90, 2027: 95},
        ),
    ),
    task(
        "Plėsti ikimokyklinio ir priešmokyklinio ugdymo įstaigų tinklą",
        base(
            "Naujai sukurtų ikimokyklinio ugdymo vietų skaičius",
            "vnt.",
            0,
            {2024: 2000, 2027: 3200},
        ),
    ),
    measure(
        "Statyti naujus ir plėsti esamus lopšelius-darželius",
        CONSTRUCTION,
        (2021, 2027),
        {},
        co=(EDUCATION,),
        out=base(
            "Pastatytų ir išplėstų ikimokyklinio ugdymo įstaigų skaičius", "vnt.", 0, {2027: 8}
        ),
    ),
    task(
        "Modernizuoti bendrojo ugdymo mokyklų ugdymo aplinką",
        base("Atnaujintų bendrojo ugdymo mokyklų pastatų skaičius", "vnt.", 0, {2024: 5, 2027: 12}),
    ),
    measure(
        "Įrengti gamtos mokslų, technologijų, inžinerijos, menų ir matematikos (STEAM) "
        "laboratorijas",
        EDUCATION,
        (2022, 2027),
        {},
        out=base("Įrengtų STEAM laboratorijų skaičius", "vnt.", 0, {2024: 6, 2027: 15}),
    ),
    task(
        "Stiprinti pedagogų kvalifikaciją ir ugdymo turinio kokybę",
        base("Kvalifikaciją tobulinusių pedagogų dalis", "proc.", 60, {2024: 80, 2027: 90}),
    ),
    goal(
        "Gerinti socialinių ir sveikatos priežiūros paslaugų prieinamumą",
        base(
            "Vidutinė tikėtina gyvenimo trukmė",
            "metai",
            76.1,
            {2024: 77, 2027: 78},
            source=STATISTICS,
        ),
    ),
    task(
        "Plėtoti bendruomenines socialines paslaugas",
        base(
            "Asmenų, gaunančių pagalbos į namus paslaugas, skaičius",
            "asm.",
            320,
            {2024: 420, 2027: 500},
        ),
    ),
    measure(
        "Įkurti bendruomeninius vaikų globos ir grupinio gyvenimo namus",
        SOCIAL,
        (2021, 2026),
        {},
        out=base(
            "Įkurtų bendruomeninių globos ir grupinio gyvenimo namų skaičius", "vnt.", 0, {2026: 4}
        ),
    ),
    task(
        "Gerinti sveikatos priežiūros paslaugų kokybę ir prieinamumą",
        base(
            "Modernizuotų pirminės sveikatos priežiūros įstaigų skaičius",
            "vnt.",
            0,
            {2024: 3, 2027: 6},
        ),
    ),
    task(
        "Skatinti gyventojų fizinį aktyvumą",
        base(
            "Reguliariai sportuojančių gyventojų dalis",
            "proc.",
            28,
            {2024: 34, 2027: 40},
            source=SURVEY,
        ),
    ),
    priority(
        "Konkurencinga ekonomika ir patraukli aplinka investicijoms",
        demo("Verslo teritorijų infrastruktūra, parama verslui, turizmo ir kultūros paslaugos."),
    ),
    goal(
        "Gerinti verslo ir investicijų aplinką",
        base(
            "Tiesioginės užsienio investicijos, tenkančios vienam gyventojui",
            "Eur",
            3600,
            {2024: 4500, 2027: 5200},
            source=STATISTICS,
        ),
    ),
    task(
        "Plėtoti verslo teritorijų inžinerinę infrastruktūrą",
        base(
            "Inžineriniais tinklais aprūpintų verslo teritorijų plotas",
            "ha",
            0,
            {2024: 25, 2027: 60},
        ),
    ),
    measure(
        "Nutiesti inžinerinius tinklus į Ramučių ir Biruliškių verslo teritorijas",
        CONSTRUCTION,
        (2022, 2027),
        {},
        co=(ARCHITECTURE,),
        out=base("Nutiestų inžinerinių tinklų ilgis", "km", 0, {2024: 3, 2027: 8}),
    ),
    task(
        "Skatinti smulkųjį ir vidutinį verslą",
        base(
            "Savivaldybės paramą gavusių verslo subjektų skaičius",
            "vnt.",
            0,
            {2024: 120, 2027: 300},
        ),
    ),
    goal(
        "Plėtoti turizmo ir kultūros paslaugas",
        base(
            "Apgyvendinimo įstaigose suteiktų nakvynių skaičius",
            "tūkst.",
            45,
            {2024: 58, 2027: 70},
            source=STATISTICS,
        ),
    ),
    task(
        "Pritaikyti kultūros paveldo objektus lankymui",
        base(
            "Lankymui pritaikytų kultūros paveldo objektų skaičius", "vnt.", 0, {2024: 3, 2027: 6}
        ),
    ),
    measure(
        "Pritaikyti dvarų sodybas ir kitus kultūros paveldo objektus kultūros ir turizmo reikmėms",
        CULTURE,
        (2021, 2025),
        {},
        out=base("Pritaikytų paveldo pastatų plotas", "m²", 0, {2025: 2400}),
    ),
    task(
        "Atnaujinti kultūros centrų ir bibliotekų infrastruktūrą",
        base("Atnaujintų kultūros erdvių skaičius", "vnt.", 0, {2024: 4, 2027: 9}),
    ),
    priority(
        "Darni, saugi ir gerai pasiekiama aplinka",
        demo("Vandentvarka, keliai ir takai, energinis efektyvumas, švari aplinka."),
    ),
    goal(
        "Gerinti susisiekimą ir inžinerinę infrastruktūrą",
        base(
            "Gyventojų, kuriems teikiamos centralizuoto geriamojo vandens tiekimo paslaugos, dalis",
            "proc.",
            78,
            {2024: 84, 2027: 90},
        ),
    ),
    task(
        "Plėsti vandens tiekimo ir nuotekų tvarkymo tinklus",
        base(
            "Naujai prie centralizuotų tinklų prijungtų būstų skaičius",
            "vnt.",
            0,
            {2024: 900, 2027: 2000},
        ),
    ),
    measure(
        "Nutiesti vandentiekio ir nuotekų tinklus augančiose gyvenvietėse",
        CONSTRUCTION,
        (2021, 2027),
        {},
        out=base("Nutiestų vandentiekio ir nuotekų tinklų ilgis", "km", 0, {2024: 30, 2027: 70}),
    ),
    task(
        "Tiesti ir rekonstruoti vietinės reikšmės kelius ir gatves",
        base(
            "Išasfaltuotų vietinės reikšmės kelių ir gatvių ilgis", "km", 0, {2024: 60, 2027: 150}
        ),
    ),
    task(
        "Plėtoti pėsčiųjų ir dviračių takų tinklą",
        base("Nutiestų pėsčiųjų ir dviračių takų ilgis", "km", 0, {2024: 18, 2027: 45}),
    ),
    goal(
        "Mažinti poveikį klimatui ir gerinti aplinkos kokybę",
        base(
            "Išmetamų šiltnamio efektą sukeliančių dujų kiekis, tenkantis vienam gyventojui",
            "t CO2 ekv.",
            4.1,
            {2024: 3.7, 2027: 3.2},
            down=True,
            source=INVENTORIES,
        ),
    ),
    task(
        "Didinti pastatų energinį efektyvumą ir atsinaujinančios energijos naudojimą",
        base(
            "Atnaujintų (modernizuotų) daugiabučių namų skaičius", "vnt.", 0, {2024: 25, 2027: 60}
        ),
    ),
    measure(
        "Įrengti saulės elektrines savivaldybės pastatuose",
        ECONOMY,
        (2022, 2027),
        {},
        out=base("Įrengtų saulės elektrinių galia", "kW", 0, {2024: 600, 2027: 1500}),
    ),
    task(
        "Kurti ir tvarkyti viešąsias erdves ir želdynus",
        base(
            "Įrengtų ir sutvarkytų parkų, skverų ir poilsio zonų skaičius",
            "vnt.",
            0,
            {2024: 5, 2027: 11},
        ),
    ),
    task(
        "Plėtoti darnų judumą",
        base(
            "Įrengtų viešųjų elektromobilių įkrovimo stotelių skaičius",
            "vnt.",
            0,
            {2024: 15, 2027: 40},
        ),
    ),
]

PRIORITIES = nest(OUTLINE)

# The indicator card (Indicator.code … remarks) of a few indicators, by name.
CARDS = {
    "Ikimokyklinio ugdymo programose dalyvaujančių 2–5 metų vaikų dalis": {
        "code": "E-1.1",
        "definition": (
            "Ikimokyklinio ugdymo programas lankančių 2–5 metų vaikų, gyvenančių Kauno rajone, "
            "dalis nuo visų tokio amžiaus rajono vaikų."
        ),
        "calculation_method": (
            "Ugdymo programas lankančių 2–5 metų vaikų skaičius (rugsėjo 1 d.) dalijamas iš "
            "2–5 metų vaikų skaičiaus (Gyventojų registro duomenimis) ir dauginamas iš 100."
        ),
        "frequency": "Kasmet",
        "responsible_body": EDUCATION,
        "remarks": DEMO_NOTE,
    },
    "Naujai prie centralizuotų tinklų prijungtų būstų skaičius": {
        "code": "R-3.1.1",
        "definition": "Būstai, prijungti prie centralizuotų vandentiekio ir nuotekų tinklų.",
        "calculation_method": "Suma nuo 2021 m. sausio 1 d., vandens tiekėjo duomenimis.",
        "frequency": "Kasmet",
        "responsible_body": CONSTRUCTION,
        "remarks": DEMO_NOTE,
    },
    "Išmetamų šiltnamio efektą sukeliančių dujų kiekis, tenkantis vienam gyventojui": {
        "code": "E-3.2",
        "definition": "Rajono teritorijoje per metus išmetamas ŠESD kiekis vienam gyventojui.",
        "calculation_method": (
            "Merų pakto stebėsenos inventorizacijos bendras išmetimų kiekis dalijamas iš metų "
            "pradžios gyventojų skaičiaus."
        ),
        "frequency": "Kas dvejus metus",
        "responsible_body": ENVIRONMENT,
        "remarks": DEMO_NOTE,
    },
    "Tiesioginės užsienio investicijos, tenkančios vienam gyventojui": {
        "code": "E-2.1",
        "definition": "Tiesioginių užsienio investicijų likutis metų pabaigoje vienam gyventojui.",
        "calculation_method": "Valstybės duomenų agentūros rodiklis, be perskaičiavimo.",
        "frequency": "Kasmet",
        "responsible_body": STRATEGY,
        "remarks": DEMO_NOTE,
    },
}
