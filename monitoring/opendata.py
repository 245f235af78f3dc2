"""A plan's published monitoring values as open data (CSV and XLSX).

Only published rounds, whoever asks: the files are for re-use, and a value
that staff see in an open round may still change. One row per indicator and
year and per measure and year of the version in force, in a fixed number of
queries.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from planportal import csvsafe, xlsx
from plans.models import PlanVersion

from .models import ImplementationStatus, MeasureImplementation
from .progress import indicator_progress
from .selectors import version_progress

# The CSV's column names are stable keys (a program reading the file must not
# depend on the reader's language); the XLSX has the translated headers.
COLUMNS = [
    "item",
    "year",
    "node_code",
    "node_title",
    "indicator_code",
    "indicator_name",
    "unit",
    "baseline_value",
    "baseline_year",
    "target",
    "actual",
    "progress",
    "implementation_status",
    "planned_eur",
    "spent_eur",
]


def _headers() -> list[str]:
    return [
        _("Item"),
        _("Year"),
        _("Node code"),
        _("Node title"),
        _("Indicator code"),
        _("Indicator"),
        _("Unit of measure"),
        _("Baseline value"),
        _("Baseline year"),
        _("Target"),
        _("Actual value"),
        _("Progress"),
        _("Implementation status"),
        _("Planned, EUR"),
        _("Spent, EUR"),
    ]


@dataclass
class OpenData:
    indicators: list[list]
    measures: list[list]

    @property
    def rows(self) -> list[list]:
        return self.indicators + self.measures


def published_rows(version: PlanVersion) -> OpenData:
    """The rows of ``version``'s published values (anonymous reader's view)."""
    progress = version_progress(version, None)
    years = progress.years
    tree = progress.tree
    indicator_rows: list[list] = []
    for node in tree.iter_nodes():
        for indicator in getattr(node, "indicator_list", []):
            item = progress.indicators[indicator.pk]
            targets = {t.year: t.value for t in getattr(indicator, "target_list", [])}
            actuals = {a.year: a.value for a in item.actuals}
            for year in years:
                actual = actuals.get(year)
                share = indicator_progress(
                    baseline=indicator.baseline_value,
                    target=item.target,
                    actual=actual,
                    direction=indicator.direction,
                )
                indicator_rows.append(
                    [
                        "indicator",
                        year,
                        node.code,
                        node.title,
                        indicator.code,
                        indicator.name,
                        indicator.unit,
                        indicator.baseline_value,
                        indicator.baseline_year,
                        targets.get(year),
                        actual,
                        round(share, 4) if share is not None else None,
                        None,
                        None,
                        None,
                    ]
                )
    measures = tree.all_measures
    entries: dict = {}
    for entry in MeasureImplementation.objects.filter(
        plan=version.plan, measure_key__in=[m.key for m in measures], year__in=years
    ).prefetch_related("spent"):
        entries[entry.measure_key, entry.year] = entry
    measure_rows: list[list] = []
    for measure in measures:
        planned: defaultdict[int, Decimal] = defaultdict(Decimal)
        for line in measure.funding_list:
            planned[line.year] += line.amount
        for year in years:
            entry = entries.get((measure.key, year))
            spent = sum((s.amount for s in entry.spent.all()), Decimal(0)) if entry else None
            measure_rows.append(
                [
                    "measure",
                    year,
                    measure.code,
                    measure.title,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    entry.status if entry else None,
                    planned.get(year),
                    spent,
                ]
            )
    return OpenData(indicators=indicator_rows, measures=measure_rows)


def as_csv(data: OpenData) -> str:
    stream = io.StringIO()
    writer = csvsafe.writer(stream)
    writer.writerow(COLUMNS)
    writer.writerows(data.rows)
    return stream.getvalue()


def as_excel_csv(data: OpenData) -> str:
    """The same rows for people: translated headers and statuses, semicolons,
    decimal commas and a BOM, as Excel set to Lithuanian opens them."""
    stream = io.StringIO()
    writer = csvsafe.excel_writer(stream)
    writer.writerow(_headers())
    writer.writerows([_label(i, v) for i, v in enumerate(row)] for row in data.rows)
    return stream.getvalue()


def as_xlsx(data: OpenData) -> bytes:
    """Two sheets, indicators and measures, with translated headers, laid out
    for people (planportal/xlsx.py)."""
    from openpyxl import Workbook

    book = Workbook()
    for index, (title, rows) in enumerate(
        [(_("Indicators"), data.indicators), (_("Measures"), data.measures)]
    ):
        xlsx.table_sheet(
            book,
            title,
            _headers(),
            ([_label(i, v) for i, v in enumerate(row)] for row in rows),
            freeze_columns=1,
            first=index == 0,
        )
    return xlsx.workbook_bytes(book)


STATUS_COLUMN = COLUMNS.index("implementation_status")


def _label(column: int, value):
    """The XLSX shows the implementation status in words, the CSV its code."""
    if column == STATUS_COLUMN and value:
        return str(ImplementationStatus(value).label)
    return value
