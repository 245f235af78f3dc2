"""Load the demonstration data, step by step.

``load_demo()`` runs every function in ``STEPS`` in order, inside one
transaction: a failure in any step leaves the database as it was. Each step
is idempotent: it looks for what it would create (an account by username, the
plan by municipality and title, the revision draft by its place in the plan)
and creates only what is missing, so running ``manage.py load_demo`` twice
duplicates nothing.

The 2021–2027 development plan and the 2025–2027 strategic action plan that
implements it have their own steps (``plans/demo/current_plans.py``, after
the 2013–2020 plan's; docs/plans/demo-plans.md says what in them is real).

Later parts of the portal (the public consultation, the climate inventory)
add their own step to ``STEPS``. A step receives the shared ``DemoContext``,
which carries the demo accounts and the plan's versions found or created by
the earlier steps, and reports what it did through ``context.say``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from planportal import pagecache
from planportal.extensions import registry
from planportal.roles import ensure_groups
from plans import services
from plans.demo import current_plans
from plans.demo import kaunas_2013_2020 as data
from plans.models import (
    FundingSource,
    Indicator,
    Measure,
    MeasureKind,
    Plan,
    PlanVersion,
    Task,
    Unit,
    VersionStatus,
)

DEMO_PASSWORD = "demo"


@dataclass
class DemoContext:
    say: Callable[[str], None] = print
    users: dict = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    sources: dict[str, FundingSource] = field(default_factory=dict)
    plan: Plan | None = None
    approved_version: PlanVersion | None = None
    draft_version: PlanVersion | None = None
    # Today's kinds of plan (plans/demo/current_plans.py).
    development_plan: Plan | None = None
    development_version: PlanVersion | None = None
    action_plan: Plan | None = None
    action_version: PlanVersion | None = None

    @property
    def staff_user(self):
        return self.users["staff"]


# --- Accounts --------------------------------------------------------------------


def load_accounts(context: DemoContext) -> None:
    """The demo accounts, each with its role.

    An account that already exists keeps its password, names and other
    groups (an operator may have changed them on a shared server); it only
    gets its demo role back, so that the demo works as documented.
    """
    staff_group, council_group = ensure_groups()
    role_groups = {"superuser": staff_group, "staff": staff_group, "council": council_group}
    User = get_user_model()
    existing = {user.username: user for user in User.objects.filter(username__in=data.ACCOUNTS)}
    # One hash for every new account: hashing is deliberately slow (about half
    # a second each with Django's PBKDF2), and the password is public anyway.
    password_hash = make_password(DEMO_PASSWORD)
    created, found = [], []
    for username, (first_name, last_name, role) in data.ACCOUNTS.items():
        user = existing.get(username)
        if user is None:
            user = User(
                username=username,
                password=password_hash,
                email=f"{username}@example.lt",
                first_name=first_name,
                last_name=last_name,
            )
            created.append(username)
        else:
            found.append(username)
        user.is_active = True
        if role == "superuser":
            user.is_superuser = user.is_staff = True
        user.save()
        if role in role_groups:
            user.groups.add(role_groups[role])
        context.users[username] = user
    _report(context, "Accounts", created, found)


# --- Reference data --------------------------------------------------------------


def load_reference_data(context: DemoContext) -> None:
    """Funding sources and responsible units. Existing rows are left as they
    are: the municipality may have renamed or reordered them."""
    created: list[str]
    found: list[str]
    created, found = [], []
    for position, (code, name) in enumerate(data.FUNDING_SOURCES, start=1):
        source, is_new = FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        (created if is_new else found).append(code)
        context.sources[code] = source
    _report(context, "Funding sources", created, found)

    created, found = [], []
    for name, kind in data.UNITS:
        unit, is_new = Unit.objects.get_or_create(name=name, defaults={"kind": kind})
        (created if is_new else found).append(name)
        context.units[name] = unit
    context.say(f"Responsible units: {len(created)} created, {len(found)} already present.")


# --- The approved plan -----------------------------------------------------------


def load_approved_plan(context: DemoContext) -> None:
    """The 2013–2020 plan as its approved version 1."""
    plan = Plan.objects.filter(
        municipality=data.PLAN["municipality"], title=data.PLAN["title"]
    ).first()
    if plan is not None:
        context.plan = plan
        context.approved_version = plan.versions.filter(number=1).first()
        context.say(f"Plan „{plan.title}“: already present, left unchanged.")
        return

    user = context.staff_user
    plan = services.plan_create(user=user, vision=data.VISION, **data.PLAN)
    version = plan.versions.get(number=1)
    counts = _build_tree(context, version)
    # This records a historical approval: the council adopted the real plan
    # before the portal existed, so there is no voting to run. The
    # decision's number and date are left empty rather than invented, and
    # approved_at says when this record was made.
    version.status = VersionStatus.APPROVED
    version.approved_at = timezone.now()
    version._change_reason = "Demo data: historical approval"
    version.save(update_fields=["status", "approved_at", "updated_at"])
    # A new version in force changes public pages served from a shared cache.
    transaction.on_commit(pagecache.bump)
    context.plan, context.approved_version = plan, version
    context.say(
        f"Plan „{plan.title}“: created version 1 (approved) with "
        f"{counts['priorities']} priorities, {counts['goals']} goals, {counts['tasks']} tasks, "
        f"{counts['measures']} measures, {counts['indicators']} indicators, "
        f"{counts['funding']} funding lines."
    )


def _build_tree(context: DemoContext, version: PlanVersion) -> dict[str, int]:
    """Write the tree node by node through the services, in document order.

    Each ``node_create`` appends after its siblings and renumbers the
    version, and funding and targets are saved line by line. With about 150
    nodes the whole load still takes only a few seconds on SQLite, so the
    loader keeps the services' checks and audit history rather than writing
    in bulk and renumbering once.
    """
    user = context.staff_user
    counts = dict.fromkeys(["priorities", "goals", "tasks", "measures", "indicators", "funding"], 0)

    def add_indicator(owner, indicator):
        if indicator is not None:
            _save_indicator(user, owner, indicator)
            counts["indicators"] += 1

    for priority_data in data.PRIORITIES:
        priority = services.node_create(
            user=user,
            level="priority",
            parent=version,
            title=priority_data.title,
            description=priority_data.description,
        )
        counts["priorities"] += 1
        for goal_data in priority_data.goals:
            goal = services.node_create(
                user=user,
                level="goal",
                parent=priority,
                title=goal_data.title,
                description=goal_data.description,
            )
            counts["goals"] += 1
            add_indicator(goal, goal_data.indicator)
            for task_data in goal_data.tasks:
                task = services.node_create(
                    user=user,
                    level="task",
                    parent=goal,
                    title=task_data.title,
                    description=task_data.description,
                )
                counts["tasks"] += 1
                add_indicator(task, task_data.indicator)
                for measure_data in task_data.measures:
                    # ``level="task"`` made a Task, which mypy cannot tell from the name.
                    measure, funding_lines = _create_measure(context, task, measure_data)  # type: ignore[arg-type]
                    counts["measures"] += 1
                    counts["funding"] += funding_lines
                    add_indicator(measure, measure_data.output)
    return counts


def _create_measure(context: DemoContext, task: Task, measure_data) -> tuple[Measure, int]:
    start, end = measure_data.years
    lines = [
        {"year": year, "source": context.sources[code], "amount": amount}
        for code, total in measure_data.funding.items()
        for year, amount in spread_funding(total, start, end)
    ]
    measure = services.node_create(
        user=context.staff_user,
        level="measure",
        parent=task,
        title=measure_data.title,
        description=measure_data.description,
        kind=measure_data.kind,
        responsible_unit=context.units[measure_data.responsible],
        start_year=start,
        end_year=end,
        co_executors=[context.units[name] for name in measure_data.co_executors],
        funding=lines,
    )
    # ``level="measure"`` made a Measure, which mypy cannot tell from the name.
    return measure, len(lines)  # type: ignore[return-value]


def spread_funding(total: int, start: int, end: int) -> list[tuple[int, Decimal]]:
    """Split a measure's total over its funding years, in whole hundreds of euro.

    Years outside the plan's funding years (2014–2020) get nothing, unless
    the measure has no other; the last year takes the rounding remainder, so
    the lines add up to ``total``.
    """
    years = [year for year in data.FUNDING_YEARS if start <= year <= end]
    if not years:
        years = list(range(start, end + 1))
    share = (Decimal(total) / len(years) / 100).quantize(Decimal("1")) * 100
    amounts = [share] * (len(years) - 1)
    amounts.append(Decimal(total) - sum(amounts, Decimal(0)))
    return list(zip(years, amounts, strict=True))


def _save_indicator(user, owner, indicator) -> Indicator:
    return services.indicator_save(
        user=user,
        owner=owner,
        name=indicator.name,
        unit=indicator.unit,
        baseline_value=Decimal(str(indicator.baseline)),
        baseline_year=indicator.baseline_year,
        direction=indicator.direction,
        data_source=indicator.data_source,
        targets=[{"year": year, "value": value} for year, value in indicator.targets.items()],
    )


# --- The draft revision ----------------------------------------------------------

DRAFT_LABEL = "Plano koregavimo projektas"


def load_draft_revision(context: DemoContext) -> None:
    """Version 2: a draft amendment copied from version 1 and then edited, so
    that comparing the two versions shows every kind of difference."""
    plan, approved = context.plan, context.approved_version
    if plan is None or approved is None:
        context.say("Draft revision: skipped, the plan has no version 1.")
        return
    existing = plan.versions.filter(based_on=approved).order_by("number").first()
    if existing is not None:
        context.draft_version = existing
        context.say(f"Draft revision: version {existing.number} already present, left unchanged.")
        return

    user = context.staff_user
    draft = services.version_create_draft(user=user, plan=plan, source=approved)
    services.version_update(
        user=user, version=draft, revision=draft.revision, vision=draft.vision, label=DRAFT_LABEL
    )

    def find(model, title):
        return model.objects.get(version=draft, title=title)

    # A changed title.
    services.node_update(
        user=user,
        node=find(Measure, "Įrengti Nemuno vandens turizmo trasą su poilsiavietėmis"),
        title="Įrengti Nemuno ir Neries vandens turizmo trasas su poilsiavietėmis",
        end_year=2020,
    )
    # Higher targets: demand for kindergarten places grew faster than planned.
    places = Indicator.objects.get(
        version=draft, name="Naujai įsteigtų ikimokyklinio ugdymo vietų skaičius"
    )
    services.indicator_save(
        user=user,
        indicator=places,
        targets=[
            {"year": 2016, "value": 400},
            {"year": 2018, "value": 750},
            {"year": 2020, "value": 1100},
        ],
    )
    # Changed funding: more EU money for LED street lighting in the last two years.
    lighting = find(
        Measure, "Pakeisti gatvių šviestuvus efektyviais šviesos diodų (LED) šviestuvais"
    )
    lines = [
        {"year": line.year, "source": line.source_id, "amount": line.amount}
        for line in lighting.funding.select_related("source")
        if not (line.source.code == "ES" and line.year >= 2019)
    ]
    lines += [
        {"year": 2019, "source": context.sources["ES"], "amount": Decimal("320000")},
        {"year": 2020, "source": context.sources["ES"], "amount": Decimal("340000")},
    ]
    services.measure_set_funding(user=user, measure=lighting, lines=lines)
    # A deleted measure: the warning sirens were installed by the state instead.
    services.node_delete(user=user, node=find(Measure, "Įrengti gyventojų perspėjimo sirenas"))
    # A new measure, with its output indicator and funding.
    renewables = find(Task, "Didinti atsinaujinančių energijos išteklių naudojimą šilumos gamybai")
    solar = services.node_create(
        user=user,
        level="measure",
        parent=renewables,
        title="Įrengti saulės elektrines savivaldybės pastatų stoguose",
        description=data.DEMO_NOTE,
        kind=MeasureKind.PROGRESS,
        responsible_unit=context.units[data.ECONOMY],
        start_year=2019,
        end_year=2020,
        co_executors=[context.units[data.CONSTRUCTION]],
        funding=[
            {"year": 2019, "source": context.sources["SB"], "amount": Decimal("90000")},
            {"year": 2020, "source": context.sources["SB"], "amount": Decimal("60000")},
            {"year": 2020, "source": context.sources["ES"], "amount": Decimal("250000")},
        ],
    )
    _save_indicator(user, solar, data.ind("Įrengtų saulės elektrinių galia", "kW", 0, {2020: 500}))
    draft.refresh_from_db()
    context.draft_version = draft
    context.say(
        f"Draft revision: created version {draft.number} (draft) from version {approved.number}, "
        "with a changed title, changed targets and funding, a deleted and a new measure."
    )


# --- Running it ------------------------------------------------------------------

STEPS: list[Callable[[DemoContext], None]] = [
    load_accounts,
    load_reference_data,
    load_approved_plan,
    load_draft_revision,
    current_plans.load_development_plan,
    current_plans.load_action_plan,
    current_plans.load_action_update,
]


def load_demo(*, say: Callable[[str], None] = print) -> DemoContext:
    context = DemoContext(say=say)
    with transaction.atomic():
        for step in STEPS:
            step(context)
        # The other parts' demo content (consultations, climate …), which
        # they register in their AppConfig.ready() (planportal/extensions.py).
        for extra in registry.demo_steps:
            extra.load(context)
    return context


def _report(context: DemoContext, what: str, created: list[str], found: list[str]) -> None:
    parts = []
    if created:
        parts.append("created " + ", ".join(created))
    if found:
        parts.append("already present " + ", ".join(found))
    context.say(f"{what}: {'; '.join(parts) or 'nothing to do'}.")
