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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import roles
from planportal.errors import Conflict
from planportal.years import is_valid_year
from plans.kinds import PlanKind, get_kind
from plans.levels import LEVELS, Level
from plans.links import check_measure_fields, replace_links
from plans.models import (
    FundingLine,
    Indicator,
    IndicatorTarget,
    Measure,
    Node,
    Plan,
    PlanVersion,
    Unit,
    VersionStatus,
)
from plans.numbering import version_renumber
from plans.tree_copy import CopyReport, copy_tree

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser
    from plans.levels import AnyNode

    # What a stale-revision check compares: anything with a ``revision``.
    Revised: TypeAlias = PlanVersion | Node | Indicator

# ``node_save`` and its shorthands return a node of the model they were given.
NodeT = TypeVar("NodeT", bound=Node)


class ConflictError(Conflict):
    """Someone else saved the object after this user opened it.

    ``current`` is the object as it is now, so the user can compare it with
    what they typed (which the caller keeps) and decide.
    """

    code = "stale_revision"

    def __init__(self, current: Revised) -> None:
        super().__init__(_("Someone else changed this item after you opened it."))
        self.current = current

    def details(self) -> dict:
        return {"current_revision": getattr(self.current, "revision", None)}


# The one staff guard (planportal.roles), worded for the plan editor.
require_staff = partial(
    roles.require_staff, message=gettext_lazy("Only administration staff can change plans.")
)


def lock_editable_version(version_id: int) -> PlanVersion:
    """Lock the version row (and its plan's) for the rest of the transaction
    and check that it is a draft."""
    version = PlanVersion.objects.locked(version_id)
    version.ensure_editable()
    return version


def _expect_revision(current: Revised, expected_revision: int | None) -> None:
    """Refuse a change based on an older state of ``current`` (None: no check)."""
    if expected_revision is not None and current.revision != expected_revision:
        raise ConflictError(current)


# --- Versions ------------------------------------------------------------------


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
    _expect_revision(locked, revision)
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
    _expect_revision(locked, expected_revision)
    locked.delete()


# --- Nodes ----------------------------------------------------------------------

# The fields of each level that ``node_create`` and ``node_save`` set from
# ``fields``; a node's place (parent, position) and funding have arguments of
# their own, and its code, key and revision are the services' business.
NODE_FIELDS = {
    **{name: frozenset({"title", "description"}) for name in LEVELS},
    "measure": frozenset(
        {
            "title",
            "description",
            "kind",
            "responsible_unit",
            "appropriation_manager",
            "start_year",
            "end_year",
        }
    ),
}
# What full_clean() must leave alone: the structure, set by the services.
STRUCTURE_FIELDS = list(
    dict.fromkeys(["code", "key", "version", *(lvl.parent_field for lvl in LEVELS.values())])
)


def _siblings(level: Level, parent: PlanVersion | Node) -> QuerySet[AnyNode]:
    """The nodes of ``level`` under ``parent`` (the version, for priorities)."""
    return level.model.objects.filter(**{level.parent_field: parent})


def _check_fields(level: Level, fields: Mapping) -> None:
    unknown = set(fields) - NODE_FIELDS[level.name]
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _clean_title(fields: dict, *, required: bool) -> None:
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise ValidationError({"title": _("A title is required.")})
        fields["title"] = title
    elif required:
        raise ValidationError({"title": _("A title is required.")})


def _near_period(year: int, version: PlanVersion) -> bool:
    # Measures and their money may run a little before or after the years
    # the version covers (preparation, final payments), but not decades away.
    # The version's own years, not the plan's: an action plan's window moves
    # forward a year with every yearly update.
    return version.first_year - 10 <= year <= version.last_year + 10


def _validate_measure(fields: Mapping, version: PlanVersion) -> None:
    errors = {}
    start, end = fields.get("start_year"), fields.get("end_year")
    if start and end and end < start:
        errors["end_year"] = _("The end year cannot be before the start year.")
    for name in ("start_year", "end_year"):
        year = fields.get(name)
        if year and not _near_period(year, version):
            errors[name] = _("The year must be near the plan's period (%(start)s–%(end)s).") % {
                "start": version.first_year,
                "end": version.last_year,
            }
    if errors:
        raise ValidationError(errors)


