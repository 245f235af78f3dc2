"""Comparing two loaded trees: nodes and indicators matched by ``key``, funding by
(year, source code)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from plans.levels import LEVEL_NAMES, LEVELS

from .results import (
    ZERO,
    FieldChange,
    FundingChange,
    FundingOverall,
    FundingTotal,
    IndicatorChange,
    NodeChange,
    NodeEntry,
    TargetChange,
    VersionDiff,
)
from .words import Segment, word_diff

# Texts long enough to be compared word by word rather than as a whole.
WORDED_FIELDS = frozenset(
    {"title", "description", "name", "data_source", "definition", "calculation_method", "remarks"}
)
# An indicator's texts: its name and the description card's (order 1K-275).
INDICATOR_TEXT_FIELDS = (
    "code",
    "name",
    "unit",
    "definition",
    "calculation_method",
    "data_source",
    "frequency",
    "responsible_body",
    "remarks",
)


def _nodes_by_key(tree) -> dict:
    """Every node of the tree by key (in tree order), with ``level`` and
    ``parent_key`` set."""
    nodes = {}

    def walk(children, level_index, parent_key):
        level = LEVEL_NAMES[level_index]
        for node in children:
            node.level = level
            node.parent_key = parent_key
            nodes[str(node.key)] = node
            if level_index + 1 < len(LEVEL_NAMES):
                walk(node.children, level_index + 1, str(node.key))

    walk(tree.priorities, 0, None)
    return nodes


def _entry(node) -> NodeEntry:
    return NodeEntry(
        key=str(node.key), level=node.level, code=node.code, title=node.title, node=node
    )


def _text_change(name, old, new) -> FieldChange | None:
    if (old or "") == (new or ""):
        return None
    return FieldChange(name, old, new, word_diff(old, new) if name in WORDED_FIELDS else None)


def _unit_name(unit):
    return unit.name if unit is not None else None


def _measure_changes(old, new) -> list[FieldChange]:
    changes = []
    if old.responsible_unit_id != new.responsible_unit_id:
        changes.append(
            FieldChange(
                "responsible_unit",
                _unit_name(old.responsible_unit),
                _unit_name(new.responsible_unit),
            )
        )
    old_co = sorted(u.name for u in old.co_executor_list)
    new_co = sorted(u.name for u in new.co_executor_list)
    if old_co != new_co:
        changes.append(FieldChange("co_executors", old_co, new_co))
    # Trees built by hand (tests, other kinds of plan) may lack the action
    # plan's fields.
    old_manager = getattr(old, "appropriation_manager", None)
    new_manager = getattr(new, "appropriation_manager", None)
    if getattr(old_manager, "pk", None) != getattr(new_manager, "pk", None):
        changes.append(
            FieldChange("appropriation_manager", _unit_name(old_manager), _unit_name(new_manager))
        )
    for name in ("kind", "start_year", "end_year"):
        if getattr(old, name) != getattr(new, name):
            changes.append(FieldChange(name, getattr(old, name), getattr(new, name)))
    links = _links_change(getattr(old, "link_list", []), getattr(new, "link_list", []))
    if links is not None:
        changes.append(links)
    return changes


def _link_label(link) -> str:
    # ``label`` ("1.2 Title") is set by plans.diff.version_diff from the
    # development plan; a bare key when it could not be found there.
    return getattr(link, "label", None) or str(link.key)


def _links_change(old_links, new_links) -> FieldChange | None:
    """The development plan's goals and tasks a measure implements, before and
    after; the segments mark each one kept, added (insert) or removed (delete)."""
    old_keys = {link.key for link in old_links}
    new_keys = {link.key for link in new_links}
    if old_keys == new_keys:
        return None
    segments = []
    items = [("equal" if link.key in old_keys else "insert", link) for link in new_links]
    items += [("delete", link) for link in old_links if link.key not in new_keys]
    for index, (op, link) in enumerate(items):
        if index:
            segments.append(Segment("equal", "; "))
        segments.append(Segment(op, _link_label(link)))
    return FieldChange(
        "implements",
        [_link_label(link) for link in old_links],
        [_link_label(link) for link in new_links],
        segments,
    )


def _indicator_changes(old_list, new_list) -> list[IndicatorChange]:
    old_by_key = {str(i.key): i for i in old_list}
    new_by_key = {str(i.key): i for i in new_list}
    result = []
    for key, new in new_by_key.items():
        old = old_by_key.get(key)
        if old is None:
            result.append(
                IndicatorChange(
                    key,
                    new.name,
                    "added",
                    targets=[TargetChange(t.year, None, t.value) for t in new.target_list],
                )
            )
            continue
        changes = []
        for name in INDICATOR_TEXT_FIELDS:
            change = _text_change(name, getattr(old, name), getattr(new, name))
            if change:
                changes.append(change)
        for name in ("kind", "baseline_value", "baseline_year", "direction"):
            if getattr(old, name) != getattr(new, name):
                changes.append(FieldChange(name, getattr(old, name), getattr(new, name)))
        old_targets = {t.year: t.value for t in old.target_list}
        new_targets = {t.year: t.value for t in new.target_list}
        targets = [
            TargetChange(year, old_targets.get(year), new_targets.get(year))
            for year in sorted(old_targets.keys() | new_targets.keys())
            if old_targets.get(year) != new_targets.get(year)
        ]
        if changes or targets:
            result.append(IndicatorChange(key, new.name, "changed", changes, targets))
    for key, old in old_by_key.items():
        if key not in new_by_key:
            result.append(
                IndicatorChange(
                    key,
                    old.name,
                    "removed",
                    targets=[TargetChange(t.year, t.value, None) for t in old.target_list],
                )
            )
    return result


def _funding_amounts(measure) -> dict[tuple[int, str], Decimal]:
    amounts: defaultdict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for line in measure.funding_list:
        amounts[line.year, line.source.code] += line.amount
    return amounts


def _funding_changes(old, new) -> list[FundingChange]:
    old_amounts, new_amounts = _funding_amounts(old), _funding_amounts(new)
    return [
        FundingChange(
            year, source, old_amounts.get((year, source)), new_amounts.get((year, source))
        )
        for year, source in sorted(old_amounts.keys() | new_amounts.keys())
        if old_amounts.get((year, source)) != new_amounts.get((year, source))
    ]


def _node_change(old, new, old_nodes, new_nodes, common_ranks) -> NodeChange:
    change = NodeChange(
        key=str(new.key),
        level=new.level,
        code=new.code,
        title=new.title,
        old_code=old.code,
        old_title=old.title,
        node=new,
        old_node=old,
    )
    for name in ("title", "description"):
        text = _text_change(name, getattr(old, name), getattr(new, name))
        if text:
            change.changes.append(text)
    if old.code != new.code:
        change.changes.append(FieldChange("code", old.code, new.code))
    if old.parent_key != new.parent_key:
        change.changes.append(
            FieldChange(
                "parent",
                old_nodes[old.parent_key].code if old.parent_key else None,
                new_nodes[new.parent_key].code if new.parent_key else None,
            )
        )
    else:
        # Only a change of order among siblings present in both versions is a
        # change of position; a sibling inserted or deleted before the node
        # only renumbers it.
        old_rank, new_rank = common_ranks[0].get(change.key), common_ranks[1].get(change.key)
        if old_rank != new_rank:
            change.changes.append(FieldChange("position", old_rank + 1, new_rank + 1))
    if new.level == "measure":
        change.changes.extend(_measure_changes(old, new))
        change.funding = _funding_changes(old, new)
    if LEVELS[new.level].has_indicators:
        change.indicators = _indicator_changes(old.indicator_list, new.indicator_list)
    return change


def _common_ranks(nodes, common_keys) -> dict[str, int]:
    """Each common node's place among those of its siblings that are common
    too (under the same parent in both versions)."""
    ranks: dict[str, int]
    counters: defaultdict[str | None, int]
    ranks, counters = {}, defaultdict(int)
    for key, node in nodes.items():  # in tree order, so siblings come in order
        if key in common_keys:
            ranks[key] = counters[node.parent_key]
            counters[node.parent_key] += 1
    return ranks


def _priority_of(node, nodes):
    while node.parent_key is not None:
        node = nodes[node.parent_key]
    return node


def _funding_totals(old_nodes, new_nodes) -> list[FundingTotal]:
    amounts: defaultdict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    priorities = {}
    for side, nodes in ((0, old_nodes), (1, new_nodes)):
        for node in nodes.values():
            if LEVELS[node.level].is_top:
                # The newer version names a priority present in both.
                if side == 1 or str(node.key) not in priorities:
                    priorities[str(node.key)] = node
            if node.level != "measure":
                continue
            priority_key = str(_priority_of(node, nodes).key)
            for line in node.funding_list:
                amounts[priority_key, line.source.code][side] += line.amount
    order = {key: index for index, key in enumerate(new_nodes)}
    order_old = {key: index for index, key in enumerate(old_nodes)}
    rows = sorted(
        amounts.items(),
        # Priorities in the newer version's order, removed ones after them.
        key=lambda item: (
            item[0][0] not in order,
            order.get(item[0][0], order_old.get(item[0][0])),
            item[0][1],
        ),
    )
    return [
        FundingTotal(
            priority_key=priority_key,
            priority_code=priorities[priority_key].code,
            priority_title=priorities[priority_key].title,
            source=source,
            old=old,
            new=new,
        )
        for (priority_key, source), (old, new) in rows
    ]


def diff_trees(this_tree, other_tree) -> VersionDiff:
    """Compare ``this_tree`` (the newer version) with ``other_tree``."""
    new_nodes, old_nodes = _nodes_by_key(this_tree), _nodes_by_key(other_tree)
    common = {
        key
        for key in new_nodes.keys() & old_nodes.keys()
        if new_nodes[key].parent_key == old_nodes[key].parent_key
    }
    ranks = (_common_ranks(old_nodes, common), _common_ranks(new_nodes, common))

    added = [_entry(node) for key, node in new_nodes.items() if key not in old_nodes]
    removed = [_entry(node) for key, node in old_nodes.items() if key not in new_nodes]
    changed = []
    for key, new in new_nodes.items():
        old = old_nodes.get(key)
        if old is None:
            continue
        change = _node_change(old, new, old_nodes, new_nodes, ranks)
        if change.fields:
            changed.append(change)

    totals = _funding_totals(old_nodes, new_nodes)
    overall = FundingOverall(
        old=sum((t.old for t in totals), ZERO), new=sum((t.new for t in totals), ZERO)
    )
    return VersionDiff(
        version=this_tree.version,
        against=other_tree.version,
        added=added,
        removed=removed,
        changed=changed,
        funding_totals=totals,
        funding_overall=overall,
    )
