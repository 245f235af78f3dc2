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


def _svg(*, width, height, id_prefix, title, desc, parts) -> str:
    """The chart's ``<svg>``, named by its ``<title>`` and ``<desc>``.

    ``parts`` are already escaped.
    """
    return format_html(
        '<svg class="climate-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title>'
        '<desc id="{p}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        p=id_prefix,
        title=title,
        desc=desc,
        body=mark_safe("".join(parts)),
    )


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = len(str(int(value))) - 1
    step = 10**exponent
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= factor * step:
            return factor * step
    return 10 * step


def sector_chart(reports, *, id_prefix: str = "chart-sectors") -> dict:
    """Emissions by sector, t CO2: the baseline beside each monitoring inventory."""
    reports = list(reports)
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
    width, left, right = 760, 16, 110
    bar_h, gap, label_h = 14, 2, 20
    group_h = label_h + len(reports) * (bar_h + gap) + 10
    legend_h = 28
    height = legend_h + len(rows) * group_h + 10
    plot_w = width - left - right
    parts = []
    for i, label in enumerate(labels):
        x = left + i * 130
        parts.append(
            format_html(
                '<rect x="{}" y="6" width="14" height="14" fill="{}"/><text x="{}" y="18" '
                'font-size="13" fill="{}">{}</text>',
                x,
                PALETTE[i % len(PALETTE)],
                x + 20,
                TEXT,
                label,
            )
        )
    for g, row in enumerate(rows):
        y0 = legend_h + g * group_h
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}">{}</text>',
                left,
                y0 + 14,
                TEXT,
                row["label"],
            )
        )
        for i, value in enumerate(row["values"]):
            y = y0 + label_h + i * (bar_h + gap)
            w = plot_w * float(value) / top
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {} t</title></rect>"
                    '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
                    left,
                    y,
                    f"{w:.1f}",
                    bar_h,
                    PALETTE[i % len(PALETTE)],
                    labels[i],
                    _n(value),
                    f"{left + w + 4:.1f}",
                    y + bar_h - 3,
                    TEXT,
                    _n(value),
                )
            )
    svg = _svg(width=width, height=height, id_prefix=id_prefix, title=title, desc=desc, parts=parts)
    return {"svg": svg, "title": title, "columns": labels, "rows": rows, "id": id_prefix}


def trajectory_chart(
    progress: dict, measures, *, id_prefix: str = "chart-trajectory"
) -> dict | None:
    """Total emissions: the inventories, the linear path to the target and
    the baseline minus the action plan's expected cumulative reduction."""
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
    # A second row of the legend when the achieved reduction is drawn.
    width, height, left, right, top_pad, bottom = 760, 360, 90, 20, 58 if achieved else 40, 40
    plot_w, plot_h = width - left - right, height - top_pad - bottom
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
                '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="{}">{}</text>',
                left,
                f"{yy:.1f}",
                width - right,
                f"{yy:.1f}",
                GRID,
                left - 6,
                f"{yy + 4:.1f}",
                TEXT,
                _n(Decimal(str(value))),
            )
        )
    step = 1 if n <= 12 else 2 if n <= 24 else 5
    for year in span[::step]:
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="{}">{}</text>',
                f"{x(year):.1f}",
                height - bottom + 16,
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
    legend = [
        (PALETTE[0], _("Inventories"), "circle"),
        (PALETTE[1], _("Path to the target"), "dash"),
        (PALETTE[2], _("Baseline less the measures' expected reduction"), "line"),
    ]
    if achieved:
        legend.append((PALETTE[3], _("Baseline less the achieved reduction"), "dot"))
    dashes = {"dash": ' stroke-dasharray="6 3"', "dot": ' stroke-dasharray="2 4"'}
    lx, ly = left, 16
    for colour, label, shape in legend:
        if shape == "dot":
            lx, ly = left, 36  # the fourth entry starts the legend's second row
        if shape == "circle":
            parts.append(
                format_html('<circle cx="{}" cy="{}" r="6" fill="{}"/>', lx + 7, ly, colour)
            )
        else:
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="3"{}/>',
                    lx,
                    ly,
                    lx + 20,
                    ly,
                    colour,
                    mark_safe(dashes.get(shape, "")),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                lx + 26,
                ly + 4,
                TEXT,
                label,
            )
        )
        lx += 34 + 7 * len(str(label))
    svg = _svg(width=width, height=height, id_prefix=id_prefix, title=title, desc=desc, parts=parts)
    return {"svg": svg, "title": title, "rows": rows, "id": id_prefix}
