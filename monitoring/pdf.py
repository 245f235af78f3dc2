"""The plan PDF's monitoring annex (a ``PdfAnnex``, registered in apps.py).

A stored PDF is a public artifact whoever asked for it, so the annex shows
**published rounds only**: ``version_progress(version, None)`` is the
anonymous reader's view. It draws each indicator with ``charts.chart_of``,
the very function of the node panel, so the page and the PDF show the same
picture. Publishing a round changes the annex; ``services.round_publish``
therefore tells the ``VersionRecordChanged`` hooks (documents drops the
stored PDFs of the version in force and renders them anew).
"""

from __future__ import annotations

from collections import Counter

from plans.models import PlanVersion
from plans.words import words_for

from .charts import chart_of
from .models import ImplementationStatus
from .progress import ProgressStatus
from .selectors import version_progress


def pdf_annex(*, version: PlanVersion) -> dict | None:
    """The annex's context, or None (no annex) unless ``version`` is in force
    and its plan has a published round. A fixed number of queries."""
    # Values are the plan's and a round asks for the items of the version in
    # force: an older version's PDF is a record of that version, not of now.
    if not version.is_in_force:
        return None
    progress = version_progress(version, None)
    if not progress.years:
        return None
    tree = progress.tree
    indicators = []
    for node in tree.iter_nodes():
        for indicator in getattr(node, "indicator_list", []):
            item = progress.indicators[indicator.pk]
            targets = {t.year: t.value for t in getattr(indicator, "target_list", [])}
            actuals = {a.year: a.value for a in item.actuals}
            indicators.append(
                {
                    "node": node,
                    "item": item,
                    "chart": chart_of(item, chart_id=f"pdf-chart-{indicator.pk}"),
                    "rows": [
                        {"year": year, "target": targets.get(year), "actual": actuals.get(year)}
                        for year in sorted(set(targets) | set(actuals))
                    ],
                }
            )
    counts = progress.counts
    implemented = Counter(entry.status for entry in progress.implementations.values())
    return {
        "words": words_for(version.plan),
        "progress": progress,
        "years": progress.years,
        "priorities": [
            {
                "node": priority,
                "progress": progress.of(priority),
                "goals": [(goal, progress.of(goal)) for goal in priority.children],
            }
            for priority in tree.priorities
        ],
        "counts": [(label, counts.get(value, 0)) for value, label in ProgressStatus.choices],
        "implementation_counts": [
            (label, implemented.get(value, 0)) for value, label in ImplementationStatus.choices
        ],
        "not_reported": len(tree.all_measures) - len(progress.implementations),
        "measure_total": len(tree.all_measures),
        "indicators": indicators,
    }
