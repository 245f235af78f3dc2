"""Which items of a round a user gets in the workbook and may write back.

The rule is ``monitoring.permissions``' (staff: everything; a unit member:
their unit's measures and those measures' indicators, a task's indicators
when their unit has a measure under the task; a goal's indicators are the
coordinator's), applied here to a whole tree already loaded, so that the
workbook of a large plan costs no query per item.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.translation import gettext as _

from monitoring import permissions, selectors
from monitoring.models import ActualValue, MeasureImplementation, MonitoringRound
from planportal import roles
from plans.models import FundingSource, Indicator, Measure, PlanVersion
from plans.selectors import version_tree

if TYPE_CHECKING:
    from planportal.roles import AnyUser


@dataclass
class RoundItems:
    round: MonitoringRound
    version: PlanVersion
    indicators: list[tuple[Any, Indicator]] = field(default_factory=list)
    """(owner node, indicator) of each indicator the user may enter, in tree order."""
    measures: list[Measure] = field(default_factory=list)
    actuals: dict[uuid.UUID, ActualValue] = field(default_factory=dict)
    implementations: dict[uuid.UUID, MeasureImplementation] = field(default_factory=dict)
    sources: list[FundingSource] = field(default_factory=list)
    all_keys: set[uuid.UUID] = field(default_factory=set)
    """Every indicator's and measure's key of the version, writable or not."""


def may_use_workbook(user: AnyUser | None) -> bool:
    """Staff and unit members download and upload round workbooks."""
    return roles.is_staff_member(user) or permissions.is_unit_member(user)


def round_items(round: MonitoringRound, user: AnyUser | None) -> RoundItems:
    """The items of ``round`` that ``user`` may enter, with their stored values.

    A fixed number of queries whatever the size of the plan: the version in
    force, its tree, the user's units, the sources, the actual values, the
    implementation entries and their money.
    """
    version = PlanVersion.objects.in_force_for(round.plan)
    if version is None:
        raise Http404(_("The plan has no version in force."))
    tree = version_tree(version)
    result = RoundItems(round=round, version=version)
    units = selectors.entry_units_of(user)
    for entry in selectors.entry_items(tree.priorities):
        result.all_keys.add(entry.node.key)
    for entry in selectors.enterable(selectors.entry_items(tree.priorities), units):
        if entry.kind == "measure":
            result.measures.append(entry.node)
        else:
            result.indicators.append((entry.owner, entry.node))
    plan_id, year = round.plan_id, round.year
    result.actuals = {
        entry.indicator_key: entry
        for entry in ActualValue.objects.filter(
            plan_id=plan_id,
            year=year,
            indicator_key__in=[indicator.key for _owner, indicator in result.indicators],
        )
    }
    result.implementations = {
        entry.measure_key: entry
        for entry in MeasureImplementation.objects.filter(
            plan_id=plan_id, year=year, measure_key__in=[m.key for m in result.measures]
        ).prefetch_related("spent")
    }
    result.sources = list(FundingSource.objects.order_by("position", "code"))
    return result
