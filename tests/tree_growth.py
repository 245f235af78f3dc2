"""A plan ``factor`` times the size of another, made quickly with bulk inserts.

For query-count tests and benchmarks that need a large plan of a realistic
shape (the demo's): the source version's whole tree (nodes, indicators with
targets, funding, co-executors, links) is copied ``factor`` times into one new
draft of a new plan of the same kind. Rows are inserted directly, so the
services' checks, history and renumbering are skipped: codes are the
source's, prefixed with the copy's number from the second copy on.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)

_NODE = ("key", "code", "position", "title", "description")
_MEASURE = (
    "kind",
    "responsible_unit_id",
    "appropriation_manager_id",
    "start_year",
    "end_year",
)
_INDICATOR = (
    "position",
    "kind",
    "name",
    "unit",
    "baseline_value",
    "baseline_year",
    "data_source",
    "direction",
    "code",
    "definition",
    "calculation_method",
    "frequency",
    "responsible_body",
    "remarks",
)
_LINK = tuple(
    field.attname
    for field in MeasureLink._meta.concrete_fields
    if field.name not in {"id", "measure"}
)


def _copied(row: dict, copy: int, *, top: bool) -> dict:
    data = {name: row[name] for name in _NODE}
    data["key"] = uuid.uuid4()
    if copy and data["code"]:
        data["code"] = f"{copy + 1}.{data['code']}"
    if top:
        # Each copy's priorities follow the previous copy's.
        data["position"] = row["position"] + copy * 1000
    return data


def _insert(model, source_rows, parent_level, new, *, version, copy) -> dict[int, int]:
    """Copies of ``source_rows`` under the new parents; the old ids mapped to the new."""
    objects = []
    for row in source_rows:
        data = _copied(row, copy, top=parent_level is None)
        data["version"] = version
        if parent_level:
            data[f"{parent_level}_id"] = new[parent_level][row[f"{parent_level}_id"]]
        if model is Measure:
            data.update({name: row[name] for name in _MEASURE})
        objects.append(model(**data))
    created = model.objects.bulk_create(objects)
    return {row["id"]: obj.pk for row, obj in zip(source_rows, created, strict=True)}


@transaction.atomic
def grow_tree(
    source: PlanVersion, factor: int, *, status: str = VersionStatus.DRAFT
) -> PlanVersion:
    """A new plan's version holding ``source``'s tree ``factor`` times, in ``status``."""
    plan = source.plan
    new_plan = Plan.objects.create(
        title=f"{plan.title} (×{factor}, {uuid.uuid4().hex[:6]})",
        municipality=plan.municipality,
        kind=plan.kind,
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    version = PlanVersion.objects.create(plan=new_plan, number=1, vision=source.vision)

    def rows(model, *extra):
        return list(
            model.objects.filter(version=source)
            .order_by("position", "id")
            .values("id", *_NODE, *extra)
        )

    priorities = rows(Priority)
    goals = rows(Goal, "priority_id")
    tasks = rows(Task, "goal_id")
    measures = rows(Measure, "task_id", *_MEASURE)
    indicators = list(
        Indicator.objects.filter(version=source).values(
            "id", "goal_id", "task_id", "measure_id", *_INDICATOR
        )
    )
    targets = list(
        IndicatorTarget.objects.filter(indicator__version=source).values(
            "indicator_id", "year", "value"
        )
    )
    funding = list(
        FundingLine.objects.filter(measure__version=source).values(
            "measure_id", "year", "source_id", "amount"
        )
    )
    co_executors = list(
        Measure.co_executors.through.objects.filter(measure__version=source).values(
            "measure_id", "unit_id"
        )
    )
    links = list(MeasureLink.objects.filter(measure__version=source).values("measure_id", *_LINK))

    for copy in range(factor):
        new: dict[str, dict[int, int]] = {}

        for model, level, source_rows, parent_level in (
            (Priority, "priority", priorities, None),
            (Goal, "goal", goals, "priority"),
            (Task, "task", tasks, "goal"),
            (Measure, "measure", measures, "task"),
        ):
            new[level] = _insert(model, source_rows, parent_level, new, version=version, copy=copy)

        made = Indicator.objects.bulk_create(
            Indicator(
                version=version,
                key=uuid.uuid4(),
                goal_id=new["goal"].get(row["goal_id"]),
                task_id=new["task"].get(row["task_id"]),
                measure_id=new["measure"].get(row["measure_id"]),
                **{name: row[name] for name in _INDICATOR},
            )
            for row in indicators
        )
        new_indicator = {row["id"]: obj.pk for row, obj in zip(indicators, made, strict=True)}
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(
                indicator_id=new_indicator[row["indicator_id"]],
                year=row["year"],
                value=row["value"],
            )
            for row in targets
        )
        FundingLine.objects.bulk_create(
            FundingLine(
                measure_id=new["measure"][row["measure_id"]],
                year=row["year"],
                source_id=row["source_id"],
                amount=row["amount"],
            )
            for row in funding
        )
        Measure.co_executors.through.objects.bulk_create(
            Measure.co_executors.through(
                measure_id=new["measure"][row["measure_id"]], unit_id=row["unit_id"]
            )
            for row in co_executors
        )
        MeasureLink.objects.bulk_create(
            MeasureLink(
                measure_id=new["measure"][row["measure_id"]],
                **{name: row[name] for name in _LINK},
            )
            for row in links
        )

    if status != VersionStatus.DRAFT:
        PlanVersion.objects.filter(pk=version.pk).update(status=status)
        version.refresh_from_db()
    return version
