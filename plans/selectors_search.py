"""The outline's text search: the nodes of a version whose own text matches,
ranked, each with the path that leads to it (docs/plans/search.md).

A search runs on a ``SearchIndex`` of the version: every node's code, title and
words already folded and stemmed, in the outline's order, with what the result
list shows of it and what the unit, source and year filters test, as plain
values. Loading the whole tree with its details (units, funding, indicators)
and stemming every text took nearly all of a search request's time (about
80 ms for the demo); an approved or superseded version never changes, so its
index is built once and kept (``version_search_index``) and a query only stems
its own words and compares sets. A draft's index is built afresh on every
request, so an edit is found at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from plans.levels import LEVELS
from plans.models import Measure, PlanVersion
from plans.search import (
    Hit,
    Term,
    TextIndex,
    indexed_lexemes,
    indexed_ranks,
    parse_query,
    query_needs,
    wanted_hits,
)
from plans.selectors import TreeFilter, VersionTree, measure_passes, tree_facets, version_tree


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit as the result list and the filter form show it."""

    id: int
    name: str

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A funding source as the filter form offers it."""

    id: int
    code: str
    name: str

    @property
    def pk(self) -> int:
        return self.id


@dataclass(frozen=True, slots=True)
class FundingRef:
    """What the source and year filters test of a funding line."""

    year: int
    source_id: int


@dataclass(frozen=True, slots=True)
class SearchNode:
    """A node as the search matches and lists it: plain values only, so that an
    index pickles small and fast. The measure fields carry the names that
    ``selectors.measure_passes`` and the result list (outline.html) read of a
    ``Measure``; other levels leave them empty."""

    level: str
    pk: int
    code: str
    title: str
    parent: SearchNode | None
    responsible_unit: UnitRef | None = None
    responsible_unit_id: int | None = None
    co_executor_list: tuple[UnitRef, ...] = ()
    funding_list: tuple[FundingRef, ...] = ()
    funding_total: Decimal = Decimal("0")
    start_year: int | None = None
    end_year: int | None = None

    @property
    def id(self) -> int:
        return self.pk

    @property
    def path(self) -> list[SearchNode]:
        """The ancestors, the priority first."""
        path: list[SearchNode] = []
        parent = self.parent
        while parent is not None:
            path.insert(0, parent)
            parent = parent.parent
        return path


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """Everything a search of one version reads: its nodes in the outline's
    order, their texts indexed (``TextIndex``, by position in ``nodes``), the
    filter form's choices (``selectors.tree_facets``) and each listed node's
    HTML once rendered (``fragments``, by position: the same for every query,
    so a kept index renders each node once, not on every search)."""

    nodes: tuple[SearchNode, ...]
    text: TextIndex
    facets: dict
    fragments: dict[int, SafeString] = field(default_factory=dict, compare=False)


@dataclass
class SearchResult:
    node: SearchNode
    level: str
    path: list[SearchNode]  # the ancestors, the priority first
    hit: Hit
    html: SafeString = mark_safe("")  # what the list shows of the node but the hit


@dataclass
class TreeSearch:
    terms: tuple[Term, ...]
    results: list[SearchResult] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """No node has every term: these are the ones with the most."""
        return bool(self.results) and self.results[0].hit.matched < len(self.terms)


# --- Building an index ----------------------------------------------------------------


def build_search_index(tree: VersionTree) -> SearchIndex:
    """The index of a whole ``version_tree`` (not filtered): no query on SQLite,
    one per level on PostgreSQL (its lexemes of every title and description)."""
    version = tree.version
    lexemes: dict[str, dict] = {}
    if connections[PlanVersion.objects.db].vendor == "postgresql":
        lexemes = {
            name: indexed_lexemes(level.model.objects.filter(version=version))
            for name, level in LEVELS.items()
        }

    def unit(value) -> UnitRef | None:
        return UnitRef(value.id, value.name) if value is not None else None

    texts: list[tuple] = []

    def indexed(level: str, node, parent: SearchNode | None) -> SearchNode:
        own = lexemes[level].get(node.id, ([], [])) if level in lexemes else None
        texts.append((node.code, node.title, node.description, own))
        common = {
            "level": level,
            "pk": node.pk,
            "code": node.code,
            "title": node.title,
            "parent": parent,
        }
        if not isinstance(node, Measure):
            return SearchNode(**common)
        return SearchNode(
            **common,
            responsible_unit=unit(node.responsible_unit),
            responsible_unit_id=node.responsible_unit_id,
            co_executor_list=tuple(UnitRef(u.id, u.name) for u in node.co_executor_list),
            funding_list=tuple(FundingRef(f.year, f.source_id) for f in node.funding_list),
            funding_total=node.funding_total,
            start_year=node.start_year,
            end_year=node.end_year,
        )

    nodes: list[SearchNode] = []
    for priority in tree.priorities:
        p = indexed("priority", priority, None)
        nodes.append(p)
        for goal in priority.children:
            g = indexed("goal", goal, p)
            nodes.append(g)
            for task in goal.children:
                t = indexed("task", task, g)
                nodes.append(t)
                nodes += [indexed("measure", measure, t) for measure in task.children]
    facets = tree_facets(tree)
    return SearchIndex(
        nodes=tuple(nodes),
        text=TextIndex.build(texts),
        facets={
            "units": [UnitRef(u.id, u.name) for u in facets["units"]],
            "sources": [SourceRef(s.id, s.code, s.name) for s in facets["sources"]],
            "years": list(facets["years"]),
        },
    )


# An immutable version's index, per process, in front of the shared cache: a
# hit then costs no unpickling (a tenfold plan's index takes milliseconds to
# unpickle). The key names the version's id, creation time, status, language
# and release, so an entry can never be wrong, only unused; few are kept.
_MEMO: OrderedDict[str, SearchIndex] = OrderedDict()
_MEMO_SIZE = 8
_MEMO_LOCK = threading.Lock()


def forget_search_indexes() -> None:
    """Drop the indexes this process keeps (benchmarks and tests measuring a
    first search; the shared cache is cleared apart)."""
    with _MEMO_LOCK:
        _MEMO.clear()


def version_search_index(version: PlanVersion, *, cache_key: str | None) -> SearchIndex:
    """The search index of ``version``: with a ``cache_key`` (the caller's, for an
    approved or superseded version only) built once and kept; without, built
    from the database now, as a draft needs."""
    if cache_key is None:
        return build_search_index(version_tree(version))
    with _MEMO_LOCK:
        index = _MEMO.get(cache_key)
        if index is not None:
            _MEMO.move_to_end(cache_key)
            return index
    index = cache.get(cache_key)
    if index is None:
        index = build_search_index(version_tree(version))
        cache.set(cache_key, index, settings.PAGE_CACHE_SECONDS)
    with _MEMO_LOCK:
        _MEMO[cache_key] = index
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)
    return index


# --- Searching an index ---------------------------------------------------------------


def search_index(index: SearchIndex, flt: TreeFilter, version: PlanVersion) -> TreeSearch:
    """The nodes of ``index`` that match ``flt.q`` on their own text, best first.

    With a unit, source or year filter, a measure is listed only if it passes
    them and a priority, goal or task only if a measure under it does. No
    query on SQLite; on PostgreSQL one for the query's lexemes and one per
    level with results for their rank.
    """
    terms = parse_query(flt.q.strip())
    search = TreeSearch(terms=terms)
    if not terms:
        return search

    allowed: set[int] | None = None
    if flt.structural:
        positions = {id(node): position for position, node in enumerate(index.nodes)}
        allowed = set()
        for node in index.nodes:
            if node.level == "measure" and measure_passes(node, flt):  # type: ignore[arg-type]
                ancestor: SearchNode | None = node
                while ancestor is not None:
                    allowed.add(positions[id(ancestor)])
                    ancestor = ancestor.parent

    needs = query_needs(terms, using=PlanVersion.objects.db)
    # Ties keep the outline's order: the index's positions are that order.
    hits: list[Hit] = []
    at: dict[int, int] = {}
    for position, matched, in_title, named in index.text.matches(terms, needs):
        if allowed is not None and position not in allowed:
            continue
        node = index.nodes[position]
        hit = Hit(node.level, node.pk, matched, in_title, named)
        at[id(hit)] = position
        hits.append(hit)
    shown = wanted_hits(hits, terms, partial=True)
    ids: dict[str, list[int]] = {}
    # Only PostgreSQL ranks (SQLite's rank is 0): no queryset to build there.
    if connections[PlanVersion.objects.db].vendor == "postgresql":
        for hit in shown:
            ids.setdefault(hit.level, []).append(hit.node_id)
    ranks = indexed_ranks(
        {level: LEVELS[level].model.objects.filter(id__in=pks) for level, pks in ids.items()},
        terms,
    )
    ranked = [
        (replace(hit, rank=ranks.get((hit.level, hit.node_id), 0.0)), at[id(hit)]) for hit in shown
    ]
    ranked.sort(key=lambda pair: pair[0].sort_key)
    for hit, position in ranked:
        node = index.nodes[position]
        result = SearchResult(node=node, level=node.level, path=node.path, hit=hit)
        result.html = index.fragments.get(position) or _fragment(index, position, result, version)
        search.results.append(result)
    return search


def _fragment(index: SearchIndex, position: int, result: SearchResult, version) -> SafeString:
    html = mark_safe(
        render_to_string(
            "plans/includes/search_result.html", {"version": version, "result": result}
        ).strip()
    )
    index.fragments[position] = html
    return html


def search_version(
    version: PlanVersion, flt: TreeFilter, *, cache_key: str | None
) -> tuple[TreeSearch, dict]:
    """The results of ``flt`` in ``version`` and the filter form's choices
    (``version_search_index`` says when the index is kept)."""
    index = version_search_index(version, cache_key=cache_key)
    return search_index(index, flt, version), index.facets


def search_tree(tree: VersionTree, flt: TreeFilter) -> TreeSearch:
    """The nodes of ``tree`` that match ``flt.q``, best first (``search_index``);
    ``tree`` must be a whole ``version_tree`` (not filtered)."""
    if not parse_query(flt.q.strip()):
        return TreeSearch(terms=())
    return search_index(build_search_index(tree), flt, tree.version)
