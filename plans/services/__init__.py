"""Every write to a plan goes through here.

Services are keyword-only, run in one transaction and check two things before
anything else: that the user is administration staff, and that the version is
a draft (under the version's row lock, so that a submission or approval at the
same moment waits for the edit, or the edit sees the new status and stops).
Browser views, API viewsets, the admin and the demo loader all call them, so
the rules cannot disagree between paths.

A change that the user based on what they saw carries the revision they saw
(``expected_revision``); a stale one is refused with ``ConflictError`` before
anything is written, deletes included.

The writes live in modules by subject (``versions``, ``nodes``,
``indicators``, ``funding``: the rule that a measure's funding lies within its
period, for every path; ``common`` holds the checks they share); import them from
here.
"""

from django.core.exceptions import ValidationError

from plans.numbering import version_renumber

from .common import ConflictError, lock_editable_version, require_staff
from .funding import (
    FundingOutsidePeriod,
    FundingPeriod,
    check_funding_years,
    funding_period,
    period_of,
)
from .indicators import INDICATOR_FIELDS, indicator_delete, indicator_save
from .nodes import (
    NODE_FIELDS,
    STRUCTURE_FIELDS,
    MoveRefused,
    measure_set_funding,
    near_period,
    node_create,
    node_delete,
    node_move,
    node_save,
    node_update,
    validate_measure,
)
from .versions import (
    NextPeriod,
    plan_create,
    plan_create_next_period,
    version_create_draft,
    version_delete,
    version_update,
)

__all__ = [
    "INDICATOR_FIELDS",
    "NODE_FIELDS",
    "STRUCTURE_FIELDS",
    "ConflictError",
    "FundingOutsidePeriod",
    "FundingPeriod",
    "MoveRefused",
    "NextPeriod",
    # Re-exported for callers that catch the services' field errors by this name.
    "ValidationError",
    "check_funding_years",
    "funding_period",
    "indicator_delete",
    "indicator_save",
    "lock_editable_version",
    "measure_set_funding",
    "near_period",
    "node_create",
    "node_delete",
    "node_move",
    "node_save",
    "node_update",
    "plan_create",
    "period_of",
    "plan_create_next_period",
    "require_staff",
    "validate_measure",
    "version_create_draft",
    "version_delete",
    "version_renumber",
    "version_update",
]
