"""The strategic development plan and its versions.

A ``Plan`` (Kaunas District 2013–2020) has numbered ``PlanVersion``s. Each
version owns a whole tree: vision → ``Priority`` → ``Goal`` → ``Task`` →
``Measure``, with ``Indicator``s (and their yearly ``IndicatorTarget``s) on
goals, tasks and measures, and ``FundingLine``s on measures. A new draft is a
deep copy of the version in force; every node keeps its ``key`` (a UUID) across
versions, so that "the same measure" can be followed from version to version
while its code changes with renumbering.

Every node also points straight at its version (``version``), so that a whole
tree loads in one query per level and "is this version editable?" is one
lookup, whatever the depth.

The models live in modules by subject (``versions``, ``tree``,
``indicators``, ``funding``, ``reference``); import them from here.
"""

from planportal.years import YEAR_VALIDATORS

from .funding import FundingLine
from .indicators import DEFAULT_INDICATOR_KIND, Direction, Indicator, IndicatorKind, IndicatorTarget
from .reference import FundingSource, Unit
from .tree import (
    Goal,
    LinkLevel,
    Measure,
    MeasureKind,
    MeasureLink,
    Node,
    NodeQuerySet,
    Priority,
    Task,
)
from .versions import (
    EDITABLE_STATUSES,
    PUBLIC_STATUSES,
    FrozenVersionError,
    NumberingStyle,
    Plan,
    PlanVersion,
    PlanVersionQuerySet,
    VersionStatus,
    assert_version_editable,
    frozen_version_error,
)

__all__ = [
    "DEFAULT_INDICATOR_KIND",
    "EDITABLE_STATUSES",
    "PUBLIC_STATUSES",
    "YEAR_VALIDATORS",
    "Direction",
    "FrozenVersionError",
    "FundingLine",
    "FundingSource",
    "Goal",
    "Indicator",
    "IndicatorKind",
    "IndicatorTarget",
    "LinkLevel",
    "Measure",
    "MeasureLink",
    "MeasureKind",
    "Node",
    "NodeQuerySet",
    "NumberingStyle",
    "Plan",
    "PlanVersion",
    "PlanVersionQuerySet",
    "Priority",
    "Task",
    "Unit",
    "VersionStatus",
    "assert_version_editable",
    "frozen_version_error",
]
