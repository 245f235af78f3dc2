"""The points of procedure each council decides for itself, read from settings.

The law leaves the drafting, discussion and approval of municipal plans to
each council's own procedure (docs/planning-law.md §7–§8); the portal keeps
those choices in ``settings.PLANPORTAL_PROCEDURE``. Read them here, at call
time (settings are never read at import time, and tests override them), so
that a key missing from the settings falls back to the default below.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from plans.kinds import PlanKind

DEFAULTS: dict[str, Any] = {
    # Per kind of plan: a version goes to council review only after a public
    # consultation on it has been held. Customary for the development plan
    # and the action plan (§7); the seed's 2013 plan was approved without one
    # in the portal.
    "consultation_before_council": {
        PlanKind.SPP_2013: False,
        PlanKind.DEVELOPMENT: True,
        PlanKind.ACTION: True,
    },
}


def procedure(key: str) -> Any:
    """The council's setting ``key`` (``KeyError`` for a key the portal does not know).

    A per-kind setting (a dict) is merged over its defaults, so that the
    settings may name only the kinds they change.
    """
    default = DEFAULTS[key]
    value = getattr(settings, "PLANPORTAL_PROCEDURE", {}).get(key, default)
    if isinstance(default, dict):
        return {**default, **value}
    return value


def for_kind(key: str, kind: str) -> Any:
    """A per-kind setting's value for plans of ``kind``."""
    return procedure(key)[kind]
