"""The demo's yearly implementation reports (a step of plans/demo/loader.py, ``DemoStep``).

The 2013–2020 Kaunas District plan, whose monitoring demo (monitoring/demo.py)
has published rounds for 2014–2019, gets two reports:

* **2018, approved**: staff's narratives for the summary and each priority,
  submitted to the council and approved by a decision recorded from a
  council session, "TS-101" of 2019-04-25 (invented, like every figure of
  the demo). Its dates are set back to April 2019, when such a report would
  have gone through the council; only its snapshot's ``built_at`` says when
  the demo was loaded (a frozen snapshot cannot be changed afterwards).
* **2019, a draft** staff are still writing: the summary and the first two
  priorities have a narrative, the others not yet.

Everything is written through ``reports.services``. The narratives are in
Lithuanian, as the municipality would write them; the figures they quote
(measures by status, money, progress, the goals that fall behind) are read
from the report's own content, so the text always agrees with its tables.
Idempotent: a year that has a report of the plan already is left as it is.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from monitoring.models import MonitoringRound

from . import services
from . import snapshot as snapshots
from .models import Report, ReportEvent, ReportNarrative

APPROVED_YEAR = 2018
DRAFT_YEAR = 2019
DECISION_NUMBER = "TS-101"
DECISION_DATE = datetime.date(2019, 4, 25)
# The draft's narratives so far: the summary and this many priorities.
DRAFT_PRIORITIES_WRITTEN = 2

# What staff would say of each priority beyond its figures, by its place in
# the plan (A–D); general enough to stay true whatever the invented values.
PRIORITY_TEXTS = [
    "Toliau gerinama verslo ir investicijų aplinka: konsultuojami pradedantieji verslininkai, "
    "rengiami investicinių teritorijų infrastruktūros projektai, plėtojama turizmo "
    "informacijos ir pažintinių maršrutų infrastruktūra. Kaimo vietovių konkurencingumą "
    "didina ūkininkų ir kaimo bendruomenių projektai, finansuojami Europos Sąjungos lėšomis.",
    "Švietimo srityje tęsiamas ugdymo įstaigų modernizavimas ir ikimokyklinio ugdymo vietų "
    "plėtra, socialinės paslaugos plečiamos bendruomenėse. Kultūros ir sporto priemonės "
    "vykdomos kartu su seniūnijomis ir nevyriausybinėmis organizacijomis.",
    "Rekonstruojami vietinės reikšmės keliai ir gatvės, tiesiami pėsčiųjų ir dviračių takai, "
    "plečiami vandens tiekimo ir nuotekų tinklai. Tęsiamas savivaldybės pastatų atnaujinimas "
    "(modernizavimas) ir atsinaujinančių energijos išteklių diegimas; jų poveikis išmetamam "
    "CO₂ kiekiui aprašytas skyriuje „Klimatas ir energetika“.",
    "Gerinama atliekų tvarkymo sistema, tvarkomos viešosios erdvės ir kultūros paveldo "
    "objektai; aplinkos būklė stebima pagal savivaldybės aplinkos monitoringo programą.",
]

LAGGING = frozenset({"at_risk", "off_track"})


def _historical(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


# --- Lithuanian words and numbers --------------------------------------------------


def _plural(n: int, one: str, few: str, many: str) -> str:
    """The Lithuanian form of a noun after ``n`` (1 priemonė, 3 priemonės, 10 priemonių)."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if n % 10 >= 2 and not 10 <= n % 100 < 20:
        return few
    return many


def _euros(value: str | Decimal) -> str:
    """ "14 585 100 Eur" (cents only when there are any), non-breaking spaces."""
    amount = Decimal(value).quantize(Decimal("0.01"))
    whole, cents = divmod(amount, 1)
    text = f"{int(whole):,}".replace(",", "\u00a0")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"{text}\u00a0Eur"


