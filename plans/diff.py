"""What changed between two versions of a plan.

Pure functions over two ``selectors.VersionTree`` objects (each loaded in a
fixed number of queries), so a comparison costs the same number of queries
however large the plan is.

Nodes and indicators are matched by their ``key``, never by their code:
codes are positional and change whenever a sibling is inserted, deleted or
moved before them. A node present in both versions under another code is
"renumbered"; under another parent it is "moved". Funding lines are matched
by (year, source code).

The direction is always "this" (newer) against "other" (older): ``added``
holds nodes of this version that the other one lacks.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plans.levels import LEVEL_NAMES, LEVELS
from plans.models import Direction, IndicatorKind, MeasureKind
from plans.selectors import version_tree, versions_visible_to
from plans.templatetags.plan_tags import quantity

ZERO = Decimal("0")

# Fields that say where a node sits, as opposed to what it says.
PLACE_FIELDS = ("code", "parent", "position")

FIELD_LABELS = {
    "title": _("Title"),
    "description": _("Description"),
    "code": _("Code"),
    "parent": _("Parent"),
    "position": _("Position among siblings"),
    "responsible_unit": _("Responsible unit"),
    "co_executors": _("Co-executors"),
    "kind": _("Kind"),
    "start_year": _("Start year"),
    "end_year": _("End year"),
    "indicators": _("Indicators"),
    "funding": _("Funding"),
    "name": _("Name"),
    "unit": _("Unit of measure"),
    "baseline_value": _("Baseline value"),
    "baseline_year": _("Baseline year"),
    "data_source": _("Data source"),
    "direction": _("Desired direction"),
}

# Texts long enough to be compared word by word rather than as a whole.
WORDED_FIELDS = frozenset({"title", "description", "name", "data_source"})


# --- Word diff ------------------------------------------------------------------

# Words (\w is Unicode-aware, so "žaliųjų" is one word), runs of white space and
# single punctuation marks: joined back together they give the text unchanged.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` → ``new`` as segments; the equal and deleted ones spell ``old``,
    the equal and inserted ones spell ``new``."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    segments: list[Segment] = []
    deleted, inserted = [], []

    def flush():
        for op, tokens in (("delete", deleted), ("insert", inserted)):
            if tokens:
                segments.append(Segment(op, "".join(tokens)))
                tokens.clear()

    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A lone space between two changed words is not worth keeping as
        # "equal": "del Priemonė ins Nauja, space, del 109 ins antraštė" reads
        # worse than one deleted and one inserted phrase.
        between_changes = 0 < index < len(opcodes) - 1 and not "".join(a[i1:i2]).strip()
        if tag == "equal" and not between_changes:
            flush()
            segments.append(Segment("equal", "".join(a[i1:i2])))
        else:
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    flush()
    return segments


# --- Results ----------------------------------------------------------------------


@dataclass
class FieldChange:
    field: str
    old: object
    new: object
    segments: list[Segment] | None = None

    @property
    def label(self):
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def old_display(self):
        return _display(self.field, self.old)

    @property
    def new_display(self):
        return _display(self.field, self.new)


def _display(name, value):
    """A value as a reader sees it, in the active language; None stays None."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, Decimal):
        return quantity(value)
    choices = {"kind": (MeasureKind, IndicatorKind), "direction": (Direction,)}.get(name, ())
    for choice in choices:
        if value in choice.values:
            return choice(value).label
    return str(value)


@dataclass
class TargetChange:
    year: int
    old: Decimal | None
    new: Decimal | None


@dataclass
class IndicatorChange:
    key: str
    name: str
    status: str  # "added", "removed" or "changed"
    changes: list[FieldChange] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)


class _Signed:
    """A signed euro difference, with what a template needs to write "+1 000,00"
    or "−500,00" (a real minus sign) through the local number format."""

    @property
    def sign(self) -> str:
        return "+" if self.difference > 0 else "\u2212" if self.difference < 0 else ""

    @property
    def magnitude(self) -> Decimal:
        return abs(self.difference)


@dataclass
class FundingChange(_Signed):
    year: int
    source: str
    old: Decimal | None
    new: Decimal | None

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    @property
    def difference(self) -> Decimal:
        return (self.new or ZERO) - (self.old or ZERO)


@dataclass
class NodeEntry:
    """A node added or removed, as the version that has it shows it."""

    key: str
    level: str
    code: str
    title: str
    node: object  # the model instance, for links

    @property
    def version_id(self):
        return self.node.version_id


