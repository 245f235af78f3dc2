"""The charts of a report, drawn from its snapshot (never from live data).

The monitoring pages' picture (``monitoring.charts.indicator_chart``) fed
with an indicator row of the snapshot, so the report page and its PDF show
the figures as frozen, with the same shapes and legend as the progress page.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.safestring import SafeString

from monitoring.charts import indicator_chart


def indicator_row_chart(row: dict, *, chart_id: str) -> SafeString:
    """The SVG of one snapshot indicator row (reports/snapshot.py, ``indicators``)."""
    baseline = None
    if row.get("baseline") is not None and row.get("baseline_year"):
        baseline = (row["baseline_year"], Decimal(row["baseline"]))
    series = row.get("series", [])
    return indicator_chart(
        chart_id=chart_id,
        title=f"{row.get('code') or ''} {row['name']}".strip(),
        unit=row.get("unit", ""),
        baseline=baseline,
        targets=[(p["year"], Decimal(p["target"])) for p in series if p["target"] is not None],
        actuals=[(p["year"], Decimal(p["actual"])) for p in series if p["actual"] is not None],
    )
