"""Who may enter which monitoring data (docs/monitoring.md, "Who enters what").

Staff (the strategy coordinator) may enter anything. A unit member may enter
the data of the measures their unit is responsible for, and of those
measures' indicators; a task's indicators belong to the units responsible
for a measure under the task (each may enter them); a goal's indicators sum
up several units' work, so only the coordinator enters them. Everyone else
enters nothing. The services check this on every write; the selectors use
the same rule to list "my items".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planportal import roles
from plans.models import Indicator, Measure

from .models import UnitMembership

if TYPE_CHECKING:
    from planportal.roles import AnyUser


def unit_ids_of(user: AnyUser | None) -> frozenset[int]:
    """The units ``user`` is a member of (one query; none for anonymous users)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(UnitMembership.objects.filter(user=user).values_list("unit_id", flat=True))


def is_unit_member(user: AnyUser | None) -> bool:
    return bool(unit_ids_of(user))


def units_of_measure(measure: Measure) -> frozenset[int]:
    unit_id = measure.responsible_unit_id
    return frozenset() if unit_id is None else frozenset({unit_id})


def units_of_indicator(indicator: Indicator) -> frozenset[int]:
    """The units whose members may enter ``indicator``'s actual values."""
    if indicator.measure_id is not None:
        return frozenset(
            Measure.objects.filter(pk=indicator.measure_id)
            .exclude(responsible_unit=None)
            .values_list("responsible_unit_id", flat=True)
        )
    if indicator.task_id is not None:
        return frozenset(
            Measure.objects.filter(task_id=indicator.task_id)
            .exclude(responsible_unit=None)
            .values_list("responsible_unit_id", flat=True)
        )
    return frozenset()  # a goal's indicator: the coordinator's


def can_enter_measure(user: AnyUser | None, measure: Measure) -> bool:
    return roles.is_staff_member(user) or bool(unit_ids_of(user) & units_of_measure(measure))


def can_enter_indicator(user: AnyUser | None, indicator: Indicator) -> bool:
    return roles.is_staff_member(user) or bool(unit_ids_of(user) & units_of_indicator(indicator))