def _clean_funding(
    lines: Iterable[Mapping], version: PlanVersion
) -> list[tuple[int, int, Decimal]]:
    """(year, source id, amount) of each line, or ValidationError under ``funding``.

    Lines of the same year and source are refused rather than summed, since
    the user probably meant to type another year or source.
    """
    seen, cleaned = set(), []
    for line in lines:
        year, source, amount = int(line["year"]), line["source"], Decimal(str(line["amount"]))
        source_id = getattr(source, "pk", source)
        if (year, source_id) in seen:
            raise ValidationError(
                {"funding": _("Year %(year)s has the same source twice.") % {"year": year}}
            )
        if amount < 0:
            raise ValidationError({"funding": _("An amount cannot be negative.")})
        if not _near_period(year, version):
            raise ValidationError(
                {"funding": _("%(year)s is outside the plan's period.") % {"year": year}}
            )
        seen.add((year, source_id))
        cleaned.append((year, source_id, amount))
    return cleaned


def _replace_funding(measure: Measure, cleaned: list[tuple[int, int, Decimal]]) -> None:
    # Line by line rather than delete-and-insert, so that the audit trail
    # records which amount changed from what to what.
    existing = {(f.year, f.source_id): f for f in FundingLine.objects.filter(measure=measure)}
    for year, source_id, amount in cleaned:
        old = existing.pop((year, source_id), None)
        if old is None:
            FundingLine(measure=measure, year=year, source_id=source_id, amount=amount).save()
        elif old.amount != amount:
            old.amount = amount
            old.save()
    for stale in existing.values():
        stale.delete()


def _place(
    level: Level, node: AnyNode, parent: PlanVersion | Node, position: int | None
) -> list[AnyNode]:
    """Put ``node`` (not yet saved in its new place) at ``position`` (1-based,
    None or past the end: last) among the children of ``parent``; returns the
    other siblings whose position changed."""
    siblings = list(_siblings(level, parent).exclude(pk=node.pk).order_by("position", "id"))
    position = len(siblings) + 1 if position is None else min(max(position, 1), len(siblings) + 1)
    siblings.insert(position - 1, node)
    shifted = []
    for index, sibling in enumerate(siblings, start=1):
        if sibling.position != index and sibling is not node:
            shifted.append(sibling)
        sibling.position = index
    return shifted


@transaction.atomic
def node_create(
    *,
    user: AnyUser,
    level: str,
    parent: PlanVersion | Node,
    position: int | None = None,
    co_executors: Iterable[Unit | int] | None = None,
    funding: Iterable[Mapping] | None = None,
    implements: Iterable[str] | None = None,
    **fields: Any,
) -> AnyNode:
    """Add a node of ``level`` under ``parent`` (a version for a priority) and renumber.

    Preconditions: ``user`` is staff; the version is a draft; ``fields`` are
    the level's own (``NODE_FIELDS``) and hold a title. The node goes after
    its siblings unless ``position`` (1-based) is given. A measure may come
    with its ``co_executors``, ``funding`` (lines of ``year``, ``source``,
    ``amount``) and, in an action plan, the keys of the development plan's
    goals and tasks it ``implements``; a field the plan's kind does not use
    is refused. Nothing is written unless all of it is valid.
    """
    require_staff(user)
    info = LEVELS[level]
    # Below the top level the parent is a node, which mypy cannot tell from ``is_top``.
    version = lock_editable_version(parent.pk if info.is_top else parent.version_id)  # type: ignore[union-attr]
    _check_fields(info, fields)
    _clean_title(fields, required=True)
    cleaned_links = None
    if info.name == "measure":
        cleaned_links = check_measure_fields(
            version.plan, fields, co_executors, funding, implements
        )
        _validate_measure(fields, version)
    cleaned_funding = _clean_funding(funding, version) if funding is not None else None
    siblings = _siblings(info, parent)
    count = siblings.count()
    if position is None or position > count:
        position = count + 1
    else:
        position = max(position, 1)
        siblings.filter(position__gte=position).update(position=F("position") + 1)
    place = {"version": version, info.parent_field: parent}  # a priority's parent is the version
    node = info.model(position=position, **place, **fields)
    node.full_clean(exclude=STRUCTURE_FIELDS)
    node.save()
    if isinstance(node, Measure):  # info.name == "measure"
        if co_executors is not None:
            node.co_executors.set(co_executors)
        if cleaned_funding is not None:
            _replace_funding(node, cleaned_funding)
        if cleaned_links is not None:
            replace_links(node, cleaned_links)
    version_renumber(version)
    node.refresh_from_db()
    return node


