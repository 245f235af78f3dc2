"""Milestones: the optional dated steps of a measure (docs/monitoring/milestones.md).

A milestone belongs to the plan and is keyed by the measure's ``key``, like
the implementation entries, so a new version of the plan keeps the
milestones of every measure it kept. They are written for the measures of
the version in force, by staff and by the members of the measure's unit
(``permissions.can_enter_measure``); unlike values, they do not need an
open round: a unit plans and ticks off its steps all year.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from planportal.errors import Conflict, NotAllowed
from plans.models import Measure, PlanVersion

from . import permissions
from .models import Milestone

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

TITLE_MAX = 500


class MeasureNotInForce(Conflict):
    """Milestones are kept for the measures of the version in force."""

    code = "not_in_force"


def milestones_of(measure: Measure) -> QuerySet[Milestone]:
    """``measure``'s milestones, in order (one query)."""
    return Milestone.objects.filter(
        plan_id=measure.version.plan_id, measure_key=measure.key
    ).order_by("position", "id")


def measure_of(milestone: Milestone) -> Measure | None:
    """The measure of the version in force a milestone belongs to (``None``:
    the measure is no longer in the plan)."""
    version = PlanVersion.objects.in_force_for(milestone.plan_id)
    if version is None:
        return None
    return (
        Measure.objects.select_related("version")
        .filter(version=version, key=milestone.measure_key)
        .first()
    )


def _check(user: User, measure: Measure) -> None:
    if not permissions.can_enter_measure(user, measure):
        raise NotAllowed(_("You may enter values only for your unit's items."))
    if not measure.version.is_in_force:
        raise MeasureNotInForce(_("Milestones are kept for the measures of the version in force."))


def _clean(
    title: str, due: datetime.date | None, done_on: datetime.date | None
) -> tuple[str, datetime.date | None, datetime.date | None]:
    title = (title or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Write what the milestone is.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title is too long (at most %(max)s characters).") % {
            "max": TITLE_MAX
        }
    if done_on is not None and done_on > datetime.date.today():
        errors["done_on"] = _("The date done cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return title, due, done_on


@transaction.atomic
def milestone_save(
    *,
    user: User,
    measure: Measure,
    title: str,
    due: datetime.date | None = None,
    done_on: datetime.date | None = None,
    milestone: Milestone | None = None,
) -> Milestone:
    """Add a milestone to ``measure`` (``milestone`` ``None``, placed last) or
    change ``milestone`` of it.

    Preconditions: ``user`` may enter ``measure``'s data (staff, or a member
    of its unit; else 403 ``not_allowed``); ``measure`` is of the version in
    force (else 409 ``not_in_force``); ``title`` is not blank and ``done_on``
    not in the future (else 400 naming the field); a changed ``milestone``
    belongs to ``measure`` (else 404).
    """
    _check(user, measure)
    title, due, done_on = _clean(title, due, done_on)
    plan_id = measure.version.plan_id
    if milestone is None:
        last = Milestone.objects.filter(plan_id=plan_id, measure_key=measure.key).aggregate(
            Max("position")
        )["position__max"]
        milestone = Milestone(
            plan_id=plan_id,
            measure_key=measure.key,
            position=0 if last is None else last + 1,
        )
    elif milestone.plan_id != plan_id or milestone.measure_key != measure.key:
        raise Milestone.DoesNotExist
    milestone.title, milestone.due, milestone.done_on = title, due, done_on
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, user: User, milestone: Milestone) -> None:
    """Delete ``milestone``.

    Preconditions: its measure is in the version in force (else 409
    ``not_in_force``) and ``user`` may enter that measure's data (else 403).
    """
    measure = measure_of(milestone)
    if measure is None:
        raise MeasureNotInForce(_("Milestones are kept for the measures of the version in force."))
    _check(user, measure)
    milestone.delete()
