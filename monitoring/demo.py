"""The demo's monitoring data (a step of plans/demo/loader.py, ``DemoStep``).

The approved 2013–2020 version of the Kaunas District plan gets published
rounds for 2014–2019 and an open round for 2020 whose due date has passed:
some units have entered everything, some part, some nothing (they are
late). Every figure is invented, but plausible: an indicator moves from its
baseline towards its final target with some noise, a few fall behind; a
measure is in progress during its years and completed in its last one, a few
are delayed (with a reason) or one cancelled; the money spent is close to the
money planned for that year and source. Every entry's note says
``DEMO_NOTE``.

Two accounts enter their units' data (the contract's "Monitoring"):
``editor``, a member of the construction department (responsible for the
most measures, and late in 2020), and ``editor2``, a member of the economy
department (done in 2020). The coordinator (``staff``) enters the rest.

Everything is written through ``monitoring.services``: a round is opened,
its values entered, then published. Idempotent: a year whose round exists is
left as it is; the accounts and memberships are only added when missing.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from planportal import pagecache
from plans.models import FundingLine, Indicator, IndicatorTarget, Measure

from . import services
from .models import ActualValue, MeasureImplementation, MonitoringRound, UnitMembership

DEMO_NOTE = "Demonstracinis įrašas."
DEMO_PASSWORD = "demo"

PUBLISHED_YEARS = range(2014, 2020)
OPEN_YEAR = 2020

CONSTRUCTION = "Statybos ir infrastruktūros plėtros skyrius"
ECONOMY = "Ūkio skyrius"

# username: (first name, last name, unit)
ACCOUNTS = {
    "editor": ("Rūta", "Vaitkienė", CONSTRUCTION),
    "editor2": ("Darius", "Mockus", ECONOMY),
}

# The units that have entered all their 2020 data; the construction
# department has entered about a third of it, the others nothing yet.
DONE_IN_OPEN_YEAR = {
    ECONOMY,
    "Švietimo skyrius",
    "Kultūros, turizmo ir sporto skyrius",
    "UAB „Giraitės vandenys“",
    "Socialinės paramos skyrius",
}
PARTLY_DONE_IN_OPEN_YEAR = {CONSTRUCTION}

DELAY_REASONS = [
    "Užsitęsė viešųjų pirkimų procedūros: pirmasis konkursas neįvyko, paskelbtas pakartotinis.",
    "Negautas planuotas ES fondų finansavimas; laukiama naujo kvietimo teikti paraiškas.",
    "Rangovas nesilaikė darbų grafiko; darbų pabaiga nukelta į kitus metus.",
    "Užsitęsė techninio projekto rengimas ir statybą leidžiančio dokumento išdavimas.",
    "Išaugus statybos kainoms, pirkimo pasiūlymai viršijo skirtas lėšas; ieškoma papildomo "
    "finansavimo.",
]
CANCEL_REASON = (
    "Priemonės atsisakyta: jos tikslą įgyvendina valstybės institucija, savivaldybės lėšų "
    "nebereikia."
)


def _rng(*parts: object) -> random.Random:
    """A generator seeded by the item's name: the same invented figures on every load."""
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def _historical(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


# --- Accounts ----------------------------------------------------------------------


def _accounts(context) -> dict[str, object]:
    """``editor`` and ``editor2`` and their memberships; existing accounts keep
    their password and names, and get their membership back when it is gone."""
    User = get_user_model()
    found = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    password_hash = None
    members: dict[str, object] = {}
    created = []
    for username, (first, last, unit_name) in ACCOUNTS.items():
        user = found.get(username)
        if user is None:
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.lt",
                password=password_hash,
            )
            created.append(username)
        unit = context.units[unit_name]
        if not UnitMembership.objects.filter(unit=unit, user=user).exists():
            others = [
                m.user for m in UnitMembership.objects.filter(unit=unit).select_related("user")
            ]
            services.membership_set(user=context.staff_user, unit=unit, members=[*others, user])
        context.users[username] = user
        members[unit_name] = user
    if created:
        context.say(f"Monitoring accounts: created {', '.join(created)}.")
    return members


