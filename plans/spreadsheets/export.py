"""A version as an XLSX workbook, and the blank workbook of a kind of plan.

The layout is ``plans.spreadsheets.layout``; ``plans.spreadsheets.reader``
reads the same workbook back, so an exported, edited and imported version
keeps its tree, its texts, its money, its indicators and its keys.

Texts are written as text cells (``t="inlineStr"``), whatever they start
with: openpyxl would store a string starting with ``=`` as a formula, and a
text cell is never evaluated by Excel or LibreOffice. This is the XLSX form
of ``planportal.csvsafe.neutralise``'s defence, without the apostrophe that
would come back into the title on import.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from planportal import xlsx
from plans.kinds import Kind
from plans.models import (
    FundingSource,
    Goal,
    MeasureLink,
    Plan,
    PlanVersion,
    Task,
    Unit,
)
from plans.selectors import version_tree

from . import layout
from .layout import Column


@dataclass
class DevelopmentReference:
    """The codes of a development plan's goals and tasks, in the version read.

    The version in force, else the latest: the codes planners know. A link's
    key that version lacks is written as the key itself (the reader takes a
    key as well as a code), so that nothing is lost on the way back.
    """

    version: PlanVersion | None
    code_of: dict[uuid.UUID, str]
    key_of: dict[str, tuple[str, uuid.UUID]]


def development_reference(plan: Plan) -> DevelopmentReference:
    """The goals and tasks of ``plan``'s development plan (three queries at most)."""
    if not plan.development_plan_id:
        return DevelopmentReference(None, {}, {})
    version = (
        PlanVersion.objects.in_force_for(plan.development_plan_id)
        or PlanVersion.objects.filter(plan_id=plan.development_plan_id).order_by("-number").first()
    )
    code_of: dict[uuid.UUID, str] = {}
    key_of: dict[str, tuple[str, uuid.UUID]] = {}
    if version is not None:
        for model, level in ((Goal, "goal"), (Task, "task")):
            for code, key in model.objects.filter(version=version).values_list("code", "key"):
                code_of[key] = code
                key_of[code] = (level, key)
    return DevelopmentReference(version, code_of, key_of)


