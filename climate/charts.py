"""Server-rendered SVG charts (the browser pages and the PDF use the same).

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``
and comes with its data as a table (the templates show it beside the chart),
so that nothing is said by the picture alone. Colours are plain attributes,
not CSS, so that WeasyPrint draws them the same in the PDF. Coordinates are
floats: they are pixels, not quantities.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import calc
from .constants import SECTORS

PALETTE = ["#0b5394", "#a4161a", "#1e5631", "#6b4e00", "#5b2a86", "#00616b"]
TEXT = "#1b1f24"
GRID = "#c5ccd4"


def _n(value, places=0) -> str:
    return formats.number_format(
        Decimal(value).quantize(Decimal(1).scaleb(-places)),
        places,
        use_l10n=True,
        force_grouping=True,
    )


# How the charts are sized. On screen a chart is drawn at its own width in CSS
# pixels and shrinks with the page, so it is laid out narrow enough that on a
# phone (a 358 px column) its smallest text is still about 10 px. In the PDF
# its user unit is PDF_SCALE points (``scale``), so a font size of
# MIN_FONT units is at least MIN_PDF_PT points on paper.
SCREEN = {"width": 440, "font": 15, "small": 14, "columns": 1, "pad": 12}
# In the PDF a chart is 560 × 0.7 pt (138 mm) wide: its data table fits
# beside it on the annex's landscape page.
PDF = {"width": 560, "font": 13, "small": 12, "columns": 1, "pad": 6}
PDF_SCALE = 0.7
MIN_PDF_PT = 8


def _svg(*, width, height, id_prefix, title, desc, parts, scale: float | None = None) -> str:
    """The chart's ``<svg>``, named by its ``<title>`` and ``<desc>``.

    ``parts`` are already escaped. With ``scale`` the chart's size is given in
    points (a user unit is ``scale`` pt), so that its text keeps a known size
    on paper whatever the page; without it, in CSS pixels.
    """
    if scale is None:
        size = format_html('width="{}" height="{}"', width, height)
    else:
        size = format_html(
            'width="{}pt" height="{}pt"', f"{width * scale:.1f}", f"{height * scale:.1f}"
        )
    return format_html(
        '<svg class="climate-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        '{size} role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title>'
        '<desc id="{p}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        size=size,
        p=id_prefix,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),
    )


def _c(value: float) -> str:
    """A coordinate to a tenth of a unit."""
    return f"{value:.1f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = len(str(int(value))) - 1
    step = 10**exponent
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def _wrap(text: str, *, width: float, font: float) -> list[str]:
    """``text`` in lines that fit ``width`` units at ``font`` (SVG text does
    not wrap by itself). A letter of Liberation Sans is taken as 0.55 em
    wide on average, generous enough for Lithuanian words."""
    per_line = max(8, int(width / (font * 0.55)))
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def sector_chart(reports, *, id_prefix: str = "chart-sectors", pdf: bool = False) -> dict:
    """Emissions by sector, t CO2: the baseline beside each monitoring inventory.

    Each sector is a group: its name (wrapped to the group's width) over one
    bar per inventory, in one column: narrow enough for a phone on screen; in
    the PDF at ``PDF_SCALE`` points a unit, so that the chart, its heading and
    its data table beside it fit a landscape page and no label is below
    ``MIN_PDF_PT``.
    """
    reports = list(reports)
    size = PDF if pdf else SCREEN
    font, small = size["font"], size["small"]
    title = _("CO2 emissions by sector, t")
    labels = [r.inventory.short_label for r in reports]
    desc = _(
        "Horizontal bars: for each sector one bar per inventory (%(inventories)s). The table "
        "below gives the figures."
    ) % {"inventories": ", ".join(labels)}
    rows: list[dict[str, Any]] = [
        {"label": label, "values": [r.result.co2_by_sector[slug] for r in reports]}
        for slug, label in SECTORS
    ]
    rows.append(
        {
            "label": _("Other emissions (waste, wastewater)"),
            "values": [r.result.other_co2_t for r in reports],
        }
    )
    top = _nice_max(float(max((v for row in rows for v in row["values"]), default=0)))
    width, columns, left, gutter = size["width"], size["columns"], 8, 24
    column_w = (width - left - gutter * (columns - 1)) / columns
    # Room right of the longest bar for its value ("123 456,8").
    value_w = small * 6
    plot_w = column_w - value_w
    line_h, bar_h, gap, pad = font * 1.25, small + 4, 3, size["pad"]
    # The legend: the inventories side by side, as many as fit a line.
    parts = []
    legend_per_row = max(1, int(width // 150))
    for i, label in enumerate(labels):
        lx = left + (i % legend_per_row) * 150
        ly = 4 + (i // legend_per_row) * (font + 8)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/><text x="{}" y="{}" '
                'font-size="{}" fill="{}">{}</text>',
                lx,
                ly,
                font,
                font,
                PALETTE[i % len(PALETTE)],
                lx + font + 6,
                ly + font - 2,
                font,
                TEXT,
                label,
            )
        )
    legend_h = (-(-len(labels) // legend_per_row)) * (font + 8) + 8
    groups = []
    for row in rows:
        lines = _wrap(row["label"], width=column_w, font=font)
        groups.append((row, lines, len(lines) * line_h + 4 + len(reports) * (bar_h + gap) + pad))
    per_column = -(-len(groups) // columns)
    column_heights = []
    for c in range(columns):
        y0 = legend_h
        for row, lines, group_h in groups[c * per_column : (c + 1) * per_column]:
            x0 = left + c * (column_w + gutter)
            tspans = mark_safe(
                "".join(
                    format_html(
                        '<tspan x="{}" dy="{}">{}</tspan>', _c(x0), _c(line_h if k else 0), t
                    )
                    for k, t in enumerate(lines)
                )
            )
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>',
                    _c(x0),
                    _c(y0 + font),
                    font,
                    TEXT,
                    tspans,
                )
            )
            bars_y = y0 + len(lines) * line_h + 4
            for i, value in enumerate(row["values"]):
                y = bars_y + i * (bar_h + gap)
                w = plot_w * float(value) / top
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                        "<title>{}: {} t</title></rect>"
                        '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                        _c(x0),
                        _c(y),
                        _c(w),
                        bar_h,
                        PALETTE[i % len(PALETTE)],
                        labels[i],
                        _n(value),
                        _c(x0 + w + 4),
                        _c(y + bar_h - 4),
                        small,
                        TEXT,
                        _n(value),
                    )
                )
            y0 += group_h
        column_heights.append(y0)
    height = int(max(column_heights, default=legend_h) + 4)
    svg = _svg(
        width=width,
        height=height,
        id_prefix=id_prefix,
        title=title,
        desc=desc,
        parts=parts,
        scale=PDF_SCALE if pdf else None,
    )
    return {"svg": svg, "title": title, "columns": labels, "rows": rows, "id": id_prefix}


def trajectory_chart(
    progress: dict, measures, *, id_prefix: str = "chart-trajectory", pdf: bool = False
) -> dict | None:
    """Total emissions: the inventories, the linear path to the target and
    the baseline minus the action plan's expected cumulative reduction.

    Sized as ``sector_chart`` is: narrow on screen, in points in the PDF; the
    legend one entry a line, wrapped, above the plot."""
    baseline = progress["baseline"]
    target = progress.get("target")
    b_year, b_total = baseline.inventory.year, baseline.result.total_co2_t
    years = [r["inventory"].year for r in progress["rows"]]
    end = max(years + [target.year if target else b_year] + [m.end_year for m in measures])
    end = max(end, b_year + 1)
    span = list(range(b_year, end + 1))
    target_total = progress.get("target_total")
    rows = []
    actual = {r["inventory"].year: r["total"] for r in progress["rows"]}
    # What the measures achieved (climate.selectors.progress, "achieved").
    achieved = {r["year"]: r["achieved"] for r in progress.get("achieved", [])}
    end = max([end, *achieved])
    span = list(range(b_year, end + 1))
    for year in span:
        reduction = calc.dsum(
            calc.measure_reduction_in(
                start_year=m.start_year, end_year=m.end_year, reduction=m.co2_reduction_t, year=year
            )
            for m in measures
        )
        path = (
            calc.trajectory(
                baseline_year=b_year,
                baseline_total=b_total,
                target_year=target.year,
                target_total=target_total,
                year=year,
            )
            if target and target_total is not None and year <= target.year
            else None
        )
        rows.append(
            {
                "year": year,
                "actual": actual.get(year),
                "trajectory": path,
                "with_measures": b_total - reduction,
                "with_achieved": b_total - achieved[year] if year in achieved else None,
            }
        )
    title = _("Total CO2 emissions and the path to the target, t")
    desc = _(
        "Line chart by year: the inventories' total emissions (points), the linear path from "
        "the baseline to the target (dashed line) and the baseline less the action plan's "
        "expected cumulative reduction (solid line); where the measures reported what they "
        "achieved, the baseline less the achieved reduction (dotted line). The table below gives "
        "the figures."
    )
    top = _nice_max(float(max([b_total] + [r["actual"] or 0 for r in rows])) * 1.05)
    size = PDF if pdf else SCREEN
    font, small = size["font"], size["small"]
    width = size["width"]
    legend = [
        (PALETTE[0], _("Inventories"), "circle"),
        (PALETTE[1], _("Path to the target"), "dash"),
        (PALETTE[2], _("Baseline less the measures' expected reduction"), "line"),
    ]
    if achieved:
        legend.append((PALETTE[3], _("Baseline less the achieved reduction"), "dot"))
    legend_lines = [
        (colour, shape, _wrap(label, width=width - 40, font=font))
        for colour, label, shape in legend
    ]
    line_h = font * 1.25
    legend_h = sum(len(lines) * line_h + 6 for _c, _s, lines in legend_lines)
    left = int(small * 0.55 * 9) + 8  # room for "1 234 567" on the axis
    right, bottom = 26, small + 16  # half of the last year label sits right of the plot
    top_pad = int(legend_h) + 16
    plot_h = 300 if pdf else 240
    height = top_pad + plot_h + bottom
    plot_w = width - left - right
    n = len(span) - 1 or 1

    def x(year):
        return left + plot_w * (year - b_year) / n

    def y(value):
        return top_pad + plot_h * (1 - float(value) / top)

    parts = []
    for k in range(6):
        value = top * k / 5
        yy = y(value)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="{}">{}</text>',
                left,
                f"{yy:.1f}",
                width - right,
                f"{yy:.1f}",
                GRID,
                left - 6,
                f"{yy + 4:.1f}",
                small,
                TEXT,
                _n(Decimal(str(value))),
            )
        )
    # A year label is about four digits wide; label every year that has room.
    room = plot_w / n
    step = next(k for k in (1, 2, 5, 10, 20, 50) if room * k >= small * 0.55 * 4 + 10)
    for year in span[::step]:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{}">{}</text>',
                f"{x(year):.1f}",
                height - bottom + small + 4,
                small,
                TEXT,
                year,
            )
        )

    def polyline(points, colour, dash=""):
        if len(points) < 2:
            return ""
        coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
        return format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="3"{}/>',
            coords,
            colour,
            mark_safe(f' stroke-dasharray="{dash}"') if dash else "",
        )

    parts.append(
        polyline(
            [(r["year"], r["trajectory"]) for r in rows if r["trajectory"] is not None],
            PALETTE[1],
            "8 5",
        )
    )
    parts.append(polyline([(r["year"], r["with_measures"]) for r in rows], PALETTE[2]))
    parts.append(
        polyline(
            [(r["year"], r["with_achieved"]) for r in rows if r["with_achieved"] is not None],
            PALETTE[3],
            "2 4",
        )
    )
    for r in rows:
        if r["actual"] is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="6" fill="{}"><title>{}: {} t</title></circle>',
                    f"{x(r['year']):.1f}",
                    f"{y(r['actual']):.1f}",
                    PALETTE[0],
                    r["year"],
                    _n(r["actual"]),
                )
            )
    dashes = {"dash": ' stroke-dasharray="6 3"', "dot": ' stroke-dasharray="2 4"'}
    lx, ly = 8, 8 + font * 0.6
    for colour, shape, lines in legend_lines:
        if shape == "circle":
            parts.append(
                format_html('<circle cx="{}" cy="{}" r="6" fill="{}"/>', lx + 10, _c(ly), colour)
            )
        else:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{}/>',
                    lx,
                    _c(ly),
                    lx + 22,
                    _c(ly),
                    colour,
                    mark_safe(dashes.get(shape, "")),
                )
            )
        tspans = mark_safe(
            "".join(
                format_html('<tspan x="{}" dy="{}">{}</tspan>', lx + 30, _c(line_h if k else 0), t)
                for k, t in enumerate(lines)
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
                lx + 30,
                _c(ly + font * 0.35),
                font,
                TEXT,
                tspans,
            )
        )
        ly += len(lines) * line_h + 6
    svg = _svg(
        width=width,
        height=height,
        id_prefix=id_prefix,
        title=title,
        desc=desc,
        parts=parts,
        scale=PDF_SCALE if pdf else None,
    )
    return {"svg": svg, "title": title, "rows": rows, "id": id_prefix}
