"""The outline's text search: the nodes of a version whose own text matches,
ranked, each with the path that leads to it (docs/plans/search.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from plans.levels import LEVELS
from plans.models import Measure
from plans.search import Hit, Term, best_hits, level_hits, parse_query
from plans.selectors import TreeFilter, VersionTree, measure_passes

if TYPE_CHECKING:
    from plans.levels import AnyNode


@dataclass
class SearchResult:
    node: AnyNode
    level: str
    path: list[AnyNode]  # the ancestors, the priority first
    hit: Hit


@dataclass
class TreeSearch:
    terms: tuple[Term, ...]
    results: list[SearchResult] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """No node has every term: these are the ones with the most."""
        return bool(self.results) and self.results[0].hit.matched < len(self.terms)


def _in_order(tree: VersionTree) -> list[tuple[str, AnyNode]]:
    nodes: list[tuple[str, AnyNode]] = []
    for priority in tree.priorities:
        nodes.append(("priority", priority))
        for goal in priority.children:
            nodes.append(("goal", goal))
            for task in goal.children:
                nodes.append(("task", task))
                nodes += [("measure", measure) for measure in task.children]
    return nodes


def search_tree(tree: VersionTree, flt: TreeFilter) -> TreeSearch:
    """The nodes of ``tree`` that match ``flt.q`` on their own text, best first.

    With a unit, source or year filter, a measure is listed only if it passes
    them and a priority, goal or task only if a measure under it does. One
    query per level; ``tree`` must be a whole ``version_tree`` (not filtered).
    """
    terms = parse_query(flt.q.strip())
    search = TreeSearch(terms=terms)
    if not terms:
        return search

    nodes = _in_order(tree)
    allowed: set[tuple[str, int]] | None = None
    if flt.structural:
        allowed = set()
        for level, node in nodes:
            if isinstance(node, Measure) and measure_passes(node, flt):
                ancestor: AnyNode | None = node
                ancestor_level: str | None = level
                while ancestor is not None and ancestor_level is not None:
                    allowed.add((ancestor_level, ancestor.id))
                    ancestor = getattr(ancestor, "parent_node", None)
                    parent = LEVELS[ancestor_level].parent
                    ancestor_level = parent.name if parent else None

    hits: dict[tuple[str, int], Hit] = {}
    for name, level in LEVELS.items():
        for hit in level_hits(name, level.model.objects.filter(version=tree.version), terms):
            hits[name, hit.node_id] = hit
    # Ties keep the outline's order, so the tree order is what goes in.
    in_tree = [
        (hits[level, node.id], level, node)
        for level, node in nodes
        if (level, node.id) in hits and (allowed is None or (level, node.id) in allowed)
    ]
    by_hit = {id(hit): (level, node) for hit, level, node in in_tree}
    for hit in best_hits((hit for hit, _, _ in in_tree), terms, partial=True):
        level, node = by_hit[id(hit)]
        path: list[AnyNode] = []
        parent = getattr(node, "parent_node", None)
        while parent is not None:
            path.insert(0, parent)
            parent = getattr(parent, "parent_node", None)
        search.results.append(SearchResult(node=node, level=level, path=path, hit=hit))
    return search
