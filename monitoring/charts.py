"""An indicator's actual values against its targets as a server-drawn SVG.

No JavaScript and no stylesheet: every colour is a presentation attribute
(``fill``, ``stroke``), which the Content-Security-Policy allows and which
WeasyPrint draws the same way, so the plan's PDF can show the same picture
(``indicator_chart`` returns inline SVG markup for any template).

The series differ by shape as well as by colour (bars for the actuals, a
dashed line with round points for the targets, a diamond for the baseline),
each value is written on the chart, and the legend names the shapes: no
reader needs to tell the colours apart. The same numbers belong in a table
next to the chart (the node panel shows one) for screen readers, which get
only the chart's title and description.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from plans.templatetags.plan_tags import quantity

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 48, 40
# Non-text contrast (WCAG 1.4.11) against white: every colour is at least 4.5:1.
ACTUAL_COLOUR = "#1e5631"
TARGET_COLOUR = "#0b5394"
BASELINE_COLOUR = "#5b2a86"
EARLIER_COLOUR = "#8a4b00"
AXIS_COLOUR = "#4a5360"
TEXT_COLOUR = "#1b1f24"

Point = tuple[int, Decimal]


def _num(value: float) -> str:
    return f"{value:.1f}"


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    step = (high - low) / count if high > low else 1.0
    return [low + step * i for i in range(count + 1)]


def indicator_chart(
    *,
    chart_id: str,
    title: str,
    unit: str,
    baseline: Point | None,
    targets: Sequence[Point],
    actuals: Sequence[Point],
    earlier: Sequence[Point] = (),
) -> SafeString:
    """The SVG of one indicator: baseline, targets by year and actuals by year.

    ``chart_id`` must be unique on the page (it names the title and the
    description for ``aria-labelledby``). Years run along the bottom, one slot
    each from the earliest to the latest year of any value. ``earlier``: the
    targets an earlier version of the plan set for a year and this one changed,
    drawn as hollow squares.
    """
    years = sorted(
        {year for year, _v in (*targets, *actuals, *earlier)}
        | ({baseline[0]} if baseline else set())
    )
    values = [float(v) for _y, v in (*targets, *actuals, *earlier)] + (
        [float(baseline[1])] if baseline else []
    )
    parts: list[str] = []
    described = escape(
        _("%(title)s, %(unit)s: actual values as bars, targets as a dashed line.")
        % {"title": title, "unit": unit}
    )
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="indicator-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{described}</desc>'
    )
    if not years:
        # Outside the f-string: xgettext before 0.22 (Debian 12) does not look
        # inside one, so the string would be missing from the catalogue there.
        no_values = _("No values yet.")
        parts.append(
            f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" fill="{TEXT_COLOUR}" '
            f'font-size="14">{escape(no_values)}</text></svg>'
        )
        return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

    low = min([0.0, *values])
    top = max([*values, 0.0])
    if top <= low:
        top = low + 1.0
    high = top + (top - low) * 0.1  # room for the values written above the bars
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(years)

    def x_of(year: int) -> float:
        return LEFT + slot * (years.index(year) + 0.5)

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    # The legend: a swatch of each shape and its name.
    legend = [
        (
            f'<rect x="{LEFT}" y="10" width="14" height="14" fill="{ACTUAL_COLOUR}"/>',
            LEFT + 20,
            _("Actual value"),
        ),
        (
            f'<line x1="{LEFT + 170}" y1="17" x2="{LEFT + 190}" y2="17" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="5 3"/><circle cx="{LEFT + 180}" cy="17" r="4" '
            f'fill="#ffffff" stroke="{TARGET_COLOUR}" stroke-width="2"/>',
            LEFT + 196,
            _("Target"),
        ),
        (
            f'<path d="M{LEFT + 330} 10 l7 7 l-7 7 l-7 -7 z" fill="{BASELINE_COLOUR}"/>',
            LEFT + 342,
            _("Baseline value"),
        ),
    ]
    if earlier:
        legend.append(
            (
                f'<rect x="{LEFT + 460}" y="11" width="12" height="12" fill="#ffffff" '
                f'stroke="{EARLIER_COLOUR}" stroke-width="2"/>',
                LEFT + 478,
                _("Earlier target"),
            )
        )
    parts.append('<g class="chart-legend">')
    for shape, text_x, label in legend:
        parts.append(
            f'{shape}<text x="{text_x}" y="22" font-size="13" fill="{TEXT_COLOUR}">'
            f"{escape(label)}</text>"
        )
    parts.append("</g>")

    # Axes and the value grid, with the unit on the value axis.
    parts.append(f'<g class="chart-axes" font-size="12" fill="{TEXT_COLOUR}">')
    for tick in _ticks(low, top):
        y = _num(y_of(tick))
        parts.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}" stroke="#c5ccd4" '
            f'stroke-width="1"/><text x="{LEFT - 6}" y="{y}" dy="4" text-anchor="end">'
            f"{escape(quantity(Decimal(str(round(tick, 2)))))}</text>"
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
        f'<text x="{LEFT - 6}" y="{TOP - 8}" text-anchor="end">{escape(unit)}</text>'
    )
    for year in years:
        parts.append(
            f'<text x="{_num(x_of(year))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">'
            f"{year}</text>"
        )
    parts.append("</g>")

    # Actual values: a bar per year, its value above it.
    bar_w = min(slot * 0.5, 48)
    zero = y_of(max(low, 0.0))
    parts.append(f'<g class="chart-actuals" fill="{ACTUAL_COLOUR}" font-size="12">')
    for year, value in actuals:
        top = y_of(float(value))
        y, h = min(top, zero), abs(zero - top)
        parts.append(
            f'<rect x="{_num(x_of(year) - bar_w / 2)}" y="{_num(y)}" width="{_num(bar_w)}" '
            f'height="{_num(max(h, 1))}"/><text x="{_num(x_of(year))}" y="{_num(y - 5)}" '
            f'text-anchor="middle" fill="{TEXT_COLOUR}" class="chart-actual-value">'
            f"{escape(quantity(value))}</text>"
        )
    parts.append("</g>")

    # Targets: a dashed line through round points, each value beside its point.
    if targets:
        points = " ".join(f"{_num(x_of(year))},{_num(y_of(float(v)))}" for year, v in targets)
        parts.append(
            f'<g class="chart-targets" font-size="12"><polyline points="{points}" fill="none" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        for year, value in targets:
            x, y = _num(x_of(year)), _num(y_of(float(value)))
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="5" fill="#ffffff" stroke="{TARGET_COLOUR}" '
                f'stroke-width="2"/><text x="{x}" y="{y}" dx="8" dy="-6" fill="{TARGET_COLOUR}">'
                f"{escape(quantity(value))}</text>"
            )
        parts.append("</g>")

    if earlier:
        parts.append(f'<g class="chart-earlier-targets" font-size="12" fill="{EARLIER_COLOUR}">')
        for year, value in earlier:
            x, y = x_of(year), y_of(float(value))
            parts.append(
                f'<rect x="{_num(x - 6)}" y="{_num(y - 6)}" width="12" height="12" '
                f'fill="#ffffff" stroke="{EARLIER_COLOUR}" stroke-width="2"/>'
                f'<text x="{_num(x)}" y="{_num(y)}" dx="-10" dy="4" text-anchor="end">'
                f"{escape(quantity(value))}</text>"
            )
        parts.append("</g>")

    if baseline is not None:
        x, y = x_of(baseline[0]), y_of(float(baseline[1]))
        parts.append(
            f'<g class="chart-baseline" font-size="12"><path d="M{_num(x)} {_num(y - 7)} l7 7 '
            f'l-7 7 l-7 -7 z" fill="{BASELINE_COLOUR}"/><text x="{_num(x)}" y="{_num(y)}" '
            f'dx="10" dy="16" fill="{BASELINE_COLOUR}">{escape(quantity(baseline[1]))}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def chart_of(progress, *, chart_id: str, earlier: Sequence[Point] = ()) -> SafeString:
    """``indicator_chart`` of a ``selectors.IndicatorProgress`` (the values the reader sees)."""
    indicator = progress.indicator
    baseline = None
    if indicator.baseline_value is not None and indicator.baseline_year:
        baseline = (indicator.baseline_year, indicator.baseline_value)
    return indicator_chart(
        chart_id=chart_id,
        title=f"{indicator.code} {indicator.name}".strip(),
        unit=indicator.unit,
        baseline=baseline,
        targets=[(t.year, t.value) for t in getattr(indicator, "target_list", [])],
        actuals=[(a.year, a.value) for a in progress.actuals],
        earlier=earlier,
    )
