"""What a draft under consultation changes in the version in force.

A resident reading an amendment draft wants to know what would change, not
to compare 150 items by eye. When the plan has a version in force, the
consultation's outline marks each item of the draft as added or changed
against it and lists the items the draft removes, with a link to the full
comparison page. The comparison is plans' own engine (``plans.diff``), so
the marks always agree with that page; this module only reads, in a fixed
number of queries (the version in force, then both trees) however large the
plan is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse

from plans.diff import NodeEntry, diff_trees
from plans.models import PlanVersion, VersionStatus
from plans.selectors import version_tree

if TYPE_CHECKING:
    from plans.selectors import VersionTree

ADDED = "added"
CHANGED = "changed"
REMOVED = "removed"


@dataclass
class DraftChanges:
    """The draft against the version in force, by node key (a string)."""

    draft: PlanVersion
    against: PlanVersion
    # Items of the draft: "added" or "changed"; the rest are as in force.
    marks: dict[str, str]
    # Items of the version in force that the draft no longer has, in its order.
    removed: list[NodeEntry]
    # For each item of the draft, how many marked or removed items lie under
    # it, so that a collapsed item says that it holds changes.
    inside: Counter[str] = field(default_factory=Counter)

    @property
    def counts(self) -> dict[str, int]:
        marks = Counter(self.marks.values())
        return {ADDED: marks[ADDED], CHANGED: marks[CHANGED], REMOVED: len(self.removed)}

    @property
    def is_empty(self) -> bool:
        return not (self.marks or self.removed)

    @property
    def compare_url(self) -> str:
        """The comparison page of the draft against the version in force."""
        return reverse("plans:compare", args=[self.draft.pk]) + f"?against={self.against.pk}"


def draft_changes(version: PlanVersion) -> DraftChanges | None:
    """How ``version``, a draft under public consultation, differs from its
    plan's version in force; None when it is not under consultation or the
    plan has no version in force (the draft then amends nothing)."""
    if version.status != VersionStatus.CONSULTATION:
        return None
    against = PlanVersion.objects.in_force_for(version.plan_id)
    if against is None:
        return None
    this_tree, other_tree = version_tree(version), version_tree(against)
    diff = diff_trees(this_tree, other_tree)
    marks = {entry.key: ADDED for entry in diff.added}
    # A code that changed only because a sibling came or went before the item
    # is not a change of the item: the comparison page lists those apart.
    marks.update({change.key: CHANGED for change in diff.changed if change.fields != ["code"]})
    changes = DraftChanges(draft=version, against=against, marks=marks, removed=diff.removed)
    draft_parents, old_parents = _parents(this_tree), _parents(other_tree)
    for key in marks:
        _count_up(changes.inside, draft_parents, draft_parents[key])
    for entry in diff.removed:
        # Counted under its nearest ancestor that the draft still has.
        parent = old_parents[entry.key]
        while parent is not None and parent not in draft_parents:
            parent = old_parents[parent]
        _count_up(changes.inside, draft_parents, parent)
    return changes


def _parents(tree: VersionTree) -> dict[str, str | None]:
    """Each node's key with its parent's key (None for a top-level item)."""
    parents: dict[str, str | None] = {}

    def walk(nodes, parent):
        for node in nodes:
            parents[str(node.key)] = parent
            walk(getattr(node, "children", []), str(node.key))

    walk(tree.priorities, None)
    return parents


def _count_up(inside: Counter[str], parents: dict[str, str | None], key: str | None) -> None:
    while key is not None:
        inside[key] += 1
        key = parents[key]


def mark_outline(tree: VersionTree, changes: DraftChanges | None) -> None:
    """Set ``change`` ("added", "changed" or "") and ``changes_inside`` on
    each node of the consultation's outline."""
    for node in tree.iter_nodes():
        key = str(node.key)
        # Annotations for the outline's template, like the tree's own.
        node.change = changes.marks.get(key, "") if changes else ""  # type: ignore[union-attr]
        node.changes_inside = changes.inside.get(key, 0) if changes else 0  # type: ignore[union-attr]