def put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str = "") -> None:
    """Write one cell: a text as a text cell (never a formula), a number as a number."""
    if value is None or value == "":
        return
    if isinstance(value, uuid.UUID):
        value = str(value)
    if isinstance(value, str):
        # Control characters (a vertical tab pasted from a word processor) are
        # not allowed in XLSX at all; openpyxl would refuse the whole file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, Decimal) and len(value.as_tuple().digits) > 15:
        # A spreadsheet's number is a double (15 digits); a longer value
        # travels as text, which the reader takes back exactly.
        value = str(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif number_format:
        cell.number_format = number_format


def _header(sheet: Worksheet, columns: Sequence[Column], extra: Iterable[str] = ()) -> int:
    headers = [column.header for column in columns] + list(extra)
    for index, header in enumerate(headers, start=1):
        put(sheet, 1, index, header)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        sheet.cell(row=1, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.name in ("code", "owner"):
            # A code typed into a new row stays text: Excel would read 1.10 as 1.1.
            dimension.number_format = "@"
    for index in range(len(columns) + 1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    _finish(sheet)
    return len(headers)


def _finish(sheet: Worksheet) -> None:
    """The shared table layout (planportal/xlsx.py): again once the rows are
    written, so that the autofilter covers them. The code and the level stay
    in sight while scrolling right."""
    xlsx.format_table(sheet, freeze_columns=2 if sheet.max_column > 2 else 0)


def _hide_key(sheet: Worksheet, index: int) -> None:
    sheet.column_dimensions[get_column_letter(index)].hidden = True


def _money_columns(
    years: Iterable[int], lines: list
) -> tuple[list[tuple[int, FundingSource]], list[FundingSource]]:
    """(year, source) of every money column: the version's years by the
    sources its measures use (all sources when none is used yet)."""
    sources = list(FundingSource.objects.order_by("position", "code"))
    used = {line.source_id for line in lines}
    shown = [source for source in sources if source.pk in used] or sources
    all_years = sorted(set(years) | {line.year for line in lines})
    return [(year, source) for year in all_years for source in shown], sources


def _instructions(sheet: Worksheet, kind: Kind, version: PlanVersion | None) -> None:
    words = layout.level_words(kind)
    choices = layout.choice_words()
    paragraphs = [
        _("How to fill in this workbook"),
        _(
            "The sheet “%(plan)s” has one row for each part of the plan, the sheet "
            "“%(indicators)s” one row for each indicator. The sheets “%(sources)s” and "
            "“%(units)s” list the funding sources and the units the portal knows; they are "
            "not imported."
        )
        % {
            "plan": layout.PLAN_SHEET,
            "indicators": layout.INDICATOR_SHEET,
            "sources": layout.SOURCE_SHEET,
            "units": layout.UNIT_SHEET,
        },
        _(
            "“Kodas” places the row in the tree: a part's code is its parent's code, a dot and "
            "its number (for example 1, 1.2, 1.2.3, 1.2.3.4; letters or two-digit numbers work "
            "too). Rows may come in any order. The portal numbers the parts again on import: "
            "if numbers are skipped (1.1, 1.3), the parts keep their order and get the next "
            "free numbers (1.1, 1.2)."
        ),
        _("“Lygis” is one of: %(levels)s.") % {"levels": ", ".join(words.values())},
        _(
            "Only measures have units, years and money. Names of units must be written exactly "
            "as in the sheet “%(units)s”; several co-executors are separated by semicolons."
        )
        % {"units": layout.UNIT_SHEET},
        _(
            "A money column is headed by a year and a funding source's code, for example "
            "“2026 SB”; add columns for other years or sources as needed. Amounts are in euros, "
            "with at most two decimal places; an empty cell means no money from that source "
            "that year."
        ),
        _(
            "In the sheet “%(indicators)s”, “Priklauso (kodas)” is the code of the goal, task "
            "or measure the indicator belongs to; each column headed by a year holds the "
            "target value for that year. Kinds of indicator: %(kinds)s; directions: "
            "%(directions)s."
        )
        % {
            "indicators": layout.INDICATOR_SHEET,
            "kinds": ", ".join(choices["indicator_kind"].values()),
            "directions": ", ".join(choices["direction"].values()),
        },
        _(
            "The hidden column “Raktas” keeps each part and indicator the same across versions "
            "(for comparisons and comments). Leave it as it is; leave it empty in new rows."
        ),
        _(
            "Formulas are not accepted: write the values. The import makes a new draft version; "
            "if any cell is wrong, nothing is created and every wrong cell is listed."
        ),
    ]
    if kind.uses("kind"):
        paragraphs.insert(
            5,
            _("“Priemonės rūšis” is one of: %(kinds)s.")
            % {"kinds": ", ".join(choices["measure_kind"].values())},
        )
    if kind.uses("implements"):
        paragraphs.insert(
            5,
            _(
                "“Įgyvendina” lists the codes of the development plan's goals and tasks the "
                "measure implements, separated by semicolons (the codes of the development "
                "plan's version in force)."
            ),
        )
    if version is not None:
        paragraphs.insert(
            1,
            _("%(plan)s, version %(number)s, exported %(date)s.")
            % {
                "plan": version.plan.title,
                "number": version.number,
                "date": timezone.localdate().isoformat(),
            },
        )
    sheet.column_dimensions["A"].width = 110
    for index, text in enumerate(paragraphs, start=1):
        put(sheet, index, 1, text)
        sheet.cell(row=index, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    xlsx.format_document(sheet)


def _reference_sheets(workbook: Workbook, sources, units) -> None:
    sheet = workbook.create_sheet(layout.SOURCE_SHEET)
    _header(sheet, layout.SOURCE_COLUMNS)
    for row, source in enumerate(sources, start=2):
        put(sheet, row, 1, source.code)
        put(sheet, row, 2, source.name)
    _finish(sheet)
    sheet = workbook.create_sheet(layout.UNIT_SHEET)
    _header(sheet, layout.UNIT_COLUMNS)
    for row, unit in enumerate(units, start=2):
        put(sheet, row, 1, unit.name)
    _finish(sheet)


def _save(workbook: Workbook) -> bytes:
    return xlsx.workbook_bytes(workbook)


def version_workbook(version: PlanVersion) -> bytes:
    """The whole version as XLSX bytes, in a fixed number of queries."""
    kind = version.plan.kind_spec
    tree = version_tree(version)
    measures = list(tree.measures.values())
    lines = [line for measure in measures for line in measure.funding_list]
    money, sources = _money_columns(version.years, lines)
    units = list(Unit.objects.order_by("name"))
    unit_names = {unit.pk: unit.name for unit in units}
    links: dict[int, list[MeasureLink]] = {}
    reference = DevelopmentReference(None, {}, {})
    if kind.uses("implements"):
        for link in MeasureLink.objects.filter(measure__version=version).order_by("position"):
            links.setdefault(link.measure_id, []).append(link)
        if links:
            reference = development_reference(version.plan)

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = layout.INSTRUCTION_SHEET
    _instructions(instructions, kind, version)

    sheet = workbook.create_sheet(layout.PLAN_SHEET, 0)
    columns = layout.plan_columns(kind)
    money_headers = [layout.money_header(year, source.code) for year, source in money]
    width = _header(sheet, columns, [*money_headers, layout.KEY.header])
    _hide_key(sheet, width)
    words = layout.level_words(kind)
    measure_kinds = layout.choice_words()["measure_kind"]
    nodes: list[tuple[str, Any]] = []
    for priority in tree.priorities:
        nodes.append(("priority", priority))
        for goal in priority.children:
            nodes.append(("goal", goal))
            for task in goal.children:
                nodes.append(("task", task))
                nodes.extend(("measure", measure) for measure in task.children)
    for row, (level, node) in enumerate(nodes, start=2):
        values: dict[str, Any] = {
            "code": node.code,
            "level": words[level],
            "title": node.title,
            "description": node.description,
        }
        amounts: dict[tuple[int, int], Decimal] = {}
        if level == "measure":
            values.update(
                kind=measure_kinds.get(node.kind, node.kind),
                implements="; ".join(
                    reference.code_of.get(link.key) or str(link.key)
                    for link in links.get(node.pk, [])
                ),
                responsible_unit=unit_names.get(node.responsible_unit_id),
                appropriation_manager=unit_names.get(node.appropriation_manager_id),
                co_executors="; ".join(unit.name for unit in node.co_executor_list),
                start_year=node.start_year,
                end_year=node.end_year,
            )
            amounts = {(line.year, line.source_id): line.amount for line in node.funding_list}
        for index, column in enumerate(columns, start=1):
            put(sheet, row, index, values.get(column.name))
        for index, (year, source) in enumerate(money, start=len(columns) + 1):
            put(sheet, row, index, amounts.get((year, source.pk)), layout.MONEY_FORMAT)
        put(sheet, row, width, node.key)
    _finish(sheet)

    _indicator_sheet(workbook, kind, version, nodes)
    _reference_sheets(workbook, sources, units)
    return _save(workbook)


def _indicator_sheet(workbook: Workbook, kind: Kind, version: PlanVersion | None, nodes) -> None:
    indicators = [
        (node, indicator)
        for level, node in nodes
        if level != "priority"
        for indicator in node.indicator_list
    ]
    years = sorted(
        set(version.years if version else ())
        | {target.year for _node, indicator in indicators for target in indicator.target_list}
    )
    sheet = workbook.create_sheet(layout.INDICATOR_SHEET, 1)
    columns = layout.INDICATOR_COLUMNS
    width = _header(sheet, columns, [*(str(year) for year in years), layout.KEY.header])
    _hide_key(sheet, width)
    choices = layout.choice_words()
    for row, (node, indicator) in enumerate(indicators, start=2):
        values = {name: getattr(indicator, name) for name in (c.name for c in columns[2:])}
        values.update(
            owner=node.code,
            kind=choices["indicator_kind"].get(indicator.kind, indicator.kind),
            direction=choices["direction"].get(indicator.direction, indicator.direction),
        )
        for index, column in enumerate(columns, start=1):
            number_format = layout.NUMBER_FORMAT if column.name == "baseline_value" else ""
            put(sheet, row, index, values.get(column.name), number_format)
        targets = {target.year: target.value for target in indicator.target_list}
        for index, year in enumerate(years, start=len(columns) + 1):
            put(sheet, row, index, targets.get(year), layout.NUMBER_FORMAT)
        put(sheet, row, width, indicator.key)
    _finish(sheet)


def blank_workbook(kind: Kind, *, years: Iterable[int]) -> bytes:
    """An empty workbook of ``kind`` with money and target columns for ``years``."""
    years = list(years)
    money, sources = _money_columns(years, [])
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = layout.INSTRUCTION_SHEET
    _instructions(instructions, kind, None)
    sheet = workbook.create_sheet(layout.PLAN_SHEET, 0)
    money_headers = [layout.money_header(year, source.code) for year, source in money]
    _hide_key(sheet, _header(sheet, layout.plan_columns(kind), [*money_headers, layout.KEY.header]))
    sheet = workbook.create_sheet(layout.INDICATOR_SHEET, 1)
    extra = [*(str(year) for year in years), layout.KEY.header]
    _hide_key(sheet, _header(sheet, layout.INDICATOR_COLUMNS, extra))
    _reference_sheets(workbook, sources, Unit.objects.order_by("name"))
    return _save(workbook)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A download of the workbook ``data`` as ``filename`` (ASCII)."""
    response = HttpResponse(data, content_type=layout.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