@transaction.atomic
def node_save(
    *,
    user: AnyUser,
    node: NodeT,
    expected_revision: int | None,
    fields: Mapping | None = None,
    parent: Node | None = None,
    position: int | None = None,
    funding: Iterable[Mapping] | None = None,
) -> NodeT:
    """Change a node in one go: its fields, its place and (a measure's) funding.

    Preconditions: ``user`` is staff; the node's version is a draft;
    ``expected_revision`` is the node's current revision, else
    ``ConflictError`` carries the current node and nothing is written (None
    means "whatever is there now": an API client without If-Match, the
    admin). ``fields`` are the level's own (``NODE_FIELDS``; a measure's
    ``co_executors`` and ``implements`` too). A ``parent`` of the level above in the same
    version, or a ``position`` (1-based among the siblings; past the end:
    last) other than the current one, moves the node and renumbers the
    version. ``funding`` (a measure's lines of ``year``, ``source``,
    ``amount``) replaces all its lines. Everything is checked before
    anything is written; the node's revision goes up by one.
    """
    require_staff(user)
    level = node.tree_level
    version = lock_editable_version(node.version_id)
    fields = dict(fields or {})
    co_executors = fields.pop("co_executors", None) if level.name == "measure" else None
    implements = fields.pop("implements", None) if level.name == "measure" else None
    _check_fields(level, fields)
    current = level.model.objects.select_for_update().get(pk=node.pk)
    _expect_revision(current, expected_revision)

    _clean_title(fields, required=False)
    cleaned_links = None
    if isinstance(current, Measure):  # level.name == "measure"
        cleaned_links = check_measure_fields(
            version.plan, fields, co_executors, funding, implements, current=current
        )
        merged = {name: getattr(current, name) for name in ("start_year", "end_year")}
        _validate_measure({**merged, **fields}, version)
    if funding is not None and level.name != "measure":
        raise ValidationError({"funding": _("Only measures have funding.")})
    cleaned_funding = _clean_funding(funding, version) if funding is not None else None
    new_parent = None
    if parent is not None and parent.pk != getattr(current, f"{level.parent_field}_id"):
        if level.is_top:
            raise ValidationError({"version": _("A priority cannot move to another version.")})
        # Not the top level (refused above), so there is a level above.
        if not level.parent.of(parent) or parent.version_id != version.pk:  # type: ignore[union-attr]
            raise ValidationError(
                {level.parent_field: _("A node can only move within its own version.")}
            )
        new_parent = parent

    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=STRUCTURE_FIELDS)
    moved = new_parent is not None or (position is not None and position != current.position)
    shifted = []
    if moved:
        if new_parent is not None:
            setattr(current, level.parent_field, new_parent)
        shifted = _place(level, current, getattr(current, level.parent_field), position)
    current.revision += 1
    current.save()
    if shifted:
        # The siblings are rows of ``level.model`` too: mypy pairs each model
        # of the union with the list of any of them.
        level.model.objects.bulk_update(shifted, ["position"])  # type: ignore[arg-type]
    if isinstance(current, Measure):  # only a measure has co-executors and funding (see above)
        if co_executors is not None:
            current.co_executors.set(co_executors)
        if cleaned_funding is not None:
            _replace_funding(current, cleaned_funding)
        if cleaned_links is not None:
            replace_links(current, cleaned_links)
    if moved:
        version_renumber(version)
        current.refresh_from_db()
    # The row of ``node``'s own model (``level`` is ``node.tree_level``), which
    # mypy cannot follow through the level registry.
    return current  # type: ignore[return-value]


def node_update(
    *,
    user: AnyUser,
    node: NodeT,
    revision: int | None = None,
    co_executors: Iterable[Unit | int] | None = None,
    **fields: Any,
) -> NodeT:
    """``node_save`` of fields only (the shape older callers use)."""
    if co_executors is not None:
        fields["co_executors"] = co_executors
    return node_save(user=user, node=node, expected_revision=revision, fields=fields)


def node_move(*, user: AnyUser, node: NodeT, position: int, parent: Node | None = None) -> NodeT:
    """``node_save`` of the place only: ``position`` among the siblings under
    ``parent`` (by default the current one)."""
    return node_save(user=user, node=node, expected_revision=None, parent=parent, position=position)


def measure_set_funding(
    *, user: AnyUser, measure: Measure, lines: Iterable[Mapping], revision: int | None = None
) -> Measure:
    """``node_save`` of a measure's funding only: ``lines`` replace all its lines."""
    return node_save(user=user, node=measure, expected_revision=revision, funding=lines)


