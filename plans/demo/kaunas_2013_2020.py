"""The Kaunas District Municipality 2013–2020 strategic development plan, as demo data.

What is real: the plan's title, period and letter numbering, the opening of
its vision, priority D „Aplinkos kokybės gerinimas“ with its goals D.1–D.3 and
the five tasks of goal D.1, and the result indicator of task D.1.3 (illegal
dumps cleared: 0 in 2013, 40 in 2020). These carry no mark.

Everything else (priorities A–C, the tasks of D.2 and D.3, every measure, the
other indicators and all amounts) is a realistic invention for demonstrating
the portal. Each invented priority's description, and each invented node
under the real priority D, ends with ``DEMO_NOTE``, so that nobody mistakes
it for the municipality's official text.

The tree is written compactly, one line of data per measure; the loader turns
funding totals into yearly lines (see ``loader.spread_funding``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from plans.models import Direction, MeasureKind, NumberingStyle, Unit

if TYPE_CHECKING:

    class PlanData(TypedDict):
        """The keyword arguments of ``plans.services.plan_create`` that ``PLAN`` gives."""

        title: str
        municipality: str
        period_start: int
        period_end: int
        numbering: str


DEMO_NOTE = "Demonstracinis turinys: sugalvotas pavyzdys, ne oficialus plano tekstas."

PLAN: PlanData = {
    "title": "Kauno rajono savivaldybės 2013–2020 metų strateginis plėtros planas",
    "municipality": "Kauno rajono savivaldybė",
    "period_start": 2013,
    "period_end": 2020,
    "numbering": NumberingStyle.LETTERS,
}

# The opening of the real plan's vision (docs/domain.md §2), word for word.
VISION = (
    "Išugdyta kūrybiška, demokratinė, lygiateisė, laisva ir atvira visuomenė. "
    "Suformuota laikmečio realijas atliepianti verslo aplinka, pritraukiamos investicijos. "
    "Ekonominė, ūkinė ir socialinė plėtra suderinta su išsaugota švaria, saugia ir sveika aplinka."
)

# Funding years of the plan: it was adopted in 2013, so money is planned from 2014.
FUNDING_YEARS = range(2014, 2021)

FUNDING_SOURCES = [
    ("SB", "Savivaldybės biudžetas"),
    ("VB", "Valstybės biudžetas"),
    ("SD", "Specialioji tikslinė dotacija"),
    ("ES", "Europos Sąjungos struktūrinių fondų lėšos"),
    ("SAARSP", "Savivaldybės aplinkos apsaugos rėmimo specialioji programa"),
    ("KPPP", "Kelių priežiūros ir plėtros programa"),
    ("PRIV", "Privačios lėšos"),
    ("KT", "Kiti šaltiniai"),
]

# Responsible units and co-executors.
STRATEGY = "Strateginio planavimo ir investicijų skyrius"
CONSTRUCTION = "Statybos ir infrastruktūros plėtros skyrius"
EDUCATION = "Švietimo skyrius"
CULTURE = "Kultūros, turizmo ir sporto skyrius"
AGRICULTURE = "Žemės ūkio skyrius"
ENVIRONMENT = "Aplinkosaugos skyrius"
SOCIAL = "Socialinės paramos skyrius"
ARCHITECTURE = "Architektūros ir teritorijų planavimo skyrius"
ECONOMY = "Ūkio skyrius"
ELDERSHIPS = "Seniūnijos"
WATER = "UAB „Giraitės vandenys“"
TOURISM_CENTRE = "Kauno rajono turizmo ir verslo informacijos centras"
SOCIAL_CENTRE = "Kauno rajono socialinių paslaugų centras"
HEALTH_BUREAU = "Kauno rajono savivaldybės visuomenės sveikatos biuras"
FIRE_SERVICE = "Kauno rajono savivaldybės priešgaisrinė tarnyba"
SCHOOLS = "Bendrojo ugdymo mokyklos"
CULTURE_CENTRES = "Kultūros centrai ir bibliotekos"
HEALTH_CENTRES = "Pirminės sveikatos priežiūros įstaigos"
WASTE_CENTRE = "Kauno regiono atliekų tvarkymo centras"
REGIONAL_PARK = "Kauno marių regioninio parko direkcija"
COMMUNITIES = "Bendruomeninės ir nevyriausybinės organizacijos"
HUNTERS = "Medžiotojų klubai ir būreliai"
HOMEOWNERS = "Daugiabučių namų savininkų bendrijos ir administratoriai"

UNITS = [
    (STRATEGY, Unit.Kind.DEPARTMENT),
    (CONSTRUCTION, Unit.Kind.DEPARTMENT),
    (EDUCATION, Unit.Kind.DEPARTMENT),
    (CULTURE, Unit.Kind.DEPARTMENT),
    (AGRICULTURE, Unit.Kind.DEPARTMENT),
    (ENVIRONMENT, Unit.Kind.DEPARTMENT),
    (SOCIAL, Unit.Kind.DEPARTMENT),
    (ARCHITECTURE, Unit.Kind.DEPARTMENT),
    (ECONOMY, Unit.Kind.DEPARTMENT),
    (ELDERSHIPS, Unit.Kind.DEPARTMENT),
    (TOURISM_CENTRE, Unit.Kind.INSTITUTION),
    (SOCIAL_CENTRE, Unit.Kind.INSTITUTION),
    (HEALTH_BUREAU, Unit.Kind.INSTITUTION),
    (FIRE_SERVICE, Unit.Kind.INSTITUTION),
    (SCHOOLS, Unit.Kind.INSTITUTION),
    (CULTURE_CENTRES, Unit.Kind.INSTITUTION),
    (HEALTH_CENTRES, Unit.Kind.INSTITUTION),
    (WATER, Unit.Kind.OTHER),
    (WASTE_CENTRE, Unit.Kind.OTHER),
    (REGIONAL_PARK, Unit.Kind.OTHER),
    (COMMUNITIES, Unit.Kind.OTHER),
    (HUNTERS, Unit.Kind.OTHER),
    (HOMEOWNERS, Unit.Kind.OTHER),
]

ADMINISTRATION_DATA = "Kauno rajono savivaldybės administracijos duomenys"
STATISTICS = "Lietuvos statistikos departamentas"
SURVEY = "Kauno rajono gyventojų apklausa"
INVENTORIES = "Merų pakto bazinė ir stebėsenos išmetimų inventorizacijos"


@dataclass(frozen=True)
class IndicatorData:
    name: str
    unit: str
    baseline: float
    targets: dict[int, float]
    baseline_year: int = 2013
    direction: str = Direction.INCREASE
    data_source: str = ADMINISTRATION_DATA


@dataclass(frozen=True)
class MeasureData:
    title: str
    responsible: str
    years: tuple[int, int]
    funding: dict[str, int]  # source code → total euro over the measure's funding years
    kind: str = MeasureKind.PROGRESS
    co_executors: tuple[str, ...] = ()
    output: IndicatorData | None = None
    description: str = ""


@dataclass(frozen=True)
class TaskData:
    title: str
    indicator: IndicatorData
    description: str = ""
    measures: list[MeasureData] = field(default_factory=list)


@dataclass(frozen=True)
class GoalData:
    title: str
    indicator: IndicatorData
    description: str = ""
    tasks: list[TaskData] = field(default_factory=list)


@dataclass(frozen=True)
class PriorityData:
    title: str
    description: str = ""
    goals: list[GoalData] = field(default_factory=list)


def ind(
    name, unit, baseline, targets, *, year=2013, down=False, keep=False, source=ADMINISTRATION_DATA
):
    """An indicator: baseline value (in ``year``) and target values by year."""
    direction = Direction.DECREASE if down else Direction.MAINTAIN if keep else Direction.INCREASE
    return IndicatorData(name, unit, baseline, targets, year, direction, source)


def priority(title, description=""):
    return PriorityData(title, description)


def goal(title, indicator, description=""):
    """A goal with its effect indicator."""
    return GoalData(title, indicator, description)


def task(title, indicator, description=""):
    """A task with its result indicator."""
    return TaskData(title, indicator, description)


def measure(title, responsible, years, funding, *, out=None, co=(), description=""):
    """A progress measure (pažangos priemonė), a project with an end; ``out``
    is its output indicator, ``co`` its co-executors."""
    return MeasureData(
        title, responsible, years, funding, MeasureKind.PROGRESS, co, out, description
    )


def activity(title, responsible, funding, *, years=(2014, 2020), out=None, co=(), description=""):
    """A continuing activity (tęstinės veiklos priemonė), by default all through the plan."""
    return MeasureData(
        title, responsible, years, funding, MeasureKind.CONTINUING, co, out, description
    )


def demo(text):
    return f"{text} {DEMO_NOTE}"


def nest(outline) -> list[PriorityData]:
    """Hang each row of the outline under the last row of the level above."""
    priorities = []
    for row in outline:
        if isinstance(row, PriorityData):
            priorities.append(row)
        elif isinstance(row, GoalData):
            priorities[-1].goals.append(row)
        elif isinstance(row, TaskData):
            priorities[-1].goals[-1].tasks.append(row)
        else:
            priorities[-1].goals[-1].tasks[-1].measures.append(row)
    return priorities


# The plan in document order, as in the plan's own tables: each goal belongs to
# the priority above it, each task to the goal above it, each measure to the
# task above it. Codes (A, A.1, A.1.1, A.1.1.1 …) follow from the order.
OUTLINE = [
    # A: invented (demonstration content).
    priority(
        "Konkurencingos ekonomikos kūrimas",
        demo("Verslui palanki aplinka, naujos investicijos, turizmo ir kaimo ekonomikos plėtra."),
    ),
    goal(
        "Gerinti verslo ir investicijų aplinką",
        ind(
            "Materialinės investicijos, tenkančios vienam gyventojui",
            "Eur",
            1450,
            {2016: 1700, 2020: 2000},
            year=2012,
            source=STATISTICS,
        ),
    ),
    task(
        "Parengti ir įgyvendinti investicijų pritraukimo priemones",
        ind("Pritrauktų naujų investuotojų skaičius", "vnt.", 0, {2016: 5, 2020: 12}),
    ),
    measure(
        "Parengti rajono investicinį pasiūlymą ir pristatyti jį investuotojams",
        STRATEGY,
        (2014, 2016),
        {"SB": 45000},
        co=(ARCHITECTURE,),
        out=ind("Investuotojams pristatytų investicinių pasiūlymų skaičius", "vnt.", 0, {2016: 3}),
    ),
    activity(
        "Dalyvauti tarptautinėse investicijų ir verslo parodose",
        STRATEGY,
        {"SB": 70000},
        out=ind("Parodų, kuriose dalyvauta, skaičius", "vnt.", 0, {2016: 6, 2020: 14}),
    ),
    activity(
        "Konsultuoti investuotojus „vieno langelio“ principu",
        STRATEGY,
        {"SB": 21000},
        out=ind("Konsultuotų investuotojų skaičius", "vnt.", 0, {2016: 60, 2020: 150}),
    ),
    task(
        "Plėtoti pramonės ir verslo teritorijų inžinerinę infrastruktūrą",
        ind(
            "Inžineriniais tinklais aprūpintų verslo teritorijų plotas",
            "ha",
            0,
            {2016: 40, 2020: 120},
        ),
    ),
    measure(
        "Parengti Biruliškių ir Ramučių pramonės zonų detaliuosius planus",
        ARCHITECTURE,
        (2014, 2016),
        {"SB": 90000},
        out=ind("Patvirtintų detaliųjų planų skaičius", "vnt.", 0, {2016: 2}),
    ),
    measure(
        "Nutiesti privažiuojamuosius kelius ir inžinerinius tinklus į Ramučių pramonės zoną",
        CONSTRUCTION,
        (2015, 2019),
        {"SB": 420000, "ES": 1800000},
        co=(WATER,),
        out=ind("Nutiestų privažiuojamųjų kelių ilgis", "km", 0, {2019: 3.2}),
    ),
    measure(
        "Sutvarkyti Biruliškių verslo zonos gatves ir jų apšvietimą",
        CONSTRUCTION,
        (2017, 2020),
        {"SB": 350000, "KPPP": 200000},
        out=ind("Sutvarkytų gatvių ilgis", "km", 0, {2020: 2.5}),
    ),
    task(
        "Skatinti smulkųjį ir vidutinį verslą",
        ind(
            "Veikiančių mažų ir vidutinių įmonių skaičius 1 000 gyventojų",
            "vnt.",
            17,
            {2016: 20, 2020: 24},
            year=2012,
            source=STATISTICS,
        ),
    ),
    activity(
        "Teikti paramą verslo pradžiai iš smulkiojo ir vidutinio verslo rėmimo fondo",
        STRATEGY,
        {"SB": 140000},
        out=ind("Paramą gavusių verslo subjektų skaičius", "vnt.", 0, {2016: 60, 2020: 140}),
    ),
    activity(
        "Rengti mokymus ir konsultacijas pradedantiesiems verslininkams",
        STRATEGY,
        {"SB": 28000, "ES": 40000},
        co=(TOURISM_CENTRE,),
        out=ind("Mokymuose dalyvavusių asmenų skaičius", "asm.", 0, {2016: 250, 2020: 600}),
    ),
    goal(
        "Didinti rajono turistinį patrauklumą",
        ind(
            "Apgyvendinimo įstaigose apsistojusių turistų skaičius per metus",
            "tūkst.",
            28,
            {2016: 35, 2020: 45},
            year=2012,
            source=STATISTICS,
        ),
    ),
    task(
        "Plėtoti turizmo infrastruktūrą Nemuno ir Neries pakrantėse",
        ind("Sutvarkytų turizmo objektų skaičius", "vnt.", 0, {2016: 4, 2020: 10}),
    ),
    measure(
        "Sutvarkyti Kulautuvos ir Kačerginės paplūdimius ir prieplaukas",
        CULTURE,
        (2014, 2017),
        {"SB": 180000, "ES": 520000},
        co=(ELDERSHIPS,),
        out=ind("Sutvarkytų paplūdimių skaičius", "vnt.", 0, {2017: 2}),
    ),
    measure(
        "Įrengti Nemuno vandens turizmo trasą su poilsiavietėmis",
        CULTURE,
        (2016, 2019),
        {"SB": 60000, "ES": 240000},
        co=(TOURISM_CENTRE,),
        out=ind("Įrengtų poilsiaviečių skaičius", "vnt.", 0, {2019: 6}),
    ),
    measure(
        "Pritaikyti lankytojams Raudondvario dvaro parką",
        CULTURE,
        (2014, 2016),
        {"SB": 150000, "ES": 850000},
        co=(ARCHITECTURE,),
        out=ind("Sutvarkyto parko plotas", "ha", 0, {2016: 8}),
    ),
    task(
        "Didinti rajono turizmo paslaugų žinomumą",
        ind(
            "Turizmo informacijos centre aptarnautų lankytojų skaičius",
            "tūkst.",
            9,
            {2016: 12, 2020: 16},
            year=2012,
        ),
    ),
    activity(
        "Leisti turizmo leidinius ir žemėlapius lietuvių ir užsienio kalbomis",
        TOURISM_CENTRE,
        {"SB": 56000},
        out=ind("Išleistų leidinių tiražas", "tūkst. egz.", 0, {2016: 30, 2020: 70}),
    ),
    activity(
        "Dalyvauti turizmo parodose ir rengti pažintinius turus",
        TOURISM_CENTRE,
        {"SB": 42000, "ES": 20000},
        co=(CULTURE,),
    ),
    goal(
        "Didinti žemės ūkio ir kaimo vietovių konkurencingumą",
        ind(
            "Žemės ūkio valdų, gavusių Europos Sąjungos paramą, dalis",
            "proc.",
            35,
            {2016: 42, 2020: 50},
            year=2012,
        ),
    ),
    task(
        "Rekonstruoti ir prižiūrėti melioracijos sistemas",
        ind("Rekonstruotų melioracijos sistemų plotas", "ha", 0, {2016: 1500, 2020: 4000}),
    ),
    measure(
        "Rekonstruoti valstybei priklausančius melioracijos statinius",
        AGRICULTURE,
        (2014, 2020),
        {"SD": 2100000, "ES": 1400000},
        out=ind("Rekonstruotų melioracijos griovių ilgis", "km", 0, {2016: 60, 2020: 150}),
    ),
    activity(
        "Prižiūrėti ir remontuoti melioracijos griovius ir pralaidas",
        AGRICULTURE,
        {"SD": 840000},
        co=(ELDERSHIPS,),
        out=ind("Per metus prižiūrimų griovių ilgis", "km", 80, {2016: 80, 2020: 80}, keep=True),
    ),
    task(
        "Skatinti kaimo bendruomenių ir ūkininkų iniciatyvas",
        ind("Paramą gavusių kaimo plėtros projektų skaičius", "vnt.", 0, {2016: 25, 2020: 60}),
    ),
    activity(
        "Remti vietos veiklos grupių vietos plėtros strategijų įgyvendinimą",
        AGRICULTURE,
        {"SB": 70000, "ES": 900000},
        co=(COMMUNITIES,),
        out=ind("Įgyvendintų vietos projektų skaičius", "vnt.", 0, {2016: 20, 2020: 50}),
    ),
    activity(
        "Rengti ūkininkų mokymus ir gerosios patirties sklaidos renginius",
        AGRICULTURE,
        {"SB": 24500},
        out=ind("Mokymuose dalyvavusių ūkininkų skaičius", "asm.", 0, {2016: 300, 2020: 700}),
    ),
    # B: invented (demonstration content).
    priority(
        "Socialinės gerovės ir švietimo kokybės didinimas",
        demo(
            "Prieinamas ir kokybiškas švietimas, socialinės ir sveikatos priežiūros paslaugos, "
            "aktyvios bendruomenės."
        ),
    ),
    goal(
        "Užtikrinti kokybišką ir prieinamą švietimą",
        ind(
            "Ikimokyklinio amžiaus vaikų, lankančių ugdymo įstaigas, dalis",
            "proc.",
            58,
            {2016: 70, 2020: 85},
            year=2012,
        ),
    ),
    task(
        "Plėsti ikimokyklinio ugdymo vietų tinklą",
        ind(
            "Naujai įsteigtų ikimokyklinio ugdymo vietų skaičius", "vnt.", 0, {2016: 400, 2020: 900}
        ),
    ),
    measure(
        "Pastatyti modulinį vaikų darželį Akademijoje",
        CONSTRUCTION,
        (2014, 2015),
        {"SB": 380000, "VB": 900000},
        co=(EDUCATION,),
        out=ind("Įsteigtų ugdymo vietų skaičius", "vnt.", 0, {2015: 120}),
    ),
    measure(
        "Pastatyti modulinį vaikų darželį Domeikavoje",
        CONSTRUCTION,
        (2014, 2015),
        {"SB": 360000, "VB": 880000},
        co=(EDUCATION,),
        out=ind("Įsteigtų ugdymo vietų skaičius", "vnt.", 0, {2015: 120}),
    ),
    measure(
        "Pastatyti modulinį vaikų darželį Garliavoje",
        CONSTRUCTION,
        (2015, 2016),
        {"SB": 400000, "VB": 950000},
        co=(EDUCATION,),
        out=ind("Įsteigtų ugdymo vietų skaičius", "vnt.", 0, {2016: 140}),
    ),
    measure(
        "Pastatyti modulinį vaikų darželį Užliedžiuose",
        CONSTRUCTION,
        (2016, 2017),
        {"SB": 350000, "VB": 850000},
        co=(EDUCATION,),
        out=ind("Įsteigtų ugdymo vietų skaičius", "vnt.", 0, {2017: 100}),
    ),
    measure(
        "Įrengti papildomas ikimokyklinio ugdymo grupes mokyklose",
        EDUCATION,
        (2014, 2018),
        {"SB": 420000},
        co=(SCHOOLS,),
        out=ind("Įrengtų grupių skaičius", "vnt.", 0, {2016: 8, 2018: 14}),
    ),
    task(
        "Modernizuoti bendrojo ugdymo mokyklų infrastruktūrą",
        ind("Modernizuotų mokyklų skaičius", "vnt.", 0, {2016: 6, 2020: 15}),
    ),
    measure(
        "Modernizuoti mokyklų gamtos mokslų kabinetus",
        EDUCATION,
        (2014, 2016),
        {"SB": 60000, "ES": 540000},
        co=(SCHOOLS,),
        out=ind("Modernizuotų kabinetų skaičius", "vnt.", 0, {2016: 24}),
    ),
    measure(
        "Atnaujinti mokyklų sporto aikštynus",
        CONSTRUCTION,
        (2015, 2020),
        {"SB": 720000},
        co=(EDUCATION,),
        out=ind("Atnaujintų aikštynų skaičius", "vnt.", 0, {2016: 2, 2020: 8}),
    ),
    activity(
        "Vežti mokinius į mokyklas geltonaisiais autobusais",
        EDUCATION,
        {"SB": 1050000, "VB": 700000},
        out=ind("Įsigytų mokyklinių autobusų skaičius", "vnt.", 0, {2016: 6, 2020: 14}),
    ),
    task(
        "Plėtoti neformalųjį vaikų ir suaugusiųjų švietimą",
        ind(
            "Neformaliojo švietimo programose dalyvaujančių mokinių dalis",
            "proc.",
            45,
            {2016: 55, 2020: 65},
        ),
    ),
    activity(
        "Finansuoti neformaliojo vaikų švietimo programas",
        EDUCATION,
        {"SB": 140000, "ES": 980000},
        years=(2015, 2020),
        out=ind("Finansuotų programų skaičius", "vnt.", 0, {2016: 60, 2020: 110}),
    ),
    activity(
        "Rengti suaugusiųjų mokymosi savaitę ir kursus seniūnijose",
        EDUCATION,
        {"SB": 14000},
        co=(ELDERSHIPS, CULTURE_CENTRES),
    ),
    goal(
        "Gerinti socialinių ir sveikatos priežiūros paslaugų kokybę ir prieinamumą",
        ind(
            "Gyventojų, laiku gavusių reikalingas socialines paslaugas, dalis",
            "proc.",
            80,
            {2016: 90, 2020: 97},
        ),
    ),
    task(
        "Plėsti socialinių paslaugų infrastruktūrą",
        ind(
            "Socialines paslaugas gaunančių asmenų skaičius",
            "asm.",
            1200,
            {2016: 1500, 2020: 1900},
            year=2012,
        ),
    ),
    measure(
        "Įsteigti dienos centrus neįgaliesiems ir senyvo amžiaus asmenims",
        SOCIAL,
        (2014, 2018),
        {"SB": 210000, "ES": 640000},
        co=(SOCIAL_CENTRE,),
        out=ind("Įsteigtų dienos centrų skaičius", "vnt.", 0, {2016: 2, 2018: 4}),
    ),
    activity(
        "Plėsti pagalbos į namus paslaugas",
        SOCIAL_CENTRE,
        {"SB": 560000, "SD": 350000},
        co=(SOCIAL,),
        out=ind("Pagalbos į namus gavėjų skaičius", "asm.", 180, {2016: 240, 2020: 320}),
    ),
    measure(
        "Įrengti grupinio gyvenimo namus neįgaliesiems",
        SOCIAL,
        (2017, 2020),
        {"SB": 120000, "ES": 480000},
        co=(CONSTRUCTION,),
        out=ind("Įrengtų gyvenamųjų vietų skaičius", "vnt.", 0, {2020: 20}),
    ),
    task(
        "Didinti socialinio būsto prieinamumą",
        ind(
            "Socialinio būsto laukiančių šeimų skaičius",
            "vnt.",
            420,
            {2016: 350, 2020: 250},
            year=2012,
            down=True,
        ),
    ),
    measure(
        "Įsigyti socialinių būstų",
        SOCIAL,
        (2014, 2020),
        {"SB": 700000, "ES": 1100000},
        co=(ECONOMY,),
        out=ind("Įsigytų socialinių būstų skaičius", "vnt.", 0, {2016: 25, 2020: 70}),
    ),
    activity(
        "Remontuoti savivaldybės socialinius būstus",
        ECONOMY,
        {"SB": 245000},
        co=(ELDERSHIPS,),
        out=ind("Suremontuotų būstų skaičius", "vnt.", 0, {2016: 30, 2020: 70}),
    ),
    task(
        "Gerinti pirminės sveikatos priežiūros ir visuomenės sveikatos paslaugas",
        ind(
            "Modernizuotų pirminės sveikatos priežiūros įstaigų skaičius",
            "vnt.",
            0,
            {2016: 4, 2020: 9},
        ),
    ),
    measure(
        "Modernizuoti ambulatorijų ir medicinos punktų patalpas",
        CONSTRUCTION,
        (2014, 2020),
        {"SB": 180000, "ES": 620000},
        co=(HEALTH_CENTRES,),
        out=ind("Modernizuotų ambulatorijų ir punktų skaičius", "vnt.", 0, {2016: 4, 2020: 9}),
    ),
    activity(
        "Įgyvendinti visuomenės sveikatos stiprinimo programas",
        HEALTH_BUREAU,
        {"SB": 63000, "SD": 140000},
        out=ind("Programų dalyvių skaičius", "asm.", 0, {2016: 5000, 2020: 12000}),
    ),
    goal(
        "Skatinti bendruomeniškumą, kultūrinį ir sportinį aktyvumą",
        ind(
            "Kultūros ir sporto renginių lankytojų skaičius per metus",
            "tūkst.",
            150,
            {2016: 180, 2020: 220},
            year=2012,
        ),
    ),
    task(
        "Modernizuoti kultūros centrus ir bibliotekas",
        ind("Modernizuotų kultūros įstaigų skaičius", "vnt.", 0, {2016: 5, 2020: 12}),
    ),
    measure(
        "Rekonstruoti kultūros centrų pastatus",
        CONSTRUCTION,
        (2014, 2020),
        {"SB": 600000, "ES": 1400000},
        co=(CULTURE, CULTURE_CENTRES),
        out=ind("Rekonstruotų pastatų skaičius", "vnt.", 0, {2016: 3, 2020: 7}),
    ),
    activity(
        "Aprūpinti bibliotekas kompiuterine įranga ir naujomis knygomis",
        CULTURE,
        {"SB": 140000, "VB": 70000},
        co=(CULTURE_CENTRES,),
        out=ind("Įsigytų naujų leidinių skaičius", "tūkst. egz.", 0, {2016: 25, 2020: 60}),
    ),
    activity(
        "Remti bendruomenių kultūrines iniciatyvas",
        CULTURE,
        {"SB": 105000},
        co=(COMMUNITIES,),
        out=ind("Paremtų projektų skaičius", "vnt.", 0, {2016: 90, 2020: 210}),
    ),
    task(
        "Plėtoti sporto infrastruktūrą ir skatinti fizinį aktyvumą",
        ind(
            "Reguliariai sportuojančių gyventojų dalis",
            "proc.",
            18,
            {2016: 22, 2020: 27},
            year=2012,
            source=SURVEY,
        ),
    ),
    measure(
        "Pastatyti sporto kompleksą Garliavoje",
        CONSTRUCTION,
        (2016, 2019),
        {"SB": 900000, "VB": 1500000},
        co=(CULTURE,),
        out=ind("Pastatytų sporto kompleksų skaičius", "vnt.", 0, {2019: 1}),
    ),
    measure(
        "Įrengti lauko treniruoklių aikšteles seniūnijose",
        CULTURE,
        (2014, 2018),
        {"SB": 125000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų aikštelių skaičius", "vnt.", 0, {2016: 10, 2018: 25}),
    ),
    activity(
        "Rengti rajono sporto žaidynes ir masinius sporto renginius",
        CULTURE,
        {"SB": 84000},
        co=(SCHOOLS, COMMUNITIES),
    ),
    # C: invented (demonstration content); goal C.3 is where the climate part links its measures.
    priority(
        "Darnios infrastruktūros ir energetikos plėtra",
        demo(
            "Keliai, takai, vandentvarka ir darnioji energetika. Tikslo C.3 uždaviniai ir "
            "priemonės perkelti iš klimato kaitos švelninimo galimybių studijos, parengtos pagal "
            "Merų pakto darniosios energetikos veiksmų plano reikalavimus."
        ),
    ),
    goal(
        "Gerinti susisiekimo infrastruktūrą ir eismo saugumą",
        ind(
            "Asfaltuotų vietinės reikšmės kelių ir gatvių dalis",
            "proc.",
            38,
            {2016: 42, 2020: 48},
            year=2012,
        ),
    ),
    task(
        "Asfaltuoti ir rekonstruoti vietinės reikšmės kelius ir gatves",
        ind("Išasfaltuotų ir rekonstruotų kelių ir gatvių ilgis", "km", 0, {2016: 40, 2020: 100}),
    ),
    measure(
        "Asfaltuoti žvyrkelius gyvenamosiose vietovėse",
        CONSTRUCTION,
        (2014, 2020),
        {"KPPP": 4200000, "SB": 1400000},
        co=(ELDERSHIPS,),
        out=ind("Išasfaltuotų žvyrkelių ilgis", "km", 0, {2016: 25, 2020: 60}),
    ),
    measure(
        "Rekonstruoti Garliavos, Akademijos ir Raudondvario gatves",
        CONSTRUCTION,
        (2014, 2020),
        {"SB": 1200000, "ES": 2100000},
        co=(ELDERSHIPS,),
        out=ind("Rekonstruotų gatvių ilgis", "km", 0, {2016: 12, 2020: 30}),
    ),
    activity(
        "Prižiūrėti vietinės reikšmės kelius žiemą ir vasarą",
        ELDERSHIPS,
        {"KPPP": 3500000, "SB": 1750000},
        co=(ECONOMY,),
        out=ind("Prižiūrimų kelių ilgis", "km", 2600, {2016: 2600, 2020: 2600}, keep=True),
    ),
    task(
        "Plėtoti pėsčiųjų ir dviračių takų tinklą",
        ind("Nutiestų pėsčiųjų ir dviračių takų ilgis", "km", 0, {2016: 18, 2020: 45}),
    ),
    measure(
        "Nutiesti pėsčiųjų ir dviračių takus Ringaudų, Domeikavos ir Karmėlavos gyvenvietėse",
        CONSTRUCTION,
        (2014, 2020),
        {"SB": 900000, "ES": 1900000, "VB": 600000},
        co=(ELDERSHIPS,),
        out=ind("Nutiestų takų ilgis", "km", 0, {2016: 18, 2020: 30}),
    ),
    measure(
        "Nutiesti dviračių takus Nemuno ir Neries pakrantėmis",
        CONSTRUCTION,
        (2017, 2020),
        {"SB": 400000, "ES": 1100000},
        co=(CULTURE,),
        out=ind("Nutiestų takų ilgis", "km", 0, {2020: 15}),
    ),
    task(
        "Didinti eismo saugumą ir viešojo transporto prieinamumą",
        ind(
            "Eismo įvykiuose nukentėjusių asmenų skaičius per metus",
            "asm.",
            140,
            {2016: 120, 2020: 95},
            year=2012,
            down=True,
            source=STATISTICS,
        ),
    ),
    activity(
        "Įrengti šaligatvius, apšviestas pėsčiųjų perėjas ir greičio mažinimo priemones",
        CONSTRUCTION,
        {"KPPP": 700000, "SB": 350000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų saugaus eismo priemonių skaičius", "vnt.", 0, {2016: 60, 2020: 150}),
    ),
    measure(
        "Įrengti naujas autobusų stoteles su paviljonais",
        ECONOMY,
        (2014, 2018),
        {"SB": 210000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų stotelių skaičius", "vnt.", 0, {2016: 25, 2018: 40}),
    ),
    activity(
        "Kompensuoti vežėjams lengvatinio keleivių vežimo išlaidas",
        ECONOMY,
        {"SB": 2450000, "VB": 700000},
    ),
    goal(
        "Užtikrinti kokybiškas vandens tiekimo ir nuotekų tvarkymo paslaugas",
        ind(
            "Gyventojų, kuriems teikiamos centralizuoto vandens tiekimo paslaugos, dalis",
            "proc.",
            62,
            {2016: 72, 2020: 85},
            year=2012,
        ),
    ),
    task(
        "Plėsti vandentiekio ir nuotekų tinklus",
        ind("Nutiestų vandentiekio ir nuotekų tinklų ilgis", "km", 0, {2016: 30, 2020: 70}),
    ),
    measure(
        "Nutiesti vandentiekio ir nuotekų tinklus priemiestinėse gyvenvietėse",
        WATER,
        (2014, 2020),
        {"ES": 6300000, "SB": 1100000, "PRIV": 700000},
        co=(CONSTRUCTION,),
        out=ind("Nutiestų tinklų ilgis", "km", 0, {2016: 24, 2020: 56}),
    ),
    measure(
        "Nutiesti vandentiekio ir nuotekų tinklus Neveronių ir Karmėlavos gyvenvietėse",
        WATER,
        (2016, 2019),
        {"ES": 1800000, "SB": 400000},
        co=(CONSTRUCTION,),
        out=ind("Nutiestų tinklų ilgis", "km", 0, {2019: 14}),
    ),
    activity(
        "Prijungti gyventojų būstus prie centralizuotų tinklų",
        WATER,
        {"SB": 280000, "PRIV": 420000},
        co=(ELDERSHIPS,),
        out=ind("Prijungtų būstų skaičius", "vnt.", 0, {2016: 800, 2020: 2200}),
    ),
    task(
        "Modernizuoti vandenvietes ir nuotekų valyklas",
        ind("Pagal normas išvalytų nuotekų dalis", "proc.", 78, {2016: 90, 2020: 100}, year=2012),
    ),
    measure(
        "Rekonstruoti nuotekų valyklas",
        WATER,
        (2014, 2018),
        {"ES": 2600000, "PRIV": 500000},
        out=ind("Rekonstruotų valyklų skaičius", "vnt.", 0, {2016: 3, 2018: 6}),
    ),
    measure(
        "Įrengti geležies šalinimo įrenginius vandenvietėse",
        WATER,
        (2015, 2020),
        {"ES": 1200000, "PRIV": 300000},
        out=ind("Įrengtų vandens gerinimo įrenginių skaičius", "vnt.", 0, {2016: 4, 2020: 12}),
    ),
    goal(
        "Didinti energijos vartojimo efektyvumą ir atsinaujinančių energijos išteklių naudojimą",
        ind(
            "Išmetamo CO₂ kiekio sumažėjimas, palyginti su baziniais metais",
            "proc.",
            0,
            {2016: 8, 2020: 20},
            source=INVENTORIES,
        ),
    ),
    task(
        "Atnaujinti savivaldybės viešuosius pastatus",
        ind(
            "Viešųjų pastatų suvartojamos energijos sumažėjimas",
            "MWh per metus",
            0,
            {2016: 2500, 2020: 7000},
        ),
    ),
    measure(
        "Atnaujinti švietimo įstaigų pastatus",
        CONSTRUCTION,
        (2014, 2020),
        {"SB": 1400000, "ES": 3600000},
        co=(EDUCATION,),
        out=ind("Atnaujintų pastatų skaičius", "vnt.", 0, {2016: 8, 2020: 20}),
    ),
    measure(
        "Atnaujinti kultūros ir sveikatos priežiūros įstaigų pastatus",
        CONSTRUCTION,
        (2015, 2020),
        {"SB": 600000, "ES": 1300000},
        co=(CULTURE, HEALTH_CENTRES),
        out=ind("Atnaujintų pastatų skaičius", "vnt.", 0, {2016: 3, 2020: 10}),
    ),
    measure(
        "Įdiegti energijos apskaitą ir stebėseną savivaldybės pastatuose",
        ECONOMY,
        (2014, 2016),
        {"SB": 95000},
        out=ind("Pastatų, kuriuose įdiegta energijos apskaita, skaičius", "vnt.", 0, {2016: 60}),
    ),
    task(
        "Skatinti daugiabučių namų atnaujinimą",
        ind("Atnaujintų daugiabučių namų skaičius", "vnt.", 0, {2016: 20, 2020: 60}),
    ),
    measure(
        "Įgyvendinti daugiabučių namų atnaujinimo (modernizavimo) programą",
        CONSTRUCTION,
        (2014, 2020),
        {"VB": 2100000, "PRIV": 4900000, "SB": 350000},
        co=(HOMEOWNERS,),
        out=ind("Atnaujintų daugiabučių skaičius", "vnt.", 0, {2016: 20, 2020: 60}),
    ),
    activity(
        "Konsultuoti gyventojus dėl daugiabučių atnaujinimo ir energijos taupymo",
        STRATEGY,
        {"SB": 35000},
        co=(HOMEOWNERS, ELDERSHIPS),
        out=ind("Surengtų gyventojų susirinkimų skaičius", "vnt.", 0, {2016: 60, 2020: 150}),
    ),
    task(
        "Modernizuoti gatvių apšvietimą",
        ind("Gatvių apšvietimo elektros sąnaudų sumažėjimas", "proc.", 0, {2016: 15, 2020: 40}),
    ),
    measure(
        "Pakeisti gatvių šviestuvus efektyviais šviesos diodų (LED) šviestuvais",
        ECONOMY,
        (2015, 2020),
        {"SB": 700000, "ES": 1100000},
        co=(ELDERSHIPS,),
        out=ind("Pakeistų šviestuvų skaičius", "vnt.", 0, {2016: 1200, 2020: 5000}),
    ),
    measure(
        "Įrengti nuotolinio gatvių apšvietimo valdymo sistemą",
        ECONOMY,
        (2017, 2020),
        {"SB": 260000},
        out=ind(
            "Prie valdymo sistemos prijungtų apšvietimo linijų skaičius", "vnt.", 0, {2020: 120}
        ),
    ),
    measure(
        "Įrengti gatvių apšvietimą neapšviestose gyvenvietėse",
        ECONOMY,
        (2014, 2020),
        {"SB": 630000},
        co=(ELDERSHIPS,),
        out=ind("Naujai apšviestų gatvių ilgis", "km", 0, {2016: 20, 2020: 55}),
    ),
    task(
        "Didinti atsinaujinančių energijos išteklių naudojimą šilumos gamybai",
        ind(
            "Šilumos, pagamintos iš atsinaujinančių išteklių, dalis",
            "proc.",
            22,
            {2016: 40, 2020: 60},
            year=2012,
            source=INVENTORIES,
        ),
    ),
    measure(
        "Pakeisti savivaldybės įstaigų katilines biokuro katilinėmis",
        ECONOMY,
        (2014, 2018),
        {"SB": 520000, "ES": 1300000},
        co=(CONSTRUCTION,),
        out=ind("Pakeistų katilinių skaičius", "vnt.", 0, {2016: 6, 2018: 12}),
    ),
    measure(
        "Įrengti saulės kolektorius ir šilumos siurblius ugdymo įstaigose",
        CONSTRUCTION,
        (2016, 2020),
        {"SB": 180000, "ES": 420000},
        co=(EDUCATION,),
        out=ind("Įrengtų sistemų skaičius", "vnt.", 0, {2020: 15}),
    ),
    activity(
        "Skatinti gyventojus įsirengti atsinaujinančių išteklių šildymo sistemas",
        ENVIRONMENT,
        {"KT": 600000, "PRIV": 900000},
        out=ind("Gyventojų įsirengtų sistemų skaičius", "vnt.", 0, {2016: 150, 2020: 500}),
    ),
    task(
        "Mažinti transporto energijos sąnaudas ir skatinti taupyti energiją",
        ind("Savivaldybės transporto kuro sąnaudų sumažėjimas", "proc.", 0, {2016: 5, 2020: 15}),
    ),
    measure(
        "Atnaujinti savivaldybės transporto parką mažiau taršiomis transporto priemonėmis",
        ECONOMY,
        (2015, 2020),
        {"SB": 420000},
        out=ind(
            "Įsigytų mažai taršių transporto priemonių skaičius", "vnt.", 0, {2016: 3, 2020: 12}
        ),
    ),
    measure(
        "Parengti darnaus judumo planą",
        STRATEGY,
        (2016, 2018),
        {"SB": 60000, "ES": 90000},
        co=(ARCHITECTURE,),
        out=ind("Patvirtintų planų skaičius", "vnt.", 0, {2018: 1}),
    ),
    activity(
        "Rengti gyventojų švietimo kampaniją „Taupykime energiją“",
        ENVIRONMENT,
        {"SAARSP": 28000},
        co=(SCHOOLS,),
        out=ind("Kampanijos renginių skaičius", "vnt.", 0, {2016: 12, 2020: 30}),
    ),
    # D: the real plan's priority, goals D.1–D.3 and tasks D.1.1–D.1.5; the rest is marked.
    priority("Aplinkos kokybės gerinimas"),
    goal(
        "Parengti ir taikyti aplinkos kokybės priemones",
        ind(
            "Gyventojų, teigiamai vertinančių aplinkos būklę, dalis",
            "proc.",
            55,
            {2016: 62, 2020: 70},
            source=SURVEY,
        ),
    ),
    task(
        "Vykdyti savivaldybės aplinkos monitoringą",
        ind("Parengtų aplinkos monitoringo ataskaitų skaičius", "vnt.", 0, {2016: 3, 2020: 7}),
    ),
    measure(
        "Parengti savivaldybės aplinkos monitoringo programą",
        ENVIRONMENT,
        (2014, 2014),
        {"SAARSP": 12000},
        out=ind("Patvirtintų programų skaičius", "vnt.", 0, {2014: 1}),
        description=DEMO_NOTE,
    ),
    activity(
        "Tirti paviršinių vandens telkinių ir požeminio vandens būklę",
        ENVIRONMENT,
        {"SAARSP": 84000},
        out=ind("Tiriamų vandens telkinių skaičius", "vnt.", 12, {2016: 12, 2020: 12}, keep=True),
        description=DEMO_NOTE,
    ),
    activity(
        "Matuoti aplinkos oro kokybę didžiausiose gyvenvietėse",
        ENVIRONMENT,
        {"SAARSP": 42000},
        co=(HEALTH_BUREAU,),
        out=ind("Oro kokybės matavimo vietų skaičius", "vnt.", 0, {2016: 5, 2020: 8}),
        description=DEMO_NOTE,
    ),
    task(
        "Kurti ir prižiūrėti želdynus seniūnijose",
        ind("Sutvarkytų ir naujai įrengtų želdynų plotas", "ha", 0, {2016: 15, 2020: 40}),
    ),
    measure(
        "Įrengti naujus skverus ir parkus seniūnijų centruose",
        ENVIRONMENT,
        (2014, 2020),
        {"SAARSP": 350000, "SB": 140000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų želdynų plotas", "ha", 0, {2016: 6, 2020: 18}),
        description=DEMO_NOTE,
    ),
    activity(
        "Inventorizuoti ir prižiūrėti želdynus, šalinti avarinius medžius",
        ELDERSHIPS,
        {"SAARSP": 210000},
        co=(ENVIRONMENT,),
        out=ind("Sutvarkytų želdynų plotas", "ha", 0, {2016: 9, 2020: 22}),
        description=DEMO_NOTE,
    ),
    activity(
        "Sodinti medžius ir krūmus per bendruomenių akcijas",
        ENVIRONMENT,
        {"SAARSP": 35000},
        co=(COMMUNITIES, ELDERSHIPS),
        out=ind("Pasodintų medžių skaičius", "vnt.", 0, {2016: 3000, 2020: 8000}),
        description=DEMO_NOTE,
    ),
    # The real plan's indicator; no interim target is known, so none is invented.
    task(
        "Sutvarkyti neleistinus atliekų sąvartynus",
        ind("Sutvarkytų neleistinų atliekų sąvartynų skaičius", "vnt.", 0, {2020: 40}),
    ),
    activity(
        "Išvalyti ir sutvarkyti neleistinus atliekų sąvartynus",
        ENVIRONMENT,
        {"SAARSP": 175000},
        co=(ELDERSHIPS,),
        out=ind("Išvežtų atliekų kiekis", "t", 0, {2016: 600, 2020: 1500}),
        description=DEMO_NOTE,
    ),
    measure(
        "Įrengti vaizdo stebėjimo kameras dažniausiai teršiamose vietose",
        ENVIRONMENT,
        (2016, 2020),
        {"SAARSP": 45000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų kamerų skaičius", "vnt.", 0, {2020: 25}),
        description=DEMO_NOTE,
    ),
    measure(
        "Plėsti didelių gabaritų ir žaliųjų atliekų surinkimo aikštelių tinklą",
        ECONOMY,
        (2014, 2018),
        {"ES": 900000, "SB": 150000},
        co=(WASTE_CENTRE,),
        out=ind("Įrengtų aikštelių skaičius", "vnt.", 0, {2016: 3, 2018: 5}),
        description=DEMO_NOTE,
    ),
    task(
        "Išsaugoti ir tvarkyti saugomas teritorijas",
        ind("Sutvarkytų saugomų teritorijų objektų skaičius", "vnt.", 0, {2016: 5, 2020: 12}),
    ),
    measure(
        "Parengti saugomų teritorijų tvarkymo planus",
        ARCHITECTURE,
        (2014, 2017),
        {"SAARSP": 60000, "VB": 40000},
        co=(REGIONAL_PARK, ENVIRONMENT),
        out=ind("Parengtų tvarkymo planų skaičius", "vnt.", 0, {2017: 3}),
        description=DEMO_NOTE,
    ),
    measure(
        "Įrengti pažintinius takus ir informacinius stendus saugomose teritorijose",
        ENVIRONMENT,
        (2015, 2020),
        {"SAARSP": 70000, "ES": 210000},
        co=(REGIONAL_PARK,),
        out=ind("Įrengtų pažintinių takų ilgis", "km", 0, {2016: 3, 2020: 12}),
        description=DEMO_NOTE,
    ),
    task(
        "Mažinti medžiojamųjų gyvūnų daromą žalą",
        ind(
            "Prašymų atlyginti medžiojamųjų gyvūnų padarytą žalą skaičius per metus",
            "vnt.",
            60,
            {2016: 45, 2020: 30},
            down=True,
        ),
    ),
    activity(
        "Remti prevencinių priemonių nuo medžiojamųjų gyvūnų žalos įrengimą",
        AGRICULTURE,
        {"SAARSP": 49000},
        co=(HUNTERS,),
        out=ind("Paremtų ūkininkų skaičius", "asm.", 0, {2016: 40, 2020: 100}),
        description=DEMO_NOTE,
    ),
    activity(
        "Organizuoti žalos vertinimo komisijų darbą ir medžiojamųjų gyvūnų apskaitą",
        AGRICULTURE,
        {"SB": 14000},
        co=(HUNTERS, ELDERSHIPS),
        description=DEMO_NOTE,
    ),
    goal(
        "Užtikrinti saugias ir ekologiškas gyvenimo ir darbo sąlygas",
        ind(
            "Gyventojų, kuriems teikiamos komunalinių atliekų tvarkymo paslaugos, dalis",
            "proc.",
            92,
            {2016: 97, 2020: 100},
        ),
    ),
    task(
        "Gerinti komunalinių atliekų tvarkymą",
        ind(
            "Perdirbtų ir kitaip panaudotų komunalinių atliekų dalis",
            "proc.",
            20,
            {2016: 35, 2020: 50},
            source=WASTE_CENTRE,
        ),
        description=DEMO_NOTE,
    ),
    measure(
        "Įrengti požeminius atliekų konteinerius daugiabučių kvartaluose",
        ECONOMY,
        (2016, 2020),
        {"SB": 250000, "ES": 600000},
        co=(WASTE_CENTRE,),
        out=ind("Įrengtų konteinerių aikštelių skaičius", "vnt.", 0, {2020: 60}),
        description=DEMO_NOTE,
    ),
    measure(
        "Aprūpinti individualių namų gyventojus kompostavimo dėžėmis",
        ECONOMY,
        (2014, 2017),
        {"ES": 420000, "SAARSP": 30000},
        co=(WASTE_CENTRE,),
        out=ind("Išdalytų kompostavimo dėžių skaičius", "vnt.", 0, {2016: 6000, 2017: 9000}),
        description=DEMO_NOTE,
    ),
    task(
        "Mažinti triukšmo ir taršos poveikį gyvenamosiose teritorijose",
        ind(
            "Gyventojų skundų dėl triukšmo ir taršos skaičius per metus",
            "vnt.",
            85,
            {2016: 70, 2020: 50},
            down=True,
        ),
        description=DEMO_NOTE,
    ),
    measure(
        "Parengti strateginius triukšmo žemėlapius ir triukšmo mažinimo veiksmų planą",
        ENVIRONMENT,
        (2015, 2017),
        {"SB": 50000, "SAARSP": 20000},
        co=(HEALTH_BUREAU,),
        out=ind("Parengtų dokumentų skaičius", "vnt.", 0, {2017: 2}),
        description=DEMO_NOTE,
    ),
    measure(
        "Pašalinti asbesto turinčias stogų dangas",
        ENVIRONMENT,
        (2014, 2020),
        {"KT": 300000, "SB": 70000},
        co=(ELDERSHIPS,),
        out=ind("Pašalintų asbesto turinčių dangų plotas", "tūkst. m²", 0, {2016: 20, 2020: 60}),
        description=DEMO_NOTE,
    ),
    task(
        "Stiprinti civilinę saugą ir priešgaisrinę apsaugą",
        ind("Atnaujintų ugniagesių komandų skaičius", "vnt.", 0, {2016: 2, 2020: 5}),
        description=DEMO_NOTE,
    ),
    measure(
        "Modernizuoti ugniagesių komandų pastatus ir techniką",
        FIRE_SERVICE,
        (2014, 2020),
        {"SB": 420000, "VB": 300000},
        co=(ECONOMY,),
        out=ind("Įsigytų gaisrinių automobilių skaičius", "vnt.", 0, {2016: 2, 2020: 5}),
        description=DEMO_NOTE,
    ),
    measure(
        "Įrengti gyventojų perspėjimo sirenas",
        ECONOMY,
        (2015, 2017),
        {"VB": 85000, "SB": 20000},
        co=(ELDERSHIPS,),
        out=ind("Įrengtų sirenų skaičius", "vnt.", 0, {2017: 10}),
        description=DEMO_NOTE,
    ),
    goal(
        "Išsaugoti ir stiprinti rajono kultūrinį identitetą",
        ind("Sutvarkytų kultūros paveldo objektų dalis", "proc.", 30, {2016: 40, 2020: 55}),
    ),
    task(
        "Tvarkyti kultūros paveldo objektus ir pritaikyti juos visuomenei",
        ind("Sutvarkytų kultūros paveldo objektų skaičius", "vnt.", 0, {2016: 6, 2020: 15}),
        description=DEMO_NOTE,
    ),
    measure(
        "Tvarkyti dvarų sodybų ir parkų paveldo vertybes",
        ARCHITECTURE,
        (2014, 2020),
        {"SB": 350000, "ES": 900000, "VB": 200000},
        co=(CULTURE,),
        out=ind("Sutvarkytų objektų skaičius", "vnt.", 0, {2016: 3, 2020: 8}),
        description=DEMO_NOTE,
    ),
    activity(
        "Tvarkyti istorines kapines, karių kapus ir paminklus",
        ELDERSHIPS,
        {"SB": 140000, "VB": 35000},
        co=(ARCHITECTURE,),
        out=ind("Sutvarkytų objektų skaičius", "vnt.", 0, {2016: 10, 2020: 25}),
        description=DEMO_NOTE,
    ),
    task(
        "Puoselėti etnokultūrą ir vietos tradicijas",
        ind("Etnokultūros renginių dalyvių skaičius per metus", "tūkst.", 12, {2016: 15, 2020: 20}),
        description=DEMO_NOTE,
    ),
    activity(
        "Rengti tradicines rajono šventes ir etnokultūros renginius",
        CULTURE,
        {"SB": 175000},
        co=(CULTURE_CENTRES, COMMUNITIES),
        out=ind("Surengtų renginių skaičius", "vnt.", 0, {2016: 40, 2020: 100}),
        description=DEMO_NOTE,
    ),
    activity(
        "Leisti kraštotyros leidinius ir skaitmeninti seniūnijų istoriją",
        CULTURE,
        {"SB": 42000},
        co=(CULTURE_CENTRES, ELDERSHIPS),
        out=ind("Išleistų leidinių skaičius", "vnt.", 0, {2016: 4, 2020: 10}),
        description=DEMO_NOTE,
    ),
    measure(
        "Įkurti tradicinių amatų centrą ir remti tautodailininkus",
        CULTURE,
        (2015, 2020),
        {"SB": 60000, "ES": 150000},
        co=(COMMUNITIES,),
        description=DEMO_NOTE,
    ),
]

PRIORITIES = nest(OUTLINE)

# The demo accounts: username → (first name, last name, role). Every password is "demo".
ACCOUNTS = {
    "admin": ("Administratorius", "", "superuser"),
    "staff": ("Ieva", "Butkutė", "staff"),
    "council1": ("Rasa", "Jonaitienė", "council"),
    "council2": ("Tomas", "Petrauskas", "council"),
    "council3": ("Aldona", "Kazlauskienė", "council"),
    "council4": ("Mindaugas", "Žukauskas", "council"),
    "council5": ("Vaida", "Stankevičienė", "council"),
    "resident": ("Jonas", "Rimkus", "resident"),
}