# --- Invented figures ----------------------------------------------------------------


def _places(indicator: Indicator, final: Decimal) -> int:
    """Whole numbers for counts, one decimal for the rest (a share, a length)."""
    values = [indicator.baseline_value or Decimal(0), final]
    if all(v == v.to_integral_value() for v in values) and abs(values[1] - values[0]) >= 10:
        return 0
    return 1 if abs(values[1] - values[0]) >= 1 else 2


def actual_for(
    indicator: Indicator, targets: dict[int, Decimal], year: int, *, behind: bool
) -> Decimal | None:
    """An indicator's invented actual value in ``year``, None without a target."""
    if not targets:
        return None
    final_year = max(targets)
    final = targets[final_year]
    rng = _rng(indicator.name, indicator.pk, year)
    if indicator.direction == "maintain":
        # Within the tolerance nearly always; "behind" misses it.
        spread = Decimal("0.12") if behind else Decimal("0.03")
        factor = Decimal(1) + spread * Decimal(str(rng.uniform(-1, 1)))
        return (final * factor).quantize(Decimal(1).scaleb(-_places(indicator, final)))
    baseline = indicator.baseline_value if indicator.baseline_value is not None else Decimal(0)
    start = indicator.baseline_year or 2013
    share = min(max((year - start) / max(final_year - start, 1), 0.0), 1.0)
    pace = rng.uniform(0.35, 0.65) if behind else rng.uniform(0.9, 1.1)
    noise = rng.uniform(-0.06, 0.06)
    value = baseline + (final - baseline) * Decimal(str(share * pace + noise * share))
    if value < 0:
        value = Decimal(0)
    return value.quantize(Decimal(1).scaleb(-_places(indicator, final)))


def _plan_measure_story(measure: Measure) -> dict[int, tuple[str, str, float]]:
    """year → (status, reason, share of the planned money spent) of a measure."""
    rng = _rng(measure.title)
    start, end = measure.start_year or 2014, measure.end_year or 2020
    roll = rng.random()
    story: dict[int, tuple[str, str, float]] = {}
    if roll < 0.04:
        # Cancelled after its first year.
        story[start] = ("in_progress", "", rng.uniform(0.3, 0.6))
        for year in range(start + 1, end + 1):
            story[year] = ("cancelled", CANCEL_REASON, 0.0)
        return story
    delayed_year = rng.randint(start, end) if roll < 0.2 else None
    reason = rng.choice(DELAY_REASONS)
    for year in range(start, end + 1):
        if year == delayed_year:
            story[year] = ("delayed", reason, rng.uniform(0.25, 0.6))
        elif year == end and delayed_year is None and measure.kind == "progress":
            story[year] = ("completed", "", rng.uniform(0.9, 1.0))
        else:
            story[year] = ("in_progress", "", rng.uniform(0.85, 1.02))
    if delayed_year is not None and measure.kind == "progress" and end < OPEN_YEAR:
        # Finished a year late, on the money left.
        story[end + 1] = ("completed", "", 0.0)
    return story


def _spent(lines: list[FundingLine], share: float) -> list[dict]:
    out = []
    for line in lines:
        amount = (line.amount * Decimal(str(share)) / 100).quantize(Decimal(1)) * 100
        out.append({"source": line.source_id, "amount": amount})
    return out


# --- The step -----------------------------------------------------------------------


