"""The parts of the plan's PDF that depend on the kind of plan.

``documents.services.document_context`` reads the tree; this module adds, in
a fixed number of queries whatever the size of the plan:

- the kind's words (``Kind.level(name).label``: an action plan's top level
  is a "Programa") and the version's own window of years;
- for each measure its appropriation manager and the development plan's
  goals and tasks it implements (``MeasureLink`` keys, resolved in the
  development plan's version in force: what the public reads as the plan in
  force; a key that version lacks is printed as such, never guessed);
- an action plan's appropriations: a table per programme (measures × years
  of the window × funding sources) and a summary by programme and year;
- the indicator description cards (Finance Ministry order 1K-275), one per
  indicator of the version, for every kind of plan.

Everything here ends up in the HTML, so the stored PDF's content hash
(``services.content_hash``) changes with any of it and a draft is rendered
again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from plans.kinds import PlanKind, get_kind
from plans.models import FundingSource, Goal, PlanVersion, Task
from plans.selectors import MoneyGrid, money_grid
from plans.words import words_for

if TYPE_CHECKING:
    from plans.models import Indicator, Measure, Priority
    from plans.selectors import VersionTree

ZERO = Decimal("0")


# --- The kind's words ----------------------------------------------------------------


def kind_words(version: PlanVersion) -> dict:
    """What the document calls the plan and its levels, and the years it prints."""
    kind = version.plan.kind_spec
    return {
        "kind": kind,
        "kind_name": kind.name,
        "is_action": kind.name == PlanKind.ACTION,
        # The seed's plans name their kind in their title already
        # ("… strateginis plėtros planas"): their title page stays as it was.
        "kind_heading": "" if kind.name == PlanKind.SPP_2013 else str(kind.label),
        # The kind's level words, as every page reads them (plans/words.py).
        "words": words_for(version),
        "measure_fields": kind.measure_fields,
        "first_year": version.first_year,
        "last_year": version.last_year,
    }


# --- Measures: appropriation manager, links to the development plan ------------------


@dataclass
class ResolvedLink:
    level: str
    level_label: object
    code: str = ""
    title: str = ""

    @property
    def found(self) -> bool:
        return bool(self.title)


def development_version(version: PlanVersion) -> PlanVersion | None:
    """The version in force of the development plan ``version``'s plan implements."""
    plan_id = version.plan.development_plan_id
    if plan_id is None:
        return None
    return PlanVersion.objects.in_force().filter(plan_id=plan_id).select_related("plan").first()


def attach_measure_details(version: PlanVersion, tree: VersionTree) -> PlanVersion | None:
    """Give each measure ``implemented``: a list of ``ResolvedLink`` in the
    link's order. Three queries at most, however many measures. Returns the development plan's
    version the links were resolved in (None when there is none in force).
    """
    measures = tree.all_measures
    # The tree comes with each measure's appropriation manager (select_related)
    # and its links in order (``link_list``): only the development plan's
    # nodes are left to load.
    for measure in measures:
        measure.implemented = []
    if not version.plan.kind_spec.uses("implements"):
        return None
    in_force = development_version(version)
    links = [link for measure in measures for link in measure.link_list]
    nodes: dict = {}
    if in_force is not None and links:
        keys = {link.key for link in links}
        for model in (Goal, Task):
            for node in model.objects.filter(version=in_force, key__in=keys).only(
                "key", "code", "title"
            ):
                nodes[node.key] = node
    development_kind = in_force.plan.kind_spec if in_force else get_kind(PlanKind.DEVELOPMENT)
    for measure in measures:
        measure.implemented = [
            ResolvedLink(
                level=link.level,
                level_label=development_kind.label_of(link.level),
                code=nodes[link.key].code if link.key in nodes else "",
                title=nodes[link.key].title if link.key in nodes else "",
            )
            for link in measure.link_list
        ]
    return in_force


# --- Appropriations ------------------------------------------------------------------


@dataclass
class YearColumns:
    year: int
    sources: list[FundingSource]
    subtotal: bool
    """Whether the year has a column of its own total (more than one source)."""

    @property
    def span(self) -> int:
        return len(self.sources) + (1 if self.subtotal else 0)


