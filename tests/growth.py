"""Plans grown to k times the demo's size, for query-count tests and benchmarks.

``grow_plan`` copies a version's tree ``factor`` times into one new approved
plan with ``plans.tree_copy.copy_tree`` (a few bulk inserts per copy, so the
demo's plan grown tenfold, 910 measures, takes seconds). Each copy's nodes and
indicators get keys of their own; ``Grown.keys`` says which copied key stands
for which key of the source, so what hangs on keys can follow the tree:

* ``grow_monitoring``: the source plan's rounds, actual values, measures'
  implementation and money spent, once per copy;
* ``grow_consultation``: a consultation on the grown plan's draft with the
  source consultation's proposals and supports, once per copy;
* ``grow_climate``: the climate data (SEAP measures linked to the copied
  measures, their progress, one monitoring inventory per copy).

Every row is written directly (bulk inserts, models' guards for approved
versions respected by copying into a draft first): this is test and
benchmark data, not a path users take. ``grow_version`` is the grown
version alone (a draft by default). Used by tests/test_query_scaling.py,
tests/plans/test_public_queries.py, tests/plans/test_outline_speed.py,
tests/api/test_tree_fast.py and benchmarks/ (pdf_export, workbooks, scale10,
outline, tree_json).
"""

from __future__ import annotations

import copy as copying
import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.db.models.base import ModelState
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from plans.levels import LEVELS
from plans.models import Indicator, Plan, PlanVersion, VersionStatus
from plans.numbering import version_renumber
from plans.tree_copy import copy_tree

# The models whose rows carry the keys that monitoring, proposals and climate name.
_KEYED = [level.model for level in LEVELS.values()] + [Indicator]


@dataclass
class Grown:
    """A plan whose version in force holds the source's tree ``factor`` times."""

    factor: int
    source: PlanVersion
    plan: Plan
    approved: PlanVersion
    # keys[i][source key] is the key of the i-th copy of that node or indicator.
    keys: list[dict[uuid.UUID, uuid.UUID]] = field(default_factory=list)
    draft: PlanVersion | None = None


def grow_plan(source: PlanVersion, factor: int, *, user=None) -> Grown:
    """A new plan, approved, whose version holds ``source``'s tree ``factor`` times.

    The copies follow one another (the source's priorities, then again …), each
    with the source's indicators, targets, funding lines, co-executors and
    links; the version is numbered as one tree.
    """
    plan, version, keys = _grown(source, factor, user=user, status=VersionStatus.APPROVED)
    return Grown(factor=factor, source=source, plan=plan, approved=version, keys=keys)


def grow_version(
    source: PlanVersion, factor: int, *, status: str = VersionStatus.DRAFT, user=None
) -> PlanVersion:
    """A new plan's version (a draft unless ``status`` says otherwise) holding
    ``source``'s tree ``factor`` times, as ``grow_plan`` makes it, with its plan."""
    _, version, _ = _grown(source, factor, user=user, status=status)
    return PlanVersion.objects.select_related("plan").get(pk=version.pk)


def _grown(source: PlanVersion, factor: int, *, user, status: str):
    with transaction.atomic():
        plan = Plan.objects.create(
            title=f"{source.plan.title} (×{factor}, {uuid.uuid4().hex[:6]})",
            municipality=source.plan.municipality,
            period_start=source.plan.period_start,
            period_end=source.plan.period_end,
            numbering=source.plan.numbering,
            kind=source.plan.kind,
            development_plan=source.plan.development_plan,
        )
        # Written as a draft (approved versions refuse new rows), its status set below.
        version = PlanVersion.objects.create(
            plan=plan, number=1, status=VersionStatus.DRAFT, vision=source.vision
        )
        source_keys = {m: list(_keys_in_order(m, version=source)) for m in _KEYED}
        keys: list[dict[uuid.UUID, uuid.UUID]] = []
        top = LEVELS[next(iter(LEVELS))].model
        for n in range(factor):
            last = {m: _last_id(m, version) for m in _KEYED}
            copy_tree(source, version, user, new_keys=True)
            mapping: dict[uuid.UUID, uuid.UUID] = {}
            for model in _KEYED:
                new = list(_keys_in_order(model, version=version, id__gt=last[model]))
                mapping.update(zip(source_keys[model], new, strict=True))
            keys.append(mapping)
            # Copy after copy: the priorities of copy n come after those of copy n-1.
            top.objects.filter(version=version, id__gt=last[top]).update(
                position=(n + 1) * 1000 + F("position")
            )
        version_renumber(version)
        if status != VersionStatus.DRAFT:
            PlanVersion.objects.filter(pk=version.pk).update(status=status)
            version.refresh_from_db()
    return plan, version, keys


def _keys_in_order(model, **filters):
    return model.objects.filter(**filters).order_by("id").values_list("key", flat=True)


def _last_id(model, version) -> int:
    row = model.objects.filter(version=version).order_by("-id").values_list("id", flat=True)
    return row.first() or 0


def add_draft(grown: Grown, user) -> PlanVersion:
    """The grown plan's draft: a copy of its version in force (the staff's way)."""
    from plans.services import version_create_draft

    grown.draft = version_create_draft(user=user, plan=grown.plan)
    return grown.draft


def _clone(obj, **overrides):
    """A new, unsaved row with ``obj``'s values and ``overrides`` (``obj`` is left as it is)."""
    new = copying.copy(obj)
    new._state = ModelState()
    new.__dict__.pop("_prefetched_objects_cache", None)
    new.pk = new.id = None
    for name, value in overrides.items():
        setattr(new, name, value)
    return new


