"""A yearly report's annex: every table of the report as an XLSX workbook.

``report_workbook(report, content)`` writes what the report shows
(``content``: the frozen snapshot, or a draft's live build, as
``selectors.report_content`` gives it) and reads nothing else, so the annex
of an approved report stays what the council approved. The sheets, in the
reader's language (Lithuanian by default: "Suvestinė", "Lėšos pagal
prioritetus", "Lėšos pagal šaltinius", "Rodikliai", "Rodiklių reikšmės",
"Priemonės"), then one sheet for each extra section (``ReportSection``)
whose content holds simple tables.

The annex is read, not imported back, so unlike the plan's workbook
(plans/spreadsheets/layout.py) its headers are translated, like the open
data's XLSX. Cells are written with ``plans.spreadsheets.export.put``:
texts as text cells, never formulas (a title starting with "=" stays a
title), numbers as numbers with a display format, and totals as values.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.models import ImplementationStatus
from monitoring.progress import ProgressStatus
from planportal.xlsx import format_table, print_setup
from plans.spreadsheets.export import put
from plans.spreadsheets.layout import MONEY_FORMAT
from plans.words import words_for

from .models import ReportStatus
from .selectors import extra_sections

if TYPE_CHECKING:
    from .models import Report

PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
# An Excel sheet's name: at most 31 characters, none of []:*?/\ .
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
# The money-by-top-level sheet names the top level as the plan's kind does.
_MONEY_BY_TOP = {"action": gettext_lazy("Money by programme")}


def filename(report: Report) -> str:
    """The annex's file name (ASCII): ``report-<plan>-<year>-r<revision>.xlsx``."""
    return f"report-{report.plan_id}-{report.year}-r{report.revision}.xlsx"


def _number(value: Any) -> Decimal | None:
    """A snapshot's figure (a string) as a decimal, so that the cell is a number."""
    if value is None or value == "":
        return None
    return Decimal(str(value))