@dataclass
class AppropriationRow:
    header: object
    cells: list[tuple[Decimal, bool]]
    """(amount, is a year's total) in column order."""
    total: Decimal


@dataclass
class AppropriationsTable:
    """A programme's measures × (years of the window × funding sources)."""

    priority: Priority
    years: list[YearColumns]
    rows: list[AppropriationRow]
    footer: AppropriationRow
    sources: list[FundingSource] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return self.footer.total


def _years(version: PlanVersion, measures: list[Measure]) -> list[int]:
    # The version's window, and any year money is planned in outside it, so
    # that the tables add up to what the measures hold.
    funded = {line.year for m in measures for line in m.funding_list}
    return sorted(set(version.years) | funded)


def _sources(measures: list[Measure]) -> list[FundingSource]:
    found = {line.source_id: line.source for m in measures for line in m.funding_list}
    return sorted(found.values(), key=lambda source: (source.position, source.code))


def _laid_out(grid: MoneyGrid, years: list[YearColumns]) -> list[AppropriationRow]:
    """The grid's rows (and its footer, last) with a total after each year's sources."""
    rows = [(row.header, row.values, row.total) for row in grid.rows]
    rows.append((None, grid.column_totals, grid.total))
    laid_out = []
    for header, values, total in rows:
        cells: list[tuple[Decimal, bool]] = []
        index = 0
        for year in years:
            chunk = values[index : index + len(year.sources)]
            index += len(year.sources)
            cells.extend((value, False) for value in chunk)
            if year.subtotal:
                cells.append((sum(chunk, ZERO), True))
        laid_out.append(AppropriationRow(header=header, cells=cells, total=total))
    return laid_out


def programme_appropriations(priority: Priority, years: list[int]) -> AppropriationsTable:
    """The appropriations table of one programme, from the tree already loaded."""
    measures = [m for goal in priority.children for task in goal.children for m in task.children]
    sources = _sources(measures)
    amounts: defaultdict[tuple[int, tuple[int, int]], Decimal] = defaultdict(Decimal)
    for measure in measures:
        for line in measure.funding_list:
            amounts[measure.id, (line.year, line.source_id)] += line.amount
    columns = [((year, s.id), (year, s)) for year in years for s in sources]
    grid = money_grid(dict(amounts), [(m.id, m) for m in measures], columns)
    year_columns = [YearColumns(year, sources, subtotal=len(sources) > 1) for year in years]
    *rows, footer = _laid_out(grid, year_columns)
    return AppropriationsTable(
        priority=priority, years=year_columns, rows=rows, footer=footer, sources=sources
    )


def appropriations(version: PlanVersion, tree: VersionTree) -> dict:
    """An action plan's tables: one per programme, and the programmes by year."""
    years = _years(version, tree.all_measures)
    by_programme = []
    for priority in tree.priorities:
        table = programme_appropriations(priority, years)
        # Printed at the end of the programme's own section.
        priority.appropriations = table
        by_programme.append(table)
    amounts: defaultdict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for priority in tree.priorities:
        for goal in priority.children:
            for task in goal.children:
                for measure in task.children:
                    for line in measure.funding_list:
                        amounts[priority.id, line.year] += line.amount
    by_year = money_grid(
        dict(amounts), [(p.id, p) for p in tree.priorities], [(year, year) for year in years]
    )
    return {
        "years": years,
        "tables": by_programme,
        "by_year": by_year,
        "sources": _sources(tree.all_measures),
    }


# --- Indicator cards -----------------------------------------------------------------


@dataclass
class IndicatorCard:
    indicator: Indicator
    owner: object
    owner_label: object


def indicator_cards(version: PlanVersion, tree: VersionTree) -> list[IndicatorCard]:
    """Every indicator of the version, in the order of the tree, with what it measures.

    No query: the tree holds the indicators and their targets.
    """
    kind = version.plan.kind_spec
    cards = []
    for node in tree.iter_nodes():
        level = node.tree_level.name
        for indicator in getattr(node, "indicator_list", None) or []:
            cards.append(IndicatorCard(indicator, node, kind.label_of(level)))
    return cards
