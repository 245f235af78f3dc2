"""Demo steps for today's two kinds of plan: the development plan and the action plan.

``load_development_plan`` adds the Kaunas District 2021–2027 development plan
(``kaunas_2021_2027``), ``load_action_plan`` the 2025–2027 strategic action
plan that implements it (``kaunas_svp_2025_2027``) and ``load_action_update``
the action plan's yearly update for 2026–2028 as a draft. Like the other
steps in ``plans.demo.loader.STEPS`` each finds what it would create (the
plan by municipality and title, the update by its place in the plan) and
creates only what is missing, and writes through ``plans.services`` so that
the kinds' rules (levels, indicator kinds, measure fields, links) hold.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from planportal import pagecache
from plans import services
from plans.demo import kaunas_2021_2027 as development
from plans.demo import kaunas_svp_2025_2027 as action
from plans.models import Goal, Plan, PlanVersion, Task, Unit, VersionStatus

if TYPE_CHECKING:
    from plans.demo.loader import DemoContext


def _find(data) -> Plan | None:
    return Plan.objects.filter(
        municipality=data.PLAN["municipality"], title=data.PLAN["title"]
    ).first()


def _approve(version: PlanVersion, label: str) -> None:
    """Record the version as approved, as ``loader.load_approved_plan`` does.

    The council decision's number and date are left empty rather than
    invented; the label says the content is a demonstration.
    """
    version.status = VersionStatus.APPROVED
    version.approved_at = timezone.now()
    version.label = label
    version._change_reason = "Demo data: historical approval"
    version.save(update_fields=["status", "approved_at", "label", "updated_at"])
    transaction.on_commit(pagecache.bump)


def _indicator(context: DemoContext, owner, indicator, cards=None) -> None:
    if indicator is None:
        return
    services.indicator_save(
        user=context.staff_user,
        owner=owner,
        name=indicator.name,
        unit=indicator.unit,
        baseline_value=Decimal(str(indicator.baseline)),
        baseline_year=indicator.baseline_year,
        direction=indicator.direction,
        data_source=indicator.data_source,
        targets=[{"year": year, "value": value} for year, value in indicator.targets.items()],
        **(cards or {}).get(indicator.name, {}),
    )


def _build(context: DemoContext, version: PlanVersion, priorities, create_measure, cards=None):
    """Write the outline's tree in document order; returns the number of measures."""
    user, measures = context.staff_user, 0
    for priority_data in priorities:
        priority = services.node_create(
            user=user,
            level="priority",
            parent=version,
            title=priority_data.title,
            description=priority_data.description,
        )
        for goal_data in priority_data.goals:
            goal = services.node_create(
                user=user,
                level="goal",
                parent=priority,
                title=goal_data.title,
                description=goal_data.description,
            )
            _indicator(context, goal, goal_data.indicator, cards)
            for task_data in goal_data.tasks:
                task = services.node_create(
                    user=user,
                    level="task",
                    parent=goal,
                    title=task_data.title,
                    description=task_data.description,
                )
                _indicator(context, task, task_data.indicator, cards)
                for measure_data in task_data.measures:
                    measure = create_measure(task, measure_data)
                    _indicator(context, measure, measure_data.output, cards)
                    measures += 1
    return measures


def _units(context: DemoContext, names) -> list[Unit]:
    return [context.units[name] for name in names]


# --- The development plan --------------------------------------------------------


def load_development_plan(context: DemoContext) -> None:
    """The 2021–2027 development plan as its approved version 1."""
    plan = _find(development)
    if plan is not None:
        context.development_plan = plan
        context.development_version = plan.versions.filter(number=1).first()
        context.say(f"Plan „{plan.title}“: already present, left unchanged.")
        return
    user = context.staff_user
    plan = services.plan_create(user=user, vision=development.VISION, **development.PLAN)
    version = plan.versions.get(number=1)

    def create_measure(task, data):
        return services.node_create(
            user=user,
            level="measure",
            parent=task,
            title=data.title,
            description=data.description,
            responsible_unit=context.units[data.responsible],
            start_year=data.years[0],
            end_year=data.years[1],
            co_executors=_units(context, data.co_executors),
        )

    measures = _build(context, version, development.PRIORITIES, create_measure, development.CARDS)
    _approve(version, development.VERSION_LABEL)
    context.development_plan, context.development_version = plan, version
    context.say(f"Plan „{plan.title}“: created version 1 (approved) with {measures} measures.")


# --- The strategic action plan ---------------------------------------------------


def load_action_plan(context: DemoContext) -> None:
    """The 2025–2027 strategic action plan, approved, linked to the development plan."""
    for name, kind in action.UNITS:
        context.units[name] = Unit.objects.get_or_create(name=name, defaults={"kind": kind})[0]
    plan = _find(action)
    if plan is not None:
        context.action_plan = plan
        context.action_version = plan.versions.filter(number=1).first()
        context.say(f"Plan „{plan.title}“: already present, left unchanged.")
        return
    development_plan = context.development_plan
    if development_plan is None or context.development_version is None:
        context.say("Strategic action plan: skipped, the development plan is missing.")
        return
    user = context.staff_user
    plan = services.plan_create(
        user=user, vision=action.VISION, development_plan=development_plan, **action.PLAN
    )
    version = plan.versions.get(number=1)
    # The development plan's goals and tasks by code, as the data names them.
    keys = {
        code: key
        for model in (Goal, Task)
        for code, key in model.objects.filter(version=context.development_version).values_list(
            "code", "key"
        )
    }

    def create_measure(task, data):
        funding = [
            {"year": year, "source": context.sources[code], "amount": Decimal(amount)}
            for code, amounts in data.funding.items()
            for year, amount in zip(action.YEARS, amounts, strict=True)
            if amount
        ]
        return services.node_create(
            user=user,
            level="measure",
            parent=task,
            title=data.title,
            description=data.description,
            kind=data.kind,
            responsible_unit=context.units[data.responsible],
            appropriation_manager=context.units[data.manager],
            start_year=data.years[0],
            end_year=data.years[1],
            co_executors=_units(context, data.co_executors),
            funding=funding,
            # A KeyError here is a code in the data that the development plan lacks.
            implements=[str(keys[code]) for code in data.implements],
        )

    measures = _build(context, version, action.PROGRAMMES, create_measure)
    _approve(version, action.VERSION_LABEL)
    context.action_plan, context.action_version = plan, version
    context.say(
        f"Plan „{plan.title}“: created version 1 (approved) with "
        f"{len(action.PROGRAMMES)} programmes and {measures} measures."
    )


def load_action_update(context: DemoContext) -> None:
    """Version 2 of the action plan: the yearly update for 2026–2028, a draft."""
    plan, approved = context.action_plan, context.action_version
    if plan is None or approved is None:
        context.say("Action plan update: skipped, the action plan has no version 1.")
        return
    existing = plan.versions.filter(based_on=approved).order_by("number").first()
    if existing is not None:
        context.say(f"Action plan update: version {existing.number} already present.")
        return
    user = context.staff_user
    # The yearly update: the new draft's years move one forward (2026–2028).
    draft = services.version_create_draft(user=user, plan=plan, source=approved)
    draft = services.version_update(
        user=user,
        version=draft,
        revision=draft.revision,
        vision=draft.vision,
        label=action.UPDATE_LABEL,
    )
    context.say(
        f"Action plan update: created version {draft.number} "
        f"(draft, {draft.first_year}–{draft.last_year})."
    )
