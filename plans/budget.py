"""The budget summary's picture and files: an SVG chart of the funding by
year, and the same amounts as CSV (for Lithuanian Excel) and XLSX.

Everything here is drawn from a ``selectors.BudgetSummary``, which costs
three queries whatever the size of the plan; nothing here queries.

The chart follows monitoring's charts (monitoring/charts.py): drawn on the
server, every colour a presentation attribute (the Content-Security-Policy
allows them, WeasyPrint draws them), each value written beside its bar so
that no reader needs the colours, and the same numbers in the table that
follows it on the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook

from planportal import xlsx
from plans.selectors import BudgetSummary, MoneyGrid
from plans.templatetags.plan_tags import money
from plans.words import Words

MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")
# The chart's own coordinates; the page scales it to its width (at most
# 36rem, budget.css), a phone to about 360 px: 22-unit letters stay about
# 14 px there.
WIDTH = 560
LEFT, RIGHT, TOP, ROW = 72, 12, 12, 40
FONT = 22
BAR_COLOUR = "#1e5631"  # 7.9:1 against white (WCAG 1.4.11 needs 3:1)
TEXT_COLOUR = "#1b1f24"
AXIS_COLOUR = "#4a5360"
# Room kept right of the longest bar for its amount ("1 234 567 890,00").
VALUE_ROOM = 215


def by_year(summary: BudgetSummary) -> MoneyGrid:
    """Years as rows, priorities as columns: a plan has fewer priorities than
    years, so the table fits a desktop's width."""
    return summary.by_year.transposed()


def by_source(summary: BudgetSummary) -> MoneyGrid:
    """Sources as rows, priorities as columns (as ``by_year``)."""
    return summary.by_source.transposed()


def year_totals(summary: BudgetSummary) -> list[tuple[int, Decimal]]:
    """(year, planned funding of every measure that year), in year order."""
    grid = summary.by_year
    return list(zip(grid.columns, grid.column_totals, strict=True))  # type: ignore[arg-type]


def budget_chart(summary: BudgetSummary, *, chart_id: str, title: str) -> SafeString:
    """A horizontal bar per year, its amount in euros written beside it.

    ``chart_id`` names the title and the description for ``aria-labelledby``.
    """
    totals = year_totals(summary)
    height = TOP * 2 + ROW * max(len(totals), 1)
    described = escape(
        _("Planned funding of all measures by year, in euros, as horizontal bars: %(values)s.")
        % {"values": "; ".join(f"{year}: {money(amount)}" for year, amount in totals)}
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="budget-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{described}</desc>'
    ]
    top = max((amount for _year, amount in totals), default=Decimal(0))
    room = WIDTH - LEFT - RIGHT - VALUE_ROOM
    parts.append(f'<g font-size="{FONT}" fill="{TEXT_COLOUR}">')
    for index, (year, amount) in enumerate(totals):
        y = TOP + ROW * index
        length = float(amount / top) * room if top > 0 else 0.0
        parts.append(
            f'<text x="{LEFT - 10}" y="{y + 28}" text-anchor="end">{year}</text>'
            f'<rect class="budget-bar" x="{LEFT}" y="{y + 7}" width="{length:.1f}" '
            f'height="{ROW - 12}" fill="{BAR_COLOUR}"/>'
            f'<text class="budget-bar-value" x="{LEFT + length + 8:.1f}" y="{y + 28}">'
            f"{escape(money(amount))}</text>"
        )
    parts.append(
        f'</g><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{height - TOP}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1.5"/></svg>'
    )
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


# --- Files ------------------------------------------------------------------------


def file_header(words: Words) -> list[str]:
    return [
        _("Code"),
        str(words.priority.label),
        _("Year"),
        _("Funding source code"),
        _("Funding source"),
        _("Amount, EUR"),
    ]


def file_rows(summary: BudgetSummary) -> Iterator[list[Any]]:
    """A row per priority, year and source with money: the long table a
    spreadsheet filters and pivots."""
    for priority, grid in summary.per_priority:
        for row in grid.rows:
            for source, amount in zip(grid.columns, row.values, strict=True):
                if amount:
                    yield [
                        priority.code,
                        priority.title,
                        row.header,
                        source.code,  # type: ignore[attr-defined]
                        source.name,  # type: ignore[attr-defined]
                        # SQLite's sums come back as 1100 or 1234567.89000000.
                        amount.quantize(CENT),
                    ]


def _grid_sheet(workbook: Workbook, title: str, corner: str, grid: MoneyGrid) -> None:
    def name(header: object) -> object:
        code = getattr(header, "code", None)
        if code is None:
            return header
        return f"{code} {getattr(header, 'title', getattr(header, 'name', ''))}".strip()

    total = _("Total")
    rows: list[list[Any]] = [[name(row.header), *row.values, row.total] for row in grid.rows]
    rows.append([total, *grid.column_totals, grid.total])
    width = len(grid.columns) + 2
    sheet = xlsx.table_sheet(
        workbook,
        title,
        [corner, *(str(name(column)) for column in grid.columns), total],
        rows,
        freeze_columns=1,
        number_formats={column: MONEY_FORMAT for column in range(2, width + 1)},
    )
    for column in range(2, width + 1):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = 22
    # The totals row is part of the table, but must not be sorted into it.
    sheet.auto_filter.ref = f"A1:{sheet.cell(1, width).column_letter}{sheet.max_row - 1}"


def budget_workbook(summary: BudgetSummary, words: Words) -> bytes:
    """The long table, then the two summary tables of the page."""
    workbook = Workbook()
    xlsx.table_sheet(
        workbook,
        _("Funding"),
        file_header(words),
        file_rows(summary),
        widths=(8, 60, 8, 12, 40, 18),
        freeze_columns=2,
        number_formats={6: MONEY_FORMAT},
        first=True,
    )
    _grid_sheet(workbook, _("By year"), _("Year"), by_year(summary))
    _grid_sheet(workbook, _("By source"), _("Funding source"), by_source(summary))
    return xlsx.workbook_bytes(workbook)
