"""A draft as large as a given plan times a factor, for query counts and benchmarks.

``grown_draft(source, 10)`` is a new draft (of a new plan of the same kind and
period) whose tree holds ``source``'s tree ten times over, numbered, written
with the bulk inserts of ``plans.tree_copy`` (seconds, not minutes, for ten
times the demo). Used by tests/plans/test_outline_speed.py and
benchmarks/outline.py.
"""

from __future__ import annotations

from plans.models import Plan, PlanVersion, VersionStatus
from plans.numbering import version_renumber
from plans.tree_copy import copy_tree


def grown_draft(source: PlanVersion, factor: int) -> PlanVersion:
    plan = source.plan
    grown = Plan.objects.create(
        title=f"{plan.title} (×{factor}, {PlanVersion.objects.count()})",
        municipality=plan.municipality,
        period_start=plan.period_start,
        period_end=plan.period_end,
        numbering=plan.numbering,
        kind=plan.kind,
        development_plan=plan.development_plan,
    )
    version = PlanVersion.objects.create(
        plan=grown, number=1, status=VersionStatus.DRAFT, vision=source.vision
    )
    for _ in range(factor):
        copy_tree(source, version, new_keys=True)
    version_renumber(version)
    return PlanVersion.objects.select_related("plan").get(pk=version.pk)