@transaction.atomic
def node_delete(*, user: AnyUser, node: Node, expected_revision: int | None = None) -> None:
    """Delete a node with everything under it, and renumber its siblings.

    Preconditions: ``user`` is staff; the version is a draft; when given,
    ``expected_revision`` is the node's current revision (checked by reading
    under the locks: a refused delete writes nothing).
    """
    require_staff(user)
    level = node.tree_level
    version = lock_editable_version(node.version_id)
    current = level.model.objects.select_for_update().filter(pk=node.pk).first()
    if current is None:
        return  # Already gone: the outcome the user wanted.
    _expect_revision(current, expected_revision)
    level.model.objects.filter(pk=current.pk).delete()
    version_renumber(version)


# --- Indicators -------------------------------------------------------------------

# The fields of an indicator that ``indicator_save`` sets from ``fields``; its
# owner and version are where it was created (nothing moves between versions),
# its key, position and revision the services' business.
INDICATOR_FIELDS = frozenset(
    {
        "kind",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "data_source",
        "direction",
        # The rest of the description card (docs/planning-law.md).
        "code",
        "definition",
        "calculation_method",
        "frequency",
        "responsible_body",
        "remarks",
    }
)


def _clean_targets(targets: Iterable[Mapping] | None) -> list[tuple[int, Decimal]]:
    cleaned = {}
    for item in targets or []:
        year, value = int(item["year"]), Decimal(str(item["value"]))
        if year in cleaned:
            raise ValidationError({"targets": _("Year %(year)s appears twice.") % {"year": year}})
        if not is_valid_year(year):
            raise ValidationError({"targets": _("%(year)s is not a valid year.") % {"year": year}})
        cleaned[year] = value
    return sorted(cleaned.items())


@transaction.atomic
def indicator_save(
    *,
    user: AnyUser,
    owner: Node | None = None,
    indicator: Indicator | None = None,
    revision: int | None = None,
    targets: Iterable[Mapping] | None = None,
    **fields: Any,
) -> Indicator:
    """Create an indicator on ``owner`` or change ``indicator``.

    Preconditions: ``user`` is staff; the version is a draft; ``owner`` is a
    goal, task or measure; ``fields`` are the indicator's own
    (``INDICATOR_FIELDS``: an indicator never changes its owner); for a
    change, ``revision`` (when given) is the indicator's current one (else
    ``ConflictError``, nothing written). ``targets`` (a list of
    ``{"year", "value"}``), when given, replaces the yearly targets.
    """
    require_staff(user)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    # ``owner`` is given when ``indicator`` is not (the precondition above).
    version_id = indicator.version_id if indicator else owner.version_id  # type: ignore[union-attr]
    version = lock_editable_version(version_id)
    kind = version.plan.kind_spec
    cleaned_targets = _clean_targets(targets) if targets is not None else None
    if indicator is None:
        level = owner.tree_level  # type: ignore[union-attr]  # given without an indicator
        if not level.has_indicators or not kind.level(level).has_indicators:
            raise ValidationError(
                _("%(level)s of this kind of plan have no indicators.")
                % {"level": kind.level(level).plural_label}
            )
        fields.setdefault("kind", kind.level(level).default_indicator_kind)
        position = Indicator.objects.filter(**{level.name: owner}).count() + 1
        indicator = Indicator(
            version_id=version_id, position=position, **{level.name: owner}, **fields
        )
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        _expect_revision(indicator, revision)
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.revision += 1
    kind.refuse_indicator_kind(indicator.owner_level, indicator.kind)
    indicator.full_clean(exclude=["key", "version", "goal", "task", "measure"])
    indicator.save()
    if cleaned_targets is not None:
        existing = {t.year: t for t in IndicatorTarget.objects.filter(indicator=indicator)}
        for year, value in cleaned_targets:
            target = existing.pop(year, None)
            if target is None:
                IndicatorTarget(indicator=indicator, year=year, value=value).save()
            elif target.value != value:
                target.value = value
                target.save()
        for stale in existing.values():
            stale.delete()
    return indicator


@transaction.atomic
def indicator_delete(
    *, user: AnyUser, indicator: Indicator, expected_revision: int | None = None
) -> None:
    """Delete an indicator with its targets.

    Preconditions: ``user`` is staff; the version is a draft; when given,
    ``expected_revision`` is the indicator's current revision (checked by
    reading under the locks: a refused delete writes nothing).
    """
    require_staff(user)
    lock_editable_version(indicator.version_id)
    current = Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if current is None:
        return
    _expect_revision(current, expected_revision)
    Indicator.objects.filter(pk=current.pk).delete()
