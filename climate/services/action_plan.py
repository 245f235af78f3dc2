"""The action plan: the municipality's reduction target and the SEAP measures,
each optionally linked to a measure of the plan by its key."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planportal.years import YEAR_BOUNDS, is_valid_year
from plans.models import Measure, Plan

from ..constants import ACTION_SECTORS
from ..models import SeapMeasure, Target
from ._common import _changed, require_staff

if TYPE_CHECKING:
    from planportal.roles import AnyUser


# --- Target --------------------------------------------------------------------------


@transaction.atomic
def target_set(*, user: AnyUser, percent: Decimal, year: int, kind: str) -> Target:
    """The municipality's reduction target (one; setting it again replaces it)."""
    require_staff(user)
    errors = {}
    if not Decimal("0") < percent <= Decimal("100"):
        errors["percent"] = _("The reduction must be more than 0 and at most 100 %.")
    if not is_valid_year(year):
        errors["year"] = _("The year must be between %(min)s and %(max)s.") % YEAR_BOUNDS
    if kind not in Target.Kind.values:
        errors["kind"] = _("Choose absolute or per capita.")
    if errors:
        raise ValidationError(errors)
    target, _created = Target.objects.update_or_create(
        pk=1, defaults={"percent": percent, "year": year, "kind": kind}
    )
    _changed()
    return target


# --- SEAP measures -------------------------------------------------------------------


SEAP_FIELDS = (
    "title",
    "sector",
    "field_of_action",
    "responsible",
    "start_year",
    "end_year",
    "estimated_cost",
    "energy_saving_mwh",
    "renewable_mwh",
    "co2_reduction_t",
    "note",
)


def _check_seap(*, fields: dict, plan: Plan | None, measure_key: UUID | None) -> None:
    errors = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _("A title is required.")
    if fields.get("sector") not in dict(ACTION_SECTORS):
        errors["sector"] = _("Choose a sector of the action plan.")
    start, end = fields.get("start_year"), fields.get("end_year")
    if start is None or end is None:
        errors["start_year"] = _("Start and end years are required.")
    elif end < start:
        errors["end_year"] = _("The end year is before the start year.")
    if measure_key is not None:
        if plan is None:
            errors["plan"] = _("Choose the plan of the linked measure.")
        elif not Measure.objects.filter(version__plan=plan, key=measure_key).exists():
            errors["measure_key"] = _("No measure of this plan has that key.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def seap_measure_create(
    *, user: AnyUser, plan: Plan | None = None, measure_key: UUID | None = None, **fields: Any
) -> SeapMeasure:
    """A new SEAP measure, optionally linked to a plan measure by its key.

    Preconditions: staff; a title, a sector of the action plan, start ≤ end; a
    key, when given, belongs to a measure of ``plan`` (in any version).
    """
    require_staff(user)
    unknown = set(fields) - set(SEAP_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    _check_seap(fields=fields, plan=plan, measure_key=measure_key)
    last = SeapMeasure.objects.order_by("-position").values_list("position", flat=True).first() or 0
    measure = SeapMeasure(plan=plan, measure_key=measure_key, position=last + 1, **fields)
    measure.full_clean()
    measure.save()
    _changed()
    return measure


@transaction.atomic
def seap_measure_update(
    *,
    user: AnyUser,
    measure: SeapMeasure,
    plan: Plan | None = None,
    measure_key: UUID | None = None,
    **fields: Any,
) -> SeapMeasure:
    """Change a SEAP measure (every field given replaces the old value)."""
    require_staff(user)
    measure = SeapMeasure.objects.select_for_update().get(pk=measure.pk)
    unknown = set(fields) - set(SEAP_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    merged = {name: getattr(measure, name) for name in SEAP_FIELDS} | fields
    _check_seap(fields=merged, plan=plan, measure_key=measure_key)
    for name, value in merged.items():
        setattr(measure, name, value)
    measure.plan, measure.measure_key = plan, measure_key
    measure.full_clean()
    measure.save()
    _changed()
    return measure


@transaction.atomic
def seap_measure_delete(*, user: AnyUser, measure: SeapMeasure) -> None:
    require_staff(user)
    measure.delete()
    _changed()