def _insert(model, objs):
    """Bulk insert ``objs`` (with their first history records where the model keeps them)."""
    if hasattr(model, "history"):
        return bulk_create_with_history(objs, model, default_change_reason="grown for tests")
    return model.objects.bulk_create(objs)


def grow_monitoring(grown: Grown) -> None:
    """The source plan's monitoring, once per copy: its rounds (as they are:
    open or published), every actual value and every measure's implementation
    with the money spent, named by the copies' keys."""
    from monitoring.models import ActualValue, MeasureImplementation, MonitoringRound, SpentLine

    source_plan = grown.source.plan_id
    rounds = list(MonitoringRound.objects.filter(plan_id=source_plan).order_by("year"))
    _insert(MonitoringRound, [_clone(r, plan=grown.plan) for r in rounds])
    actuals = list(ActualValue.objects.filter(plan_id=source_plan).order_by("id"))
    implementations = list(
        MeasureImplementation.objects.filter(plan_id=source_plan)
        .prefetch_related("spent")
        .order_by("id")
    )
    spent = {i.pk: list(i.spent.all()) for i in implementations}
    for keys in grown.keys:
        _insert(
            ActualValue,
            [
                _clone(a, plan=grown.plan, indicator_key=keys[a.indicator_key])
                for a in actuals
                if a.indicator_key in keys
            ],
        )
        kept = [i for i in implementations if i.measure_key in keys]
        old_ids = [i.pk for i in kept]
        copies = _insert(
            MeasureImplementation,
            [_clone(i, plan=grown.plan, measure_key=keys[i.measure_key]) for i in kept],
        )
        _insert(
            SpentLine,
            [
                _clone(line, implementation_id=copy.pk)
                for old, copy in zip(old_ids, copies, strict=True)
                for line in spent[old]
            ],
        )


def grow_consultation(grown: Grown, source, user):
    """A consultation on the grown plan's draft holding ``source``'s proposals
    (and their supports) once per copy, each about the copy of its node.

    ``source`` is a consultation of a version of ``grown.source``'s plan;
    proposals about a node the copies do not hold (one the source's draft
    added) are about the plan as a whole here. The draft must exist
    (``add_draft``); opening the consultation moves it out of "draft".
    """
    from consultations.models import Proposal, Support
    from consultations.services import consultation_open

    now = timezone.now()
    consultation = consultation_open(
        user=user,
        version=grown.draft,
        title=source.title,
        description=source.description,
        starts_at=now - (source.ends_at - source.starts_at) / 2,
        ends_at=now + (source.ends_at - source.starts_at) / 2,
    )
    proposals = list(Proposal.objects.filter(consultation=source).order_by("public_number"))
    supports = list(Support.objects.filter(proposal__consultation=source).order_by("id"))
    number = 0
    for keys in grown.keys:
        batch = []
        for proposal in proposals:
            number += 1
            target = keys.get(proposal.target_key) if proposal.target_key else None
            batch.append(
                _clone(
                    proposal,
                    consultation=consultation,
                    public_number=number,
                    target_key=target,
                    **({} if target else {"target_level": "", "target_code": ""}),
                )
            )
        old_ids = [p.pk for p in proposals]
        created = dict(zip(old_ids, Proposal.objects.bulk_create(batch), strict=True))
        Support.objects.bulk_create(
            [
                Support(proposal=created[s.proposal_id], user_id=s.user_id)
                for s in supports
                if s.proposal_id in created
            ]
        )
    return consultation


def grow_climate(grown: Grown, *, inventory_years: range | None = None) -> None:
    """The demo's climate data ``factor`` times over, linked to the grown plan.

    Every SEAP measure linked to a measure of the source plan gets a copy per
    copy of the tree, linked to that copy's measure, with its progress. The
    inventories are the municipality's (one per kind and year): the latest
    monitoring inventory gets a copy, with its consumption, in each of
    ``inventory_years`` that has none yet (by default ``factor - 1`` years
    after it), so the overview lists ``factor`` monitoring inventories.
    """
    from climate.models import Consumption, Inventory, InventoryKind, SeapMeasure, SeapProgress

    measures = list(SeapMeasure.objects.filter(plan_id=grown.source.plan_id).order_by("id"))
    progress = list(SeapProgress.objects.filter(seap_measure__in=measures).order_by("id"))
    for keys in grown.keys:
        kept = [m for m in measures if m.measure_key in keys]
        old_ids = [m.pk for m in kept]
        copies = SeapMeasure.objects.bulk_create(
            [_clone(m, plan=grown.plan, measure_key=keys[m.measure_key]) for m in kept]
        )
        new_id = dict(zip(old_ids, (c.pk for c in copies), strict=True))
        SeapProgress.objects.bulk_create(
            [
                _clone(p, seap_measure_id=new_id[p.seap_measure_id])
                for p in progress
                if p.seap_measure_id in new_id
            ]
        )
    latest = Inventory.objects.filter(kind=InventoryKind.MONITORING).order_by("-year").first()
    if latest is None:
        return
    if inventory_years is None:
        inventory_years = range(latest.year + 1, latest.year + grown.factor)
    cells = list(Consumption.objects.filter(inventory=latest))
    taken = set(
        Inventory.objects.filter(kind=InventoryKind.MONITORING).values_list("year", flat=True)
    )
    for year in inventory_years:
        if year in taken:
            continue
        inventory = _clone(latest, year=year)
        inventory.save()
        Consumption.objects.bulk_create([_clone(c, inventory=inventory) for c in cells])
