"""The tree's nodes: adding, changing, moving and deleting priorities, goals,
tasks and measures (with a measure's funding, co-executors and links).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from planportal.errors import Refusal
from plans.levels import LEVELS, Level
from plans.links import check_measure_fields, replace_links
from plans.models import (
    Measure,
    Node,
    PlanVersion,
    Unit,
)
from plans.numbering import version_renumber

from .common import NodeT, expect_revision, lock_editable_version, require_staff
from .funding import check_saved_funding, clean_funding, funding_period, replace_funding

if TYPE_CHECKING:
    from planportal.roles import AnyUser
    from plans.levels import AnyNode


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


class MoveRefused(Refusal):
    """A move to a place the tree cannot have: another version, a parent of
    the wrong level, a position before the first."""

    code = "invalid_move"


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


def near_period(year: int, version: PlanVersion) -> bool:
    # Measures and their money may run a little before or after the years
    # the version covers (preparation, final payments), but not decades away.
    # The version's own years, not the plan's: an action plan's window moves
    # forward a year with every yearly update.
    return version.first_year - 10 <= year <= version.last_year + 10


def validate_measure(fields: Mapping, version: PlanVersion) -> None:
    errors = {}
    start, end = fields.get("start_year"), fields.get("end_year")
    if start and end and end < start:
        errors["end_year"] = _("The end year cannot be before the start year.")
    for name in ("start_year", "end_year"):
        year = fields.get(name)
        if year and not near_period(year, version):
            errors[name] = _("The year must be near the plan's period (%(start)s–%(end)s).") % {
                "start": version.first_year,
                "end": version.last_year,
            }
    if errors:
        raise ValidationError(errors)


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
        validate_measure(fields, version)
    period = funding_period(version, fields.get("start_year"), fields.get("end_year"))
    cleaned_funding = clean_funding(funding, period) if funding is not None else None
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
            replace_funding(node, cleaned_funding)
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
    version; a move without ``position`` to another parent goes last. A
    move that the tree cannot take is refused with ``MoveRefused``.
    ``funding`` (a measure's lines of ``year``, ``source``,
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
    expect_revision(current, expected_revision)

    _clean_title(fields, required=False)
    cleaned_links = None
    cleaned_funding = None
    if isinstance(current, Measure):  # level.name == "measure"
        cleaned_links = check_measure_fields(
            version.plan, fields, co_executors, funding, implements, current=current
        )
        merged = {
            **{name: getattr(current, name) for name in ("start_year", "end_year")},
            **fields,
        }
        validate_measure(merged, version)
        period = funding_period(version, merged["start_year"], merged["end_year"])
        if funding is not None:
            cleaned_funding = clean_funding(funding, period)
        elif {"start_year", "end_year"} & fields.keys():
            check_saved_funding(current, period, fields.keys())
    elif funding is not None:
        raise ValidationError({"funding": _("Only measures have funding.")})
    new_parent = None
    if parent is not None and parent.pk != getattr(current, f"{level.parent_field}_id"):
        if level.is_top:
            raise MoveRefused({"version": _("A priority cannot move to another version.")})
        # Not the top level (refused above), so there is a level above.
        if not level.parent.of(parent) or parent.version_id != version.pk:  # type: ignore[union-attr]
            raise MoveRefused(
                {level.parent_field: _("A node can only move within its own version.")}
            )
        new_parent = parent
    if position is not None and position < 1:
        raise MoveRefused({"position": _("Positions are counted from 1.")})

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
            replace_funding(current, cleaned_funding)
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
    expect_revision(current, expected_revision)
    level.model.objects.filter(pk=current.pk).delete()
    version_renumber(version)