def load(context) -> None:
    """The monitoring step of ``load_demo`` (see the module's docstring)."""
    plan, version = context.plan, context.approved_version
    if plan is None or version is None:
        context.say("Monitoring: skipped, there is no approved 2013–2020 plan.")
        return
    members = _accounts(context)
    staff = context.staff_user
    have = set(MonitoringRound.objects.filter(plan=plan).values_list("year", flat=True))
    todo = [y for y in [*PUBLISHED_YEARS, OPEN_YEAR] if y not in have]
    if not todo:
        context.say("Monitoring: rounds 2014–2020 already present, left unchanged.")
        return

    measures = list(Measure.objects.filter(version=version).select_related("responsible_unit"))
    by_id = {m.pk: m for m in measures}
    funding: defaultdict[tuple[int, int], list[FundingLine]] = defaultdict(list)
    for line in FundingLine.objects.filter(measure__version=version).order_by("source_id"):
        funding[(line.measure_id, line.year)].append(line)
    indicators = list(Indicator.objects.filter(version=version).order_by("pk"))
    targets: defaultdict[int, dict[int, Decimal]] = defaultdict(dict)
    for target in IndicatorTarget.objects.filter(indicator__version=version):
        targets[target.indicator_id][target.year] = target.value
    stories = {m.pk: _plan_measure_story(m) for m in measures}
    # About one indicator in six falls behind its path.
    behind = {i.pk for i in indicators if _rng("behind", i.name).random() < 0.17}

    def unit_name(indicator: Indicator) -> str | None:
        measure = by_id.get(indicator.measure_id) if indicator.measure_id else None
        unit = measure.responsible_unit if measure else None
        return unit.name if unit else None

    def enters(name: str | None):
        return members.get(name, staff) if name else staff

    def in_open_round(name: str | None, key: object) -> bool:
        if name in DONE_IN_OPEN_YEAR:
            return True
        if name in PARTLY_DONE_IN_OPEN_YEAR:
            return _rng("open", key).random() < 0.35
        return False

    entered = {"values": 0, "implementations": 0}
    for year in todo:
        is_open = year == OPEN_YEAR
        due = timezone.localdate() - datetime.timedelta(days=10) if is_open else None
        round_ = services.round_open(
            user=staff, plan=plan, year=year, due=due or datetime.date(year + 1, 3, 1)
        )
        for indicator in indicators:
            name = unit_name(indicator)
            if is_open and not (indicator.measure_id and in_open_round(name, indicator.pk)):
                continue  # goals' and tasks' figures (statistics) come later in the year
            if indicator.data_source.endswith("apklausa") and year % 2 == 0:
                continue  # the residents' survey is made every second year
            value = actual_for(
                indicator, targets[indicator.pk], year, behind=indicator.pk in behind
            )
            if value is None:
                continue
            services.actual_set(
                user=enters(name),
                indicator=indicator,
                year=year,
                value=value,
                note=DEMO_NOTE,
                measured_on=datetime.date(year, 12, 31),
                source_note=indicator.data_source,
            )
            entered["values"] += 1
        for measure in measures:
            step = stories[measure.pk].get(year)
            name = measure.responsible_unit.name if measure.responsible_unit else None
            if step is None or (is_open and not in_open_round(name, measure.pk)):
                continue
            status, reason, share = step
            services.implementation_set(
                user=enters(name),
                measure=measure,
                year=year,
                status=status,
                note=f"{reason} {DEMO_NOTE}" if reason else DEMO_NOTE,
                spent=_spent(funding[(measure.pk, year)], share),
            )
            entered["implementations"] += 1
        if not is_open:
            services.round_publish(user=staff, round=round_)
            # A historical round: opened in January, published in April of
            # the next year, its values entered before the due date. Only
            # the dates are set here; the services wrote everything else.
            MonitoringRound.objects.filter(pk=round_.pk).update(
                opened_at=_historical(year + 1, 1, 15), published_at=_historical(year + 1, 4, 15)
            )
            for model in (ActualValue, MeasureImplementation):
                model.objects.filter(plan=plan, year=year).update(
                    entered_at=_historical(year + 1, 2, 20)
                )
    # Published rounds change public pages served from the shared cache.
    transaction.on_commit(pagecache.bump)
    context.say(
        f"Monitoring: rounds {', '.join(map(str, todo))} "
        f"({entered['values']} actual values, {entered['implementations']} implementation "
        f"entries); {OPEN_YEAR} is open and past its due date."
    )
