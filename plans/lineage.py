"""Whether a draft still rests on the plan in force.

A draft is a copy of the version in force (``based_on``). While it is being
edited, put to consultation or reviewed, another draft of the same plan may be
approved: the version in force is then no longer the one the draft was copied
from, and approving the draft would silently undo the newer approval (its
changes are not in the draft). Such a version's base is *stale*.

The rule: a version that is not yet approved is stale when the plan has a
version in force and that version is not among its bases (``based_on``,
``based_on.based_on`` …). A draft copied from another draft that was itself
copied from the version in force is therefore not stale; a draft made before
anything was in force (empty, ``based_on`` null) becomes stale once another
version is approved.

Pages show the warning (``plans/includes/stale_base.html``, through the
``stale_base_notice`` tag); ``council.services`` asks for an explicit
confirmation before submitting or approving a stale version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from plans.models import PlanVersion, VersionStatus

# Only a version on its way to approval can undo anything by being approved.
PENDING_STATUSES = frozenset(
    {VersionStatus.DRAFT, VersionStatus.CONSULTATION, VersionStatus.COUNCIL_REVIEW}
)


@dataclass(frozen=True)
class StaleBase:
    """A version whose bases do not include the version in force."""

    version: PlanVersion
    in_force: PlanVersion
    # The version it was copied from (None: made empty), as stored.
    base: PlanVersion | None

    @property
    def compare_url(self) -> str:
        """The comparison of the version with the one in force: what approving it would undo."""
        return reverse("plans:compare", args=[self.version.pk]) + f"?against={self.in_force.pk}"


def stale_bases(versions: Iterable[PlanVersion]) -> dict[int, StaleBase]:
    """The stale versions among ``versions``, by id: one query for all their plans.

    Approved and superseded versions are never stale (they are, or were, the
    plan in force); no query is made when no version is pending.
    """
    pending = [v for v in versions if v.status in PENDING_STATUSES]
    if not pending:
        return {}
    by_id = {v.pk: v for v in PlanVersion.objects.filter(plan_id__in={v.plan_id for v in pending})}
    in_force = {v.plan_id: v for v in by_id.values() if v.status == VersionStatus.APPROVED}
    stale = {}
    for version in pending:
        current = in_force.get(version.plan_id)
        if current is None or current.pk == version.pk:
            continue
        stored = by_id[version.pk]
        bases, seen = [], {version.pk}
        base_id = stored.based_on_id
        while base_id is not None and base_id not in seen:
            seen.add(base_id)
            bases.append(base_id)
            parent = by_id.get(base_id)
            base_id = parent.based_on_id if parent else None
        if current.pk not in bases:
            base = by_id.get(stored.based_on_id) if stored.based_on_id else None
            stale[version.pk] = StaleBase(version=version, in_force=current, base=base)
    return stale


def stale_base(version: PlanVersion) -> StaleBase | None:
    """``version``'s stale base, or None when it rests on the version in force."""
    return stale_bases([version]).get(version.pk)
