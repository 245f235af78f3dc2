"""Plans and their versions: creating a plan (empty, or as the next period of
another), new drafts, a draft's vision and label, deleting a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from plans.kinds import PlanKind, get_kind
from plans.models import (
    Plan,
    PlanVersion,
    VersionStatus,
)
from plans.tree_copy import CopyReport, copy_tree

from .common import expect_revision, lock_editable_version, require_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser


@transaction.atomic
def plan_create(
    *,
    user: User,
    title: str,
    municipality: str,
    period_start: int,
    period_end: int | None = None,
    kind: str = PlanKind.SPP_2013,
    numbering: str | None = None,
    development_plan: Plan | None = None,
    vision: str = "",
    first_draft: bool = True,
) -> Plan:
    """Create a plan and, unless ``first_draft`` is False, its first, empty draft (version 1).

    Preconditions: ``user`` is staff; the period does not end before it
    starts; ``development_plan``, when given, is a development plan and the
    new plan an action plan. ``numbering`` defaults to the kind's own, the
    period's end to the kind's usual length (``Kind.default_years``).
    """
    require_staff(user)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Unknown kind of plan.")})
    if period_end is None:
        period_end = period_start + get_kind(kind).default_years - 1
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if development_plan is not None:
        if kind != PlanKind.ACTION:
            raise ValidationError(
                {"development_plan": _("Only an action plan implements a development plan.")}
            )
        if development_plan.kind != PlanKind.DEVELOPMENT:
            raise ValidationError({"development_plan": _("Choose a development plan.")})
    plan = Plan(
        title=title,
        municipality=municipality,
        period_start=period_start,
        period_end=period_end,
        kind=kind,
        numbering=numbering or get_kind(kind).default_numbering,
        development_plan=development_plan,
    )
    plan.full_clean()
    plan.save()
    if first_draft:
        PlanVersion.objects.create(plan=plan, number=1, vision=vision, created_by=user)
    return plan


@dataclass(frozen=True)
class NextPeriod:
    """A plan created as the next period of another, its first draft and what
    the copy left out (``plan_create_next_period``)."""

    plan: Plan
    draft: PlanVersion
    copied: CopyReport


@transaction.atomic
def plan_create_next_period(
    *,
    user: User,
    source: PlanVersion,
    title: str,
    municipality: str,
    period_start: int,
    period_end: int | None = None,
    kind: str | None = None,
    numbering: str | None = None,
    development_plan: Plan | None = None,
) -> NextPeriod:
    """A new plan of ``source``'s kind whose first draft copies ``source``'s tree.

    Preconditions: ``user`` is staff; ``source`` is a version of a plan of
    ``kind`` (by default the kind is taken from it); the rest as for
    ``plan_create``. A plan for a new period is a new document, so the copied
    nodes and indicators get new keys (``copy_tree(new_keys=True)``, where
    the reason is told); funding lines of years outside the new period are
    left out, and so are the measures' links to a development plan other
    than the new plan's. ``copied`` counts what was left out.
    """
    require_staff(user)
    source = PlanVersion.objects.select_related("plan").get(pk=source.pk)
    if kind is not None and kind != source.plan.kind:
        raise ValidationError(
            {"continue_from": _("Choose a version of a plan of the same kind as the new plan.")}
        )
    plan = plan_create(
        user=user,
        title=title,
        municipality=municipality,
        period_start=period_start,
        period_end=period_end,
        kind=source.plan.kind,
        numbering=numbering,
        development_plan=development_plan,
        first_draft=False,
    )
    draft = PlanVersion.objects.create(plan=plan, number=1, vision=source.vision, created_by=user)
    copied = copy_tree(
        source,
        draft,
        user,
        new_keys=True,
        years=plan.years,
        keep_links=source.plan.development_plan_id == plan.development_plan_id,
    )
    return NextPeriod(plan=plan, draft=draft, copied=copied)


def _draft_window(plan: Plan, source: PlanVersion, keep_years: bool) -> tuple[int | None, ...]:
    """The years of a new draft copied from ``source``: the yearly update of an
    action plan covers the next three years (docs/planning-law.md §8, "The
    yearly SVP update"); an amendment during the year (``keep_years``) and
    every other kind keep the source's own window."""
    if plan.kind == PlanKind.ACTION and not keep_years:
        return source.first_year + 1, source.last_year + 1
    return source.period_start, source.period_end


@transaction.atomic
def version_create_draft(
    *,
    user: User,
    plan: Plan,
    source: PlanVersion | None = None,
    keep_years: bool = False,
) -> PlanVersion:
    """A new draft: a deep copy of ``source`` (by default the version in force).

    Preconditions: ``user`` is staff; ``source``, when given, is a version of
    ``plan``. Every node, indicator, target and funding line is copied; nodes
    and indicators keep their ``key`` so that versions can be compared. With
    no version in force and no source, the draft is empty. A draft of an
    action plan covers the years one after the source's (2025–2027 becomes
    2026–2028) unless ``keep_years`` is set (an amendment during the year).
    """
    require_staff(user)
    # Lock the plan so that two drafts created at once get different numbers.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if source is None:
        source = PlanVersion.objects.in_force_for(plan)
    elif source.plan_id != plan.pk:
        raise ValidationError(_("The source version belongs to another plan."))
    number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    first, last = _draft_window(plan, source, keep_years) if source else (None, None)
    draft = PlanVersion.objects.create(
        plan=plan,
        number=number,
        status=VersionStatus.DRAFT,
        vision=source.vision if source else "",
        based_on=source,
        created_by=user,
        period_start=first,
        period_end=last,
    )
    if source is not None:
        copy_tree(source, draft, user)
    return draft


@transaction.atomic
def version_update(
    *, user: AnyUser, version: PlanVersion, revision: int, vision: str, label: str = ""
) -> PlanVersion:
    """Change a draft's vision and label.

    Preconditions: ``user`` is staff; the version is a draft; ``revision`` is
    its current revision (else ``ConflictError``, nothing written).
    """
    require_staff(user)
    locked = lock_editable_version(version.pk)
    expect_revision(locked, revision)
    locked.vision = vision
    locked.label = label
    # A plain increment is safe under the row lock taken above; an F()
    # expression would reach simple_history's insert of the historical row,
    # which cannot store an expression.
    locked.revision = locked.revision + 1
    locked._change_reason = "vision"
    locked.save()
    locked.refresh_from_db()
    return locked


@transaction.atomic
def version_delete(
    *, user: AnyUser, version: PlanVersion, expected_revision: int | None = None
) -> None:
    """Delete a draft with its whole tree.

    Preconditions: ``user`` is staff; the version is a draft; when given,
    ``expected_revision`` is its current revision (checked by reading under
    the lock: a refused delete writes nothing).
    """
    require_staff(user)
    locked = lock_editable_version(version.pk)
    expect_revision(locked, expected_revision)
    locked.delete()
