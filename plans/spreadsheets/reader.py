"""Reading a workbook back: every cell checked before anything is written.

``read_workbook(data, plan)`` returns the tree the workbook describes
(``Parsed``), with every name resolved (units, funding sources, the
development plan's codes) and every rule of ``plans.services`` checked
that a single cell can break; or raises ``WorkbookInvalid`` listing each bad
cell by sheet, row and column. It writes nothing; ``plans.spreadsheets.
import_`` writes the result.

Decisions (docs/plans/spreadsheets.md):

* Units are reference data: a unit's name must match a known unit exactly;
  an unknown name is refused with the list of known ones, never created (a
  typo would otherwise become a new department). The same for funding
  sources' codes.
* "Įgyvendina" takes the codes of the development plan's goals and tasks in
  its version in force (else its latest version), or their keys.
* Codes give the shape and the order; the portal renumbers, so skipped
  numbers close up.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from planportal.years import YEAR_BOUNDS, is_valid_year
from plans import services
from plans.levels import LEVELS
from plans.links import clean_links, refuse_continuing_links
from plans.models import FundingSource, Indicator, Measure, Plan, PlanVersion, Unit

from . import layout
from .export import DevelopmentReference, development_reference
from .files import (
    CellError,
    Sheet,
    WorkbookInvalid,
    cell_number,
    cell_text,
    open_workbook,
    read_sheet,
)


@dataclass
class NodeRow:
    row: int
    code: str
    level: str
    key: uuid.UUID | None
    fields: dict[str, Any]
    position: int = 0
    co_executors: list[int] = field(default_factory=list)
    links: list[tuple[str, uuid.UUID]] = field(default_factory=list)
    funding: list[tuple[int, int, Decimal]] = field(default_factory=list)
    children: list[NodeRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def order(self) -> tuple:
        """Where the row goes among its siblings: by its last number, then row."""
        last = self.code.rsplit(".", 1)[-1]
        if last.isdigit():
            return (int(last), self.row)
        value = 0
        for letter in last:
            value = value * 26 + ord(letter) - ord("A") + 1
        return (value, self.row)


@dataclass
class IndicatorRow:
    row: int
    key: uuid.UUID | None
    fields: dict[str, Any]
    targets: list[tuple[int, Decimal]]


@dataclass
class Parsed:
    priorities: list[NodeRow]


_SEGMENT = re.compile(r"^(\d+|[A-Z]+)$")
_CODE_LIST = re.compile(r"[;,\s]+")


class _Reader:
    """The checks of one import, with what they need loaded once."""

    def __init__(self, plan: Plan):
        self.plan, self.kind = plan, plan.kind_spec
        # The years the new draft will cover: those of the version in force
        # (``import_.version_import`` gives the draft the same window).
        in_force = PlanVersion.objects.in_force_for(plan)
        self.window = PlanVersion(
            plan=plan,
            period_start=in_force.period_start if in_force else None,
            period_end=in_force.period_end if in_force else None,
        )
        self.errors: list[CellError] = []
        self.units = dict(Unit.objects.values_list("name", "pk"))
        self.sources = dict(FundingSource.objects.values_list("code", "pk"))
        self.words = {
            **{name: name for name in LEVELS},
            **{word.casefold(): name for name, word in layout.level_words(self.kind).items()},
        }
        self.choices = {
            column: {
                **{value: value for value in words},
                **{label.casefold(): value for value, label in words.items()},
            }
            for column, words in layout.choice_words().items()
        }
        self._reference: DevelopmentReference | None = None

    # --- cell values ----------------------------------------------------------

    def year(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not is_valid_year(value):
            raise ValueError(
                _("must be a year, for example 2025 (between %(min)s and %(max)s).") % YEAR_BOUNDS
            )
        return value

    def choice(self, column: str, value: str) -> str:
        found = self.choices[column].get(value.casefold()) or self.choices[column].get(value)
        if found is None:
            labels = layout.choice_words()[column].values()
            raise ValueError(_("must be one of: %(words)s.") % {"words": ", ".join(labels)})
        return found

    def unit(self, name: str) -> int:
        if name in self.units:
            return self.units[name]
        known = sorted(self.units)
        listed = "; ".join(known[:15]) + ("; …" if len(known) > 15 else "")
        raise ValueError(
            _(
                "no unit is called “%(name)s”. Write the name exactly as in the sheet "
                "“%(sheet)s” (known units: %(units)s)."
            )
            % {"name": name, "sheet": layout.UNIT_SHEET, "units": listed or "—"}
        )

    def reference(self):
        if self._reference is None:
            self._reference = development_reference(self.plan)
        return self._reference

    def links(self, text: str) -> list[tuple[str, uuid.UUID]]:
        if not self.plan.development_plan_id:
            raise ValueError(_("this action plan names no development plan."))
        reference = self.reference()
        cleaned, keys, unknown = [], [], []
        for token in filter(None, _CODE_LIST.split(text)):
            if token in reference.key_of:
                cleaned.append(reference.key_of[token])
                continue
            try:
                keys.append(uuid.UUID(token))
            except ValueError:
                unknown.append(token)
        if keys:
            try:
                cleaned.extend(clean_links(self.plan, keys))
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        if unknown:
            raise ValueError(
                _("not a code of the development plan's goals or tasks: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        seen: dict[uuid.UUID, tuple[str, uuid.UUID]] = {}
        for level, key in cleaned:
            seen.setdefault(key, (level, key))
        return list(seen.values())

    # --- headers --------------------------------------------------------------

    def map_header(self, sheet: Sheet, columns, extra) -> dict[int, Any]:
        """Column index → a fixed Column, or what ``extra(header)`` makes of it."""
        by_header = {column.header.casefold(): column for column in (*columns, layout.KEY)}
        mapped: dict[int, Any] = {}
        seen: dict[str, int] = {}
        for index, header in enumerate(sheet.header):
            if not header:
                continue
            if header.casefold() in seen:
                sheet.error(1, header, _("the column appears twice."))
                continue
            seen[header.casefold()] = index
            column = by_header.get(header.casefold())
            if column is None:
                try:
                    column = extra(header)
                except ValueError as error:
                    sheet.error(1, header, str(error))
                    continue
            if column is not None:
                mapped[index] = column
        for column in columns:
            if column.required and column.header.casefold() not in seen:
                sheet.error(
                    None,
                    column.header,
                    _("the column “%(column)s” is missing.") % {"column": column.header},
                )
        return mapped

    def money_column(self, header: str):
        match = layout.MONEY_HEADER.match(header)
        if match is None:
            raise ValueError(
                _(
                    "unknown column. Money columns are headed by a year and a source's code, "
                    "for example “2026 SB”."
                )
            )
        year, code = int(match[1]), match[2]
        if code not in self.sources:
            raise ValueError(
                _("no funding source has the code “%(code)s” (known: %(codes)s).")
                % {"code": code, "codes": ", ".join(sorted(self.sources)) or "—"}
            )
        if not is_valid_year(year) or not services.near_period(year, self.window):
            raise ValueError(_("%(year)s is outside the plan's period.") % {"year": year})
        return (year, self.sources[code], header)

    def target_column(self, header: str):
        if layout.YEAR_HEADER.match(header) is None or not is_valid_year(int(header)):
            raise ValueError(
                _("unknown column. Target columns are headed by a year, for example “2026”.")
            )
        return int(header)

    # --- sheets ---------------------------------------------------------------

    def read_plan(self, sheet: Sheet) -> dict[str, NodeRow]:
        used = {column.name for column in layout.plan_columns(self.kind)}
        mapped = self.map_header(sheet, layout.PLAN_COLUMNS, self.money_column)
        nodes: dict[str, NodeRow] = {}
        keys: dict[uuid.UUID, int] = {}
        for number, cells in enumerate(sheet.rows, start=2):
            values = self.values(sheet, number, cells, mapped)
            if values is None:
                continue
            node = self.node(sheet, number, values, used)
            if node is None:
                continue
            if node.code in nodes:
                sheet.error(
                    number,
                    "Kodas",
                    _("the code %(code)s is also on row %(row)s.")
                    % {"code": node.code, "row": nodes[node.code].row},
                )
                continue
            if node.key is not None:
                if node.key in keys:
                    sheet.error(
                        number,
                        layout.KEY.header,
                        _("the key is also on row %(row)s.") % {"row": keys[node.key]},
                    )
                keys[node.key] = number
            nodes[node.code] = node
        self.shape(sheet, nodes)
        return nodes

    def values(self, sheet: Sheet, number: int, cells, mapped) -> dict | None:
        """Column → raw value of one row (None for an empty row); formulas refused."""
        values: dict[Any, Any] = {}
        for index, column in mapped.items():
            if index >= len(cells):
                continue
            cell = cells[index]
            value = cell.value
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            if getattr(cell, "data_type", None) == "f":
                sheet.error(
                    number, sheet.header[index], _("formulas are not accepted: write the value.")
                )
                continue
            values[column] = value
        if not any(cell.value not in (None, "") for cell in cells):
            return None
        return values

    def node(self, sheet: Sheet, number: int, values: dict, used: set[str]) -> NodeRow | None:
        by_name = {
            column.name: value
            for column, value in values.items()
            if isinstance(column, layout.Column)
        }
        money = {column: value for column, value in values.items() if isinstance(column, tuple)}

        def bad(column_name: str, message: str) -> None:
            header = next(
                c.header for c in (*layout.PLAN_COLUMNS, layout.KEY) if c.name == column_name
            )
            sheet.error(number, header, message)

        code = cell_text(by_name.get("code")).upper().replace(" ", "")
        level_word = cell_text(by_name.get("level"))
        level = self.words.get(level_word.casefold()) if level_word else None
        if not code:
            bad("code", _("a code is required."))
        elif not all(_SEGMENT.match(part) for part in code.split(".")):
            bad("code", _("a code is numbers or letters separated by dots, for example 1.2.3."))
            code = ""
        if not level_word:
            bad("level", _("the level is required."))
        elif level is None:
            bad(
                "level",
                _("must be one of: %(words)s.")
                % {"words": ", ".join(layout.level_words(self.kind).values())},
            )
        title = cell_text(by_name.get("title"))
        if not title:
            bad("title", _("a title is required."))
        fields: dict[str, Any] = {
            "title": title,
            "description": str(by_name.get("description") or ""),
        }
        row = NodeRow(number, code, level or "", None, fields)
        if "key" in by_name:
            try:
                row.key = uuid.UUID(cell_text(by_name["key"]))
            except ValueError:
                bad("key", _("not a key: leave it as exported, or empty for a new row."))
        for name in ("title", "description"):
            self.check_length(Measure, name, fields[name], lambda m, n=name: bad(n, m))
        for name in sorted(set(by_name) & layout.MEASURE_ONLY):
            if name not in used:
                bad(
                    name,
                    _("a plan of this kind (%(kind)s) does not use this column.")
                    % {"kind": self.kind.label},
                )
            elif level and level != "measure":
                bad(name, _("only measures have this."))
        if money and level and level != "measure":
            for _year, _source_id, header in money:
                sheet.error(number, header, _("only measures have money."))
        if level == "measure":
            self.measure(row, by_name, money, used, bad, sheet)
        # A row with a code stays, even when wrong, so that the rows under it
        # are not also refused for a missing parent.
        return row if code else None

    def measure(self, row: NodeRow, by_name, money, used, bad, sheet) -> None:
        fields = row.fields
        if "kind" in used:
            fields["kind"] = "progress"
        for name, value in by_name.items():
            if name not in used or name not in layout.MEASURE_ONLY:
                continue
            text = cell_text(value)
            try:
                if name == "kind":
                    fields["kind"] = self.choice("measure_kind", text)
                elif name in ("responsible_unit", "appropriation_manager"):
                    fields[f"{name}_id"] = self.unit(text)
                elif name == "co_executors":
                    row.co_executors = list(
                        dict.fromkeys(
                            self.unit(part.strip())
                            for part in layout.LIST_SEPARATOR.split(text)
                            if part.strip()
                        )
                    )
                elif name in ("start_year", "end_year"):
                    fields[name] = self.year(value)
                elif name == "implements":
                    row.links = self.links(text)
            except ValueError as error:
                bad(name, str(error))
        try:
            services.validate_measure(fields, self.window)
            refuse_continuing_links(fields.get("kind", ""), row.links)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                bad(name, " ".join(messages))
        # The services' rule (plans.services.funding): money only within the
        # measure's own years, else the draft's.
        period = services.funding_period(
            self.window, fields.get("start_year"), fields.get("end_year")
        )
        for (year, source_id, header), value in money.items():
            try:
                amount = cell_number(value, places=2, digits=14, negative=False)
            except ValueError as error:
                sheet.error(row.row, header, str(error))
                continue
            if year not in period:
                refusal = services.FundingOutsidePeriod([year], period)
                sheet.error(row.row, header, " ".join(refusal.messages))
                continue
            row.funding.append((year, source_id, amount))

    def check_length(self, model, name: str, value: str, bad) -> None:
        limit = model._meta.get_field(name).max_length
        if limit and len(value) > limit:
            bad(
                _("at most %(count)s characters (this has %(length)s).")
                % {"count": limit, "length": len(value)}
            )

    def shape(self, sheet: Sheet, nodes: dict[str, NodeRow]) -> None:
        """Hang every row under its parent, refusing a missing or wrong one."""
        for node in nodes.values():
            if not node.level:
                continue  # an unknown level, refused already
            level = LEVELS[node.level]
            parent_code = node.parent_code
            if level.is_top:
                if parent_code is not None:
                    sheet.error(
                        node.row,
                        "Kodas",
                        _("the code of a %(level)s has no dots.")
                        % {"level": self.word(node.level)},
                    )
                continue
            if parent_code is None:
                sheet.error(
                    node.row,
                    "Kodas",
                    _("the code must start with its parent's code and a dot, for example 1.2."),
                )
                continue
            parent = nodes.get(parent_code)
            if parent is not None and not parent.level:
                continue  # under a row whose level is refused already
            if parent is None:
                sheet.error(
                    node.row,
                    "Kodas",
                    _("no row has the code %(code)s of its parent.") % {"code": parent_code},
                )
            elif parent.level != level.parent.name:  # type: ignore[union-attr]  # not the top
                sheet.error(
                    node.row,
                    "Lygis",
                    _("a %(level)s belongs under a %(parent)s, but %(code)s is a %(actual)s.")
                    % {
                        "level": self.word(node.level),
                        "parent": self.word(level.parent.name),  # type: ignore[union-attr]
                        "code": parent_code,
                        "actual": self.word(parent.level),
                    },
                )
            else:
                parent.children.append(node)

    def word(self, level: str) -> str:
        return layout.level_words(self.kind)[level].lower()

    def read_indicators(self, sheet: Sheet, nodes: dict[str, NodeRow]) -> None:
        mapped = self.map_header(sheet, layout.INDICATOR_COLUMNS, self.target_column)
        headers = {column.name: column.header for column in (*layout.INDICATOR_COLUMNS, layout.KEY)}
        keys: dict[uuid.UUID, int] = {}
        for number, cells in enumerate(sheet.rows, start=2):
            values = self.values(sheet, number, cells, mapped)
            if values is None:
                continue
            by_name = {c.name: v for c, v in values.items() if isinstance(c, layout.Column)}
            targets_raw = {c: v for c, v in values.items() if isinstance(c, int)}

            def bad(name: str, message: str, number=number) -> None:
                sheet.error(number, headers[name], message)

            errors_before = len(self.errors)
            owner_code = cell_text(by_name.get("owner")).upper().replace(" ", "")
            owner = nodes.get(owner_code)
            if not owner_code:
                bad("owner", _("the code of a goal, task or measure is required."))
            elif owner is not None and not owner.level:
                continue  # its row's level is refused already
            elif owner is None:
                bad(
                    "owner",
                    _("no row of the sheet “%(sheet)s” has the code %(code)s.")
                    % {"sheet": layout.PLAN_SHEET, "code": owner_code},
                )
            elif not self.kind.level(owner.level).has_indicators:
                bad(
                    "owner",
                    _("a %(level)s has no indicators in a plan of this kind.")
                    % {"level": self.word(owner.level)},
                )
                owner = None
            fields: dict[str, Any] = {}
            for name in (
                "name",
                "unit",
                "data_source",
                "code",
                "definition",
                "calculation_method",
                "frequency",
                "responsible_body",
                "remarks",
            ):
                text = str(by_name.get(name) or "")
                text = text.strip() if name in ("name", "unit") else text
                fields[name] = text
                self.check_length(Indicator, name, text, lambda m, n=name: bad(n, m))
            for name in ("name", "unit"):
                if not fields[name]:
                    bad(name, _("required."))
            try:
                kind_text = cell_text(by_name.get("kind"))
                fields["kind"] = self.choice("indicator_kind", kind_text) if kind_text else None
                if owner is not None:
                    allowed = self.kind.indicator_kinds(owner.level)
                    fields["kind"] = fields["kind"] or allowed[0]
                    if fields["kind"] not in allowed:
                        words = layout.choice_words()["indicator_kind"]
                        raise ValueError(
                            _("not used at this level; allowed: %(kinds)s.")
                            % {"kinds": ", ".join(words[k] for k in allowed)}
                        )
            except ValueError as error:
                bad("kind", str(error))
            try:
                text = cell_text(by_name.get("direction"))
                fields["direction"] = self.choice("direction", text) if text else "increase"
            except ValueError as error:
                bad("direction", str(error))
            fields["baseline_value"] = fields["baseline_year"] = None
            if "baseline_value" in by_name:
                try:
                    fields["baseline_value"] = cell_number(
                        by_name["baseline_value"], places=4, digits=18
                    )
                except ValueError as error:
                    bad("baseline_value", str(error))
            if "baseline_year" in by_name:
                try:
                    fields["baseline_year"] = self.year(by_name["baseline_year"])
                except ValueError as error:
                    bad("baseline_year", str(error))
            key = None
            if "key" in by_name:
                try:
                    key = uuid.UUID(cell_text(by_name["key"]))
                except ValueError:
                    bad("key", _("not a key: leave it as exported, or empty for a new row."))
                else:
                    if key in keys:
                        bad("key", _("the key is also on row %(row)s.") % {"row": keys[key]})
                    keys[key] = number
            targets = []
            for year, value in sorted(targets_raw.items()):
                try:
                    targets.append((year, cell_number(value, places=4, digits=18)))
                except ValueError as error:
                    sheet.error(number, str(year), str(error))
            if owner is not None and len(self.errors) == errors_before:
                owner.indicators.append(IndicatorRow(number, key, fields, targets))


def read_workbook(data: bytes, plan: Plan) -> Parsed:
    """The tree ``data`` (an XLSX workbook) describes for ``plan``, or ``WorkbookInvalid``."""
    reader = _Reader(plan)
    workbook = open_workbook(data, reader.errors)
    if workbook is None:
        raise WorkbookInvalid(reader.errors)
    try:
        plan_sheet = read_sheet(workbook, layout.PLAN_SHEET, reader.errors)
        indicator_sheet = read_sheet(workbook, layout.INDICATOR_SHEET, reader.errors)
    finally:
        workbook.close()
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    assert plan_sheet is not None and indicator_sheet is not None
    nodes = reader.read_plan(plan_sheet)
    reader.read_indicators(indicator_sheet, nodes)
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    # The codes give the order among siblings; positions are dense, so the
    # renumbering closes any gaps the planner's numbers left.
    priorities = [node for node in nodes.values() if node.level == "priority"]
    for siblings in [priorities, *(node.children for node in nodes.values())]:
        siblings.sort(key=lambda child: child.order)
        for position, child in enumerate(siblings, start=1):
            child.position = position
    return Parsed(priorities)