def _percent(share: float | None) -> str:
    if share is None:
        return "–"
    return f"{Decimal(str(share * 100)).quantize(Decimal(1), rounding=ROUND_HALF_UP)}\u00a0%"


def _share(part: str, whole: str) -> float | None:
    return float(Decimal(part) / Decimal(whole)) if Decimal(whole) else None


def _status_lines(counts: dict[str, int]) -> list[str]:
    lines = [
        f"- įvykdyta priemonių – {counts.get('completed', 0)};",
        f"- vykdoma – {counts.get('in_progress', 0)};",
    ]
    if counts.get("not_started"):
        lines.append(f"- nepradėta – {counts['not_started']};")
    delayed = counts.get("delayed", 0)
    lines.append(
        f"- vėluoja – {delayed} (priežastys nurodytos priemonių lentelėse);"
        if delayed
        else "- vėluoja – 0;"
    )
    lines.append(f"- atsisakyta – {counts.get('cancelled', 0)}.")
    return lines


def _lagging_text(goals: list[dict], *, of_priority: bool) -> str:
    lagging = [g for g in goals if g["status"] in LAGGING]
    if not lagging:
        return (
            "Visi prioriteto tikslai įgyvendinami pagal planą."
            if of_priority
            else "Visi plano tikslai įgyvendinami pagal planą."
        )
    named = ", ".join(f"{g['code']} „{g['title']}“ ({_percent(g['progress'])})" for g in lagging)
    if len(lagging) == 1:
        return f"Nuo planuotos pažangos atsilieka tikslas {named}."
    return f"Nuo planuotos pažangos atsilieka šie tikslai: {named}."


def summary_text(content: dict) -> str:
    """The summary's narrative, with the figures of ``content`` (a report's content)."""
    year = content["year"]
    summary = content["summary"]
    total = summary["measure_total"]
    counts = dict(summary["implementation_counts"])
    counts["not_started"] = counts.get("not_started", 0) + summary["not_reported"]
    spent_share = _share(summary["spent"], summary["planned"])
    biggest = max(summary["money_by_priority"], key=lambda p: Decimal(p["spent"]), default=None)
    goals = [g for p in content["priorities"] for g in p["goals"]]
    paragraphs = [
        f"Ataskaitoje apžvelgiama, kaip {year} m. įgyvendintas Kauno rajono savivaldybės "
        "2013–2020 metų strateginis plėtros planas. Ataskaita parengta pagal stebėsenos duomenis, "
        "kuriuos pateikė už priemones atsakingi administracijos skyriai ir savivaldybės "
        "įmonės.",
        f"Bendra plano įgyvendinimo pažanga – {_percent(summary['progress'])}. "
        f"Plane yra {total} {_plural(total, 'priemonė', 'priemonės', 'priemonių')}; "
        f"jų būklė {year} m. pabaigoje:",
        "\n".join(_status_lines(counts)),
        f"{year} m. plano priemonėms planuota {_euros(summary['planned'])}, panaudota "
        f"{_euros(summary['spent'])} ({_percent(spent_share)} planuotų lėšų).",
    ]
    if biggest is not None and Decimal(biggest["spent"]):
        paragraphs[-1] += (
            f" Daugiausia lėšų – {_euros(biggest['spent'])} – panaudota prioriteto "
            f"{biggest['code']} „{biggest['title']}“ priemonėms."
        )
    paragraphs.append(_lagging_text(goals, of_priority=False))
    return "\n\n".join(paragraphs)


