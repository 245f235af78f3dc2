"""The climate section of a plan's yearly implementation report (``ReportSection``).

Registered by climate/apps.py; reports/snapshot.py calls ``build`` and
freezes its result into the report's snapshot on submission, so it returns
plain data only: codes rather than labels (each reader sees them in their
language), numbers as strings rounded for display, years as integers.

What a report of ``year`` shows, as the municipality knew it then: the
emission inventories of that year and before (the baseline and every
monitoring inventory up to the report year, the last one being the report
year's own or the latest before it) against the linear path to the
reduction target, and the sustainable energy action plan's (SEAP) measures
that had started by that year, each with the status and effect reported for
that year. Climate data are the municipality's, not one plan's: like the
plan PDF's climate annex (``selectors.pdf_annex``), a plan's report gets the
section when there is an inventory or a SEAP measure linked to that plan.

Schema::

    {"year": 2018,
     "emissions": None | {
         "basis": "total" | "per_capita",       # what the path compares
         "target": None | {"percent", "year", "kind", "allowed"},
         "rows": [{"kind", "year", "total", "per_capita", "path",
                   "reduction_percent", "on_track", "latest"}],
         "report_year_inventory": bool,         # the last row is of the report year
         "path_in_year": str | None},           # the path at the report year
     "seap": {"count", "reported", "not_reported", "status_counts": {SeapStatus: n},
              "expected", "achieved", "required"},   # t CO2 in the report year
     "measures": [{"title", "sector", "plan_code", "start_year", "end_year",
                   "status", "note", "expected", "achieved"}]}

``path``, ``reduction_percent`` and ``on_track`` are None without a target
(and for the baseline row); ``status`` None when the measure reported
nothing for the year. A fixed number of queries whatever the data.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from . import calc, selectors
from .models import SeapMeasure, SeapStatus, Target

if TYPE_CHECKING:
    from plans.models import Plan, PlanVersion

TONNES = Decimal("0.1")
PER_CAPITA = Decimal("0.01")
PERCENT = Decimal("0.1")


def _round(value: Decimal | None, places: Decimal) -> str | None:
    if value is None:
        return None
    return calc.plain(value.quantize(places, rounding=ROUND_HALF_UP))


def _tonnes(value: Decimal | None) -> str | None:
    return _round(value, TONNES)


def build(*, plan: Plan, year: int, version: PlanVersion) -> dict | None:
    """The climate section of ``plan``'s report of ``year`` (see the module), or None."""
    inventories = [i for i in selectors.inventory_list() if i.year <= year]
    measures = selectors.seap_measures(version=version)
    if not inventories and not any(m.plan_id == plan.pk for m in measures):
        return None
    started = [m for m in measures if m.start_year <= year]
    target = Target.objects.first()
    progress = selectors.progress(selectors.inventory_reports(inventories), target, started)
    return {
        "year": year,
        # Monitoring inventories without a baseline have nothing to be measured against.
        "emissions": _emissions(progress, target, year) if progress else None,
        "seap": _seap(started, progress, year),
        "measures": [_measure_row(m, year, version) for m in started],
    }


def _emissions(progress: dict, target: Target | None, year: int) -> dict:
    per_capita = target is not None and target.kind == Target.Kind.PER_CAPITA
    path_places = PER_CAPITA if per_capita else TONNES
    rows: list[dict[str, Any]] = []
    for row in progress["rows"]:
        inventory = row["inventory"]
        baseline = inventory.is_baseline
        rows.append(
            {
                "kind": inventory.kind,
                "year": inventory.year,
                "total": _tonnes(row["total"]),
                "per_capita": _round(row["per_capita"], PER_CAPITA),
                "path": None if baseline else _round(row.get("trajectory"), path_places),
                "reduction_percent": None
                if baseline
                else _round(row.get("reduction_percent"), PERCENT),
                "on_track": None if baseline else row.get("on_track"),
                "latest": False,
            }
        )
    rows[-1]["latest"] = True
    target_data = None
    path_in_year = None
    if target is not None and "target_total" in progress:
        baseline = progress["baseline"]
        base_value = baseline.result.co2_per_capita_t if per_capita else baseline.result.total_co2_t
        end_value = base_value * (Decimal(100) - target.percent) / Decimal(100)
        path_in_year = _round(
            calc.trajectory(
                baseline_year=baseline.inventory.year,
                baseline_total=base_value,
                target_year=target.year,
                target_total=end_value,
                year=year,
            ),
            path_places,
        )
        target_data = {
            "percent": _round(target.percent, PERCENT),
            "year": target.year,
            "kind": target.kind,
            # The emissions allowed in the target year, t (per capita: at the
            # latest inventory's population).
            "allowed": _tonnes(progress["target_total"]),
        }
    return {
        "basis": "per_capita" if per_capita else "total",
        "target": target_data,
        "rows": rows,
        "report_year_inventory": rows[-1]["year"] == year,
        "path_in_year": path_in_year,
    }


def _seap(measures: list[SeapMeasure], progress: dict | None, year: int) -> dict:
    rows = [_year_row(m, year) for m in measures]
    reported = [r for r in rows if r is not None]
    counts = {value: 0 for value in SeapStatus.values}
    for row in reported:
        counts[row.status] += 1
    expected = calc.dsum(
        calc.measure_reduction_in(
            start_year=m.start_year, end_year=m.end_year, reduction=m.co2_reduction_t, year=year
        )
        for m in measures
    )
    return {
        "count": len(measures),
        "reported": len(reported),
        "not_reported": len(measures) - len(reported),
        "status_counts": counts,
        "expected": _tonnes(expected),
        "achieved": _tonnes(calc.dsum(r.co2_reduction_t for r in reported)) if reported else None,
        "required": _required(progress, year),
    }


def _required(progress: dict | None, year: int) -> str | None:
    """The reduction from the baseline that the path to the target asks for by
    ``year``, t CO2, as the climate page's table of what the measures achieved
    counts it (``selectors._achieved_rows``); None without a baseline or a target."""
    if progress is None or "target_total" not in progress:
        return None
    baseline = progress["baseline"]
    total = baseline.result.total_co2_t
    path = calc.trajectory(
        baseline_year=baseline.inventory.year,
        baseline_total=total,
        target_year=progress["target"].year,
        target_total=progress["target_total"],
        year=year,
    )
    return _tonnes(total - path)


def _year_row(measure: SeapMeasure, year: int):
    return next((p for p in measure.progress_rows if p.year == year), None)


def _measure_row(measure: SeapMeasure, year: int, version: PlanVersion) -> dict:
    row = _year_row(measure, year)
    plan_measure = measure.plan_measure
    return {
        "title": measure.title,
        "sector": measure.sector,
        "plan_code": plan_measure.code
        if plan_measure is not None and plan_measure.version_id == version.pk
        else "",
        "start_year": measure.start_year,
        "end_year": measure.end_year,
        "status": row.status if row is not None else None,
        "note": row.note if row is not None else "",
        "expected": _tonnes(
            calc.measure_reduction_in(
                start_year=measure.start_year,
                end_year=measure.end_year,
                reduction=measure.co2_reduction_t,
                year=year,
            )
        ),
        "achieved": _tonnes(row.co2_reduction_t) if row is not None else None,
    }