def _status(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(ProgressStatus(value).label)
    except ValueError:
        return value


def _implementation(value: str | None) -> str:
    if not value:
        return _("Not reported")
    try:
        return str(ImplementationStatus(value).label)
    except ValueError:
        return value


class _Sheet:
    """Writes rows one under another: tables with a bold header row, key-value lines."""

    def __init__(self, sheet: Worksheet, widths: Sequence[int] = ()) -> None:
        self.sheet = sheet
        self.row = 1
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

    def title(self, text: str, size: int = 12) -> None:
        put(self.sheet, self.row, 1, text)
        self.sheet.cell(row=self.row, column=1).font = Font(bold=True, size=size)
        self.row += 1

    def header(self, headers: Iterable[str]) -> None:
        for column, text in enumerate(headers, start=1):
            put(self.sheet, self.row, column, text)
            cell = self.sheet.cell(row=self.row, column=column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self.row += 1

    def line(self, values: Iterable[Any], formats: Sequence[str] = (), bold: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            number_format = formats[column - 1] if column <= len(formats) else ""
            if isinstance(value, datetime.date):
                self.sheet.cell(row=self.row, column=column, value=value)
                number_format = DATE_FORMAT
            else:
                put(self.sheet, self.row, column, value, number_format)
            cell = self.sheet.cell(row=self.row, column=column)
            if number_format and cell.value is not None:
                cell.number_format = number_format
            if bold:
                cell.font = Font(bold=True)
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def _sheet_name(title: str, taken: set[str]) -> str:
    name = SHEET_NAME_BAD.sub(" ", title).strip()[:SHEET_NAME_MAX] or "Sheet"
    candidate, number = name, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def _summary(book: _Sheet, report: Report, content: dict) -> None:
    summary = content.get("summary", {})
    book.title(str(report), size=14)
    if not report.is_frozen:
        book.title(_("Draft: the figures are computed from the current data and may change."))
    book.gap()
    round_ = content.get("round", {})
    published = round_.get("published_at")
    lines: list[tuple[str, Any, str]] = [
        (_("Plan"), content.get("plan", {}).get("title"), ""),
        (_("Municipality"), content.get("plan", {}).get("municipality"), ""),
        (_("Year"), content.get("year"), ""),
        (_("Revision"), report.revision, ""),
        (_("Status"), str(ReportStatus(report.status).label), ""),
        (_("Plan version"), content.get("version", {}).get("label"), ""),
        (
            _("Monitoring round published"),
            timezone.localtime(datetime.datetime.fromisoformat(published)).date()
            if published
            else None,
            "",
        ),
        (_("Council decision number"), report.decision_number, ""),
        (_("Council decision date"), report.decision_date, ""),
        (_("Progress of the plan"), summary.get("progress"), PERCENT_FORMAT),
        (_("Progress status"), _status(summary.get("status")), ""),
        (_("Measures"), summary.get("measure_total"), ""),
        (_("Measures not reported"), summary.get("not_reported"), ""),
        (_("Planned, EUR"), _number(summary.get("planned")), MONEY_FORMAT),
        (_("Spent, EUR"), _number(summary.get("spent")), MONEY_FORMAT),
    ]
    for label, value, number_format in lines:
        book.line([label, value], ["", number_format])
        book.sheet.cell(row=book.row - 1, column=1).font = Font(bold=True)

    book.gap()
    book.title(_("Measures by implementation status"))
    book.header([_("Implementation status"), _("Measures")])
    counts = summary.get("implementation_counts", {})
    for code in ImplementationStatus.values:
        book.line([_implementation(code), counts.get(code, 0)])
    book.line([_("Not reported"), summary.get("not_reported", 0)])

    book.gap()
    book.title(_("Measures by progress status"))
    book.header([_("Status"), _("Measures")])
    counts = summary.get("progress_counts", {})
    for code in ProgressStatus.values:
        book.line([_status(code), counts.get(code, 0)])

    words = words_for(report.plan)
    book.gap()
    book.title(_("Progress of each level"))
    book.header([_("Level"), _("Code"), _("Title"), _("Progress"), _("Status")])
    formats = ["", "", "", PERCENT_FORMAT]
    for priority in content.get("priorities", []):
        book.line(
            [
                str(words.priority.label),
                priority["code"],
                priority["title"],
                priority["progress"],
                _status(priority["status"]),
            ],
            formats,
        )
        for goal in priority["goals"]:
            book.line(
                [
                    str(words.goal.label),
                    goal["code"],
                    goal["title"],
                    goal["progress"],
                    _status(goal["status"]),
                ],
                formats,
            )


def _money(book: _Sheet, rows: list[dict], first: str, second: str, caption: str) -> None:
    book.title(caption)
    book.header([first, second, _("Planned, EUR"), _("Spent, EUR")])
    formats = ["", "", MONEY_FORMAT, MONEY_FORMAT]
    planned = spent = Decimal("0")
    for row in rows:
        amounts = (_number(row.get("planned")), _number(row.get("spent")))
        planned += amounts[0] or 0
        spent += amounts[1] or 0
        book.line([row["code"], row.get("title", row.get("name")), *amounts], formats)
    book.line([_("Total"), "", planned, spent], formats, bold=True)
    format_table(book.sheet, header_row=2)


def _indicators(book: _Sheet, report: Report, content: dict) -> None:
    words = words_for(report.plan)
    book.header(
        [
            _("Belongs to (code)"),
            _("Level"),
            _("Indicator code"),
            _("Indicator"),
            _("Unit of measure"),
            _("Baseline value"),
            _("Baseline year"),
            _("Target"),
            _("Target year"),
            _("Target for the report year"),
            _("Actual value"),
            _("Year of the actual value"),
            _("Progress"),
            _("Status"),
            _("Key"),
        ]
    )
    formats = [""] * 12 + [PERCENT_FORMAT]
    for row in _indicator_rows(content):
        book.line(
            [
                row["node_code"],
                str(words[row["level"]].label) if row.get("level") else "",
                row["code"],
                row["name"],
                row["unit"],
                _number(row["baseline"]),
                row["baseline_year"],
                _number(row["target"]),
                row["target_year"],
                _number(row["year_target"]),
                _number(row["actual"]),
                row["actual_year"],
                row["progress"],
                _status(row["status"]),
                row["key"],
            ],
            formats,
        )
    book.sheet.column_dimensions[get_column_letter(15)].hidden = True
    format_table(book.sheet, freeze_columns=3)


def _indicator_values(book: _Sheet, content: dict) -> None:
    book.header(
        [_("Indicator code"), _("Indicator"), _("Unit of measure"), _("Year"), _("Target")]
        + [_("Actual value")]
    )
    for row in _indicator_rows(content):
        for point in row.get("series", []):
            book.line(
                [
                    row["code"],
                    row["name"],
                    row["unit"],
                    point["year"],
                    _number(point["target"]),
                    _number(point["actual"]),
                ]
            )
    format_table(book.sheet, freeze_columns=2)


def _measures(book: _Sheet, content: dict) -> None:
    book.header(
        [
            _("Code"),
            _("Title"),
            _("Responsible unit"),
            _("Start year"),
            _("End year"),
            _("Implementation status"),
            _("Year reported"),
            _("Progress"),
            _("Status"),
            _("Planned, EUR"),
            _("Spent, EUR"),
            _("Reason or note"),
            _("Key"),
        ]
    )
    formats = [""] * 7 + [PERCENT_FORMAT, "", MONEY_FORMAT, MONEY_FORMAT]
    for row in _measure_rows(content):
        book.line(
            [
                row["code"],
                row["title"],
                row["unit"],
                row["start_year"],
                row["end_year"],
                _implementation(row["implementation"]),
                row.get("implementation_year"),
                row["progress"],
                _status(row["status"]),
                _number(row["planned"]),
                _number(row["spent"]),
                row["reason"],
                row["key"],
            ],
            formats,
        )
    book.sheet.column_dimensions[get_column_letter(13)].hidden = True
    format_table(book.sheet, freeze_columns=2)


def _indicator_rows(content: dict) -> list[dict]:
    return [
        row
        for priority in content.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["indicators"]
    ]


def _measure_rows(content: dict) -> list[dict]:
    return [
        row
        for priority in content.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["measures"]
    ]


SCALARS = (str, int, float, bool, type(None))


def section_tables(section: dict) -> list[tuple[str, list[str], list[list]]]:
    """The simple tables of an extra section's content: ``(title, headers, rows)``.

    A simple table is a list of flat dicts (every value a string, number or
    None), at the top of the section's dict; the headers are its keys. A
    section's hook may give better ones with a ``tables(section)`` of its
    own (see ``report_workbook``).
    """
    tables = []
    for name, value in section.items():
        if not isinstance(value, list) or not value:
            continue
        if not all(isinstance(item, dict) for item in value):
            continue
        if not all(isinstance(cell, SCALARS) for item in value for cell in item.values()):
            continue
        headers: list[str] = []
        for item in value:
            headers += [key for key in item if key not in headers]
        rows = [[item.get(key) for key in headers] for item in value]
        tables.append((_humanise(name), [_humanise(key) for key in headers], rows))
    return tables


def _humanise(name: str) -> str:
    return str(name).replace("_", " ").strip().capitalize()


def _extra_sections(workbook: Workbook, content: dict, taken: set[str]) -> None:
    from planportal.extensions import registry

    hooks = {hook.key: hook for hook in registry.report_sections}
    for extra in extra_sections(content):
        # A hook may say how its section reads as tables; otherwise the
        # section's lists of flat rows are its tables.
        own = getattr(hooks.get(extra["key"]), "tables", None)
        tables = own(extra["section"]) if callable(own) else section_tables(extra["section"])
        if not tables:
            continue
        book = _Sheet(workbook.create_sheet(_sheet_name(str(extra["title"]), taken)))
        book.title(str(extra["title"]), size=14)
        for title, headers, rows in tables:
            book.gap()
            book.title(str(title))
            book.header([str(header) for header in headers])
            for row in rows:
                book.line(row)


def report_workbook(report: Report, content: dict) -> bytes:
    """The report's annex as XLSX bytes; no queries beyond the plan's (loaded with the report)."""
    workbook = Workbook()
    taken: set[str] = set()
    summary = content.get("summary", {})
    money_by_top = _MONEY_BY_TOP.get(report.plan.kind, gettext_lazy("Money by priority"))
    words = words_for(report.plan)

    sheet = workbook.active
    sheet.title = _sheet_name(pgettext("sheet of a report's annex", "Summary"), taken)
    _summary(_Sheet(sheet, [34, 16, 60, 12, 18]), report, content)

    book = _Sheet(workbook.create_sheet(_sheet_name(str(money_by_top), taken)), [10, 60, 16, 16])
    _money(
        book,
        summary.get("money_by_priority", []),
        _("Code"),
        str(words.priority.label),
        _("Money of the year %(year)s, EUR") % {"year": content.get("year")},
    )

    book = _Sheet(workbook.create_sheet(_sheet_name(_("Money by source"), taken)), [10, 40, 16, 16])
    _money(
        book,
        summary.get("money_by_source", []),
        _("Code"),
        _("Funding source"),
        _("Money of the year %(year)s, EUR") % {"year": content.get("year")},
    )

    widths = [12, 10, 12, 50, 14, 12, 10, 12, 10, 14, 12, 12, 10, 18]
    _indicators(
        _Sheet(workbook.create_sheet(_sheet_name(_("Indicators"), taken)), widths), report, content
    )
    _indicator_values(
        _Sheet(
            workbook.create_sheet(_sheet_name(_("Indicator values"), taken)),
            [12, 50, 14, 8, 12, 12],
        ),
        content,
    )
    widths = [10, 50, 30, 10, 10, 18, 10, 10, 18, 14, 14, 40]
    _measures(_Sheet(workbook.create_sheet(_sheet_name(_("Measures"), taken)), widths), content)
    _extra_sections(workbook, content, taken)
    # The sheets of several small tables (the summary, the extra sections)
    # get the print setup only; the others were laid out as tables above.
    for sheet in workbook.worksheets:
        if sheet.auto_filter.ref is None:
            print_setup(sheet, header_row=None)

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