@dataclass
class NodeChange:
    key: str
    level: str
    code: str
    title: str
    old_code: str
    old_title: str
    node: object
    old_node: object
    changes: list[FieldChange] = field(default_factory=list)
    indicators: list[IndicatorChange] = field(default_factory=list)
    funding: list[FundingChange] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        names = [change.field for change in self.changes]
        if self.indicators:
            names.append("indicators")
        if self.funding:
            names.append("funding")
        return names

    @property
    def content_changed(self) -> bool:
        return any(name not in PLACE_FIELDS for name in self.fields)

    def change(self, name) -> FieldChange | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass
class FundingTotal(_Signed):
    priority_key: str
    priority_code: str
    priority_title: str
    source: str
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old


@dataclass
class FundingOverall(_Signed):
    old: Decimal
    new: Decimal

    @property
    def difference(self) -> Decimal:
        return self.new - self.old


@dataclass
class VersionDiff:
    version: object  # "this", the newer one
    against: object
    added: list[NodeEntry]
    removed: list[NodeEntry]
    changed: list[NodeChange]
    funding_totals: list[FundingTotal]
    funding_overall: FundingOverall

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "moved": sum(1 for c in self.changed if "parent" in c.fields),
            "renumbered": sum(1 for c in self.changed if "code" in c.fields),
            "changed": sum(1 for c in self.changed if c.content_changed),
        }

    @property
    def renumbered_only(self) -> list[NodeChange]:
        """Nodes whose code is all that changed (a sibling came or went before
        them, or an ancestor was renumbered)."""
        return [c for c in self.changed if c.fields == ["code"]]

    @property
    def other_changes(self) -> list[NodeChange]:
        return [c for c in self.changed if c.fields != ["code"]]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.funding_overall.difference)

    @property
    def funding_sources(self) -> list[str]:
        return sorted({t.source for t in self.funding_totals})

    @property
    def funding_by_priority(self) -> list[tuple[str, str, list]]:
        """(code, title, [total per source or None]) rows for a table."""
        sources = self.funding_sources
        rows: dict[str, tuple] = {}
        for total in self.funding_totals:
            row = rows.setdefault(
                total.priority_key, (total.priority_code, total.priority_title, {})
            )
            row[2][total.source] = total
        return [
            (code, title, [cells.get(s) for s in sources]) for code, title, cells in rows.values()
        ]

    @property
    def funding_by_source(self) -> list[FundingOverall]:
        old, new = defaultdict(Decimal), defaultdict(Decimal)
        for total in self.funding_totals:
            old[total.source] += total.old
            new[total.source] += total.new
        return [FundingOverall(old=old[s], new=new[s]) for s in self.funding_sources]


# --- Comparison ---------------------------------------------------------------------


def _nodes_by_key(tree) -> dict:
    """Every node of the tree by key, with ``level``, ``parent_key`` and ``rank``
    (its place among its siblings) set."""
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
    for name in ("kind", "start_year", "end_year"):
        if getattr(old, name) != getattr(new, name):
            changes.append(FieldChange(name, getattr(old, name), getattr(new, name)))
    return changes


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
        for name in ("name", "unit", "data_source"):
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
    amounts = defaultdict(Decimal)
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
    amounts = defaultdict(lambda: [ZERO, ZERO])
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


# --- Loading ------------------------------------------------------------------------


class AgainstError(ValueError):
    """The version to compare with is missing or unusable; the message says why."""


def against_version(user, version, raw):
    """The version ``raw`` (a query-string value) names, to compare ``version``
    with: a version of the same plan that ``user`` may read.

    A version the user may not read is reported like an unknown one, so that
    the answer does not reveal which internal drafts exist.
    """
    if raw is None or str(raw).strip() == "":
        raise AgainstError(gettext("Say which version to compare with: ?against=<version id>."))
    try:
        against_id = int(str(raw).strip())
    except ValueError:
        raise AgainstError(gettext("“against” must be the number (id) of a version.")) from None
    other = versions_visible_to(user).filter(pk=against_id).first()
    if other is None:
        raise AgainstError(
            gettext("There is no version %(id)s that you may read.") % {"id": against_id}
        )
    if other.plan_id != version.plan_id:
        raise AgainstError(gettext("Version %(id)s belongs to another plan.") % {"id": against_id})
    return other


def version_diff(version, against) -> VersionDiff:
    """Load both versions' trees (a fixed number of queries each) and compare them."""
    return diff_trees(version_tree(version), version_tree(against))
