"""Importing a workbook into a new draft: the service that writes.

``version_import`` checks the whole workbook first (``reader.read_workbook``,
which collects every bad cell) and only then writes the new draft in a few
bulk inserts, like ``plans.tree_copy`` does for a copied draft, and
renumbers it. The draft is new and the plan's row is locked, so nobody else
can see or change it until the transaction ends; the guards' rule that only
a draft changes holds (it is one).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from plans.levels import LEVELS
from plans.models import (
    FundingLine,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    Plan,
    PlanVersion,
    VersionStatus,
)
from plans.numbering import version_renumber
from plans.services import require_staff

from .reader import NodeRow, read_workbook

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# plans/history.py shows this as the first record of every imported row.
CHANGE_REASON = "imported from a workbook"


@transaction.atomic
def version_import(*, user: User, plan: Plan, data: bytes) -> PlanVersion:
    """A new draft of ``plan`` holding exactly the tree of the workbook ``data``.

    Preconditions: ``user`` is staff; ``data`` is an XLSX workbook in the
    layout of ``plans.spreadsheets.layout`` (else ``WorkbookInvalid`` names
    every bad cell and nothing is written). The draft gets the next number,
    is based on the version in force (whose vision and years it takes) and keeps the
    keys the workbook gives; rows without a key get new ones.
    """
    require_staff(user)
    # Lock the plan so that two imports (or a new draft) at once get different numbers.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    parsed = read_workbook(data, plan)
    source = PlanVersion.objects.in_force_for(plan)
    number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    draft = PlanVersion.objects.create(
        plan=plan,
        number=number,
        status=VersionStatus.DRAFT,
        vision=source.vision if source else "",
        # The years of the version in force: an import replaces its tree, it
        # is not the yearly update that moves an action plan's window.
        period_start=source.period_start if source else None,
        period_end=source.period_end if source else None,
        based_on=source,
        created_by=user,
    )
    _write_tree(draft, parsed.priorities, user)
    version_renumber(draft)
    return draft


def _write_tree(version: PlanVersion, priorities: list[NodeRow], user) -> None:
    def create(model, objs):
        return bulk_create_with_history(
            objs, model, default_user=user, default_change_reason=CHANGE_REASON
        )

    # Level by level from the top, so that each level's parents have their ids.
    rows: list[tuple[NodeRow, int | None]] = [(row, None) for row in priorities]
    made: dict[str, list[tuple[NodeRow, Any]]] = {}
    for name, level in LEVELS.items():
        objs = [
            level.model(
                version=version,
                key=row.key or uuid.uuid4(),
                position=row.position,
                **({} if level.is_top else {f"{level.parent_field}_id": parent_id}),
                **row.fields,
            )
            for row, parent_id in rows
        ]
        created = create(level.model, objs) if objs else []
        made[name] = [(row, node) for (row, _parent), node in zip(rows, created, strict=True)]
        rows = [(child, node.pk) for row, node in made[name] for child in row.children]
    _write_measure_details(made["measure"], create)
    _write_indicators(
        version, [pair for name in ("goal", "task", "measure") for pair in made[name]], create
    )


def _write_measure_details(measures: list[tuple[NodeRow, Measure]], create) -> None:
    through = Measure.co_executors.through
    through.objects.bulk_create(
        [
            through(measure_id=measure.pk, unit_id=unit_id)
            for row, measure in measures
            for unit_id in row.co_executors
        ]
    )
    lines = [
        FundingLine(measure=measure, year=year, source_id=source_id, amount=amount)
        for row, measure in measures
        for year, source_id, amount in row.funding
    ]
    if lines:
        create(FundingLine, lines)
    links = [
        MeasureLink(measure=measure, level=level, key=key, position=position)
        for row, measure in measures
        for position, (level, key) in enumerate(row.links, start=1)
    ]
    if links:
        create(MeasureLink, links)


def _write_indicators(version: PlanVersion, nodes, create) -> None:
    pairs = []
    for row, node in nodes:
        level = node.tree_level.name
        for position, indicator_row in enumerate(row.indicators, start=1):
            indicator = Indicator(
                version=version,
                key=indicator_row.key or uuid.uuid4(),
                position=position,
                **{level: node},
                **indicator_row.fields,
            )
            pairs.append((indicator_row, indicator))
    if not pairs:
        return
    created = create(Indicator, [indicator for _row, indicator in pairs])
    targets = [
        IndicatorTarget(indicator=indicator, year=year, value=value)
        for (row, _unsaved), indicator in zip(pairs, created, strict=True)
        for year, value in row.targets
    ]
    if targets:
        create(IndicatorTarget, targets)