def priority_text(content: dict, index: int) -> str:
    """The narrative of the ``index``-th priority of ``content``."""
    year = content["year"]
    priority = content["priorities"][index]
    measures = [m for g in priority["goals"] for m in g["measures"]]
    counts: dict[str, int] = {}
    for measure in measures:
        status = measure["implementation"] or "not_started"
        counts[status] = counts.get(status, 0) + 1
    money = next(p for p in content["summary"]["money_by_priority"] if p["key"] == priority["key"])
    share = _share(money["planned"], content["summary"]["planned"])
    paragraphs = [
        f"Prioriteto įgyvendinimo pažanga – {_percent(priority['progress'])}. "
        f"{year} m. jo priemonėms planuota {_euros(money['planned'])} "
        f"({_percent(share)} visų plano priemonėms planuotų lėšų), panaudota "
        f"{_euros(money['spent'])}. Priemonių būklė:",
        "\n".join(_status_lines(counts)),
    ]
    if index < len(PRIORITY_TEXTS):
        paragraphs.append(PRIORITY_TEXTS[index])
    paragraphs.append(_lagging_text(priority["goals"], of_priority=True))
    return "\n\n".join(paragraphs)


# --- The reports ---------------------------------------------------------------------


def _write(user, report: Report, content: dict, priorities: int) -> None:
    services.narrative_save(user=user, report=report, section="summary", text=summary_text(content))
    for index, priority in enumerate(content["priorities"][:priorities]):
        services.narrative_save(
            user=user,
            report=report,
            section=f"priority:{priority['key']}",
            text=priority_text(content, index),
        )


def _approved_report(context, plan) -> Report:
    user = context.staff_user
    report = services.report_create(user=user, plan=plan, year=APPROVED_YEAR)
    content = snapshots.build(report)
    _write(user, report, content, priorities=len(content["priorities"]))
    # The way through the council in April 2019, after the round was published.
    created = _historical(datetime.date(2019, 4, 16), 9)
    Report.objects.filter(pk=report.pk).update(created_at=created)
    ReportNarrative.objects.filter(report=report).update(updated_at=created)
    report = services.report_submit(user=user, report=report)
    report = services.report_approve(
        user=user, report=report, decision_number=DECISION_NUMBER, decision_date=DECISION_DATE
    )
    submitted = _historical(datetime.date(2019, 4, 18), 10)
    approved = _historical(DECISION_DATE, 15)
    Report.objects.filter(pk=report.pk).update(submitted_at=submitted, approved_at=approved)
    events = ReportEvent.objects.filter(report=report)
    events.filter(kind=ReportEvent.Kind.CREATED).update(created_at=created)
    events.filter(kind=ReportEvent.Kind.SUBMITTED).update(created_at=submitted)
    events.filter(kind__in=[ReportEvent.Kind.APPROVED, ReportEvent.Kind.DECISION_RECORDED]).update(
        created_at=approved
    )
    return report


def _draft_report(context, plan) -> Report:
    user = context.staff_user
    report = services.report_create(user=user, plan=plan, year=DRAFT_YEAR)
    _write(user, report, snapshots.build(report), priorities=DRAFT_PRIORITIES_WRITTEN)
    return report


def load(context) -> None:
    """The reports step of ``load_demo`` (see the module's docstring)."""
    plan = context.plan
    if plan is None or context.approved_version is None:
        context.say("Reports: skipped, there is no approved 2013–2020 plan.")
        return
    have = set(
        Report.objects.filter(plan=plan, year__in=[APPROVED_YEAR, DRAFT_YEAR]).values_list(
            "year", flat=True
        )
    )
    rounds = {
        r.year: r
        for r in MonitoringRound.objects.filter(plan=plan, year__in=[APPROVED_YEAR, DRAFT_YEAR])
    }
    done = []
    if APPROVED_YEAR not in have:
        round_ = rounds.get(APPROVED_YEAR)
        if round_ is not None and round_.is_published:
            _approved_report(context, plan)
            done.append(f"{APPROVED_YEAR} approved ({DECISION_NUMBER}, {DECISION_DATE})")
    if DRAFT_YEAR not in have and DRAFT_YEAR in rounds:
        _draft_report(context, plan)
        done.append(f"{DRAFT_YEAR} draft")
    if done:
        context.say(f"Reports: created {', '.join(done)}.")
    else:
        context.say("Reports: already present (or no monitoring rounds), left unchanged.")
