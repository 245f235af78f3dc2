"""What a comparison of two versions finds: the changes, as a page and the API show them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from plans.models import Direction, IndicatorKind, MeasureKind, Node
from plans.templatetags.plan_tags import quantity

from .words import Segment

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
    "appropriation_manager": _("Appropriation manager"),
    "implements": _("Implements the development plan's"),
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
    "definition": _("Definition"),
    "calculation_method": _("Calculation method"),
    "frequency": _("Frequency of measurement"),
    "responsible_body": _("Body responsible for the data"),
    "remarks": _("Remarks"),
}


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

    if TYPE_CHECKING:

        @property
        def difference(self) -> Decimal: ...  # each subclass computes it

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
    node: Node  # the model instance, for links

    @property
    def version_id(self) -> int:
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
        old: defaultdict[str, Decimal]
        new: defaultdict[str, Decimal]
        old, new = defaultdict(Decimal), defaultdict(Decimal)
        for total in self.funding_totals:
            old[total.source] += total.old
            new[total.source] += total.new
        return [FundingOverall(old=old[s], new=new[s]) for s in self.funding_sources]
