"""What the staff funding grid of a measure reads: its years, the sources and the saved amounts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from plans.models import FundingLine, FundingSource, Measure
from plans.services.funding import FundingPeriod, period_of


@dataclass
class FundingGrid:
    """A measure's funding as years × sources.

    ``years`` are the measure's period and, after it, any year that still
    holds saved funding outside the period (``outside``): such money was
    saved before the rule, or before the period changed, and the grid shows
    it so that staff can move or remove it rather than lose sight of it.
    """

    period: FundingPeriod
    years: list[int]
    outside: set[int]
    sources: list[FundingSource]
    amounts: dict[tuple[int, int], Decimal]


def funding_grid(measure: Measure) -> FundingGrid:
    """The grid of ``measure`` (its version and plan loaded): two queries,
    whatever the size of the plan."""
    period = period_of(measure)
    amounts = {
        (year, source_id): amount
        for year, source_id, amount in FundingLine.objects.filter(measure=measure).values_list(
            "year", "source_id", "amount"
        )
    }
    outside = {year for year, _source in amounts if year not in period}
    return FundingGrid(
        period=period,
        years=sorted({*period.years, *outside}),
        outside=outside,
        sources=list(FundingSource.objects.order_by("position", "code")),
        amounts=amounts,
    )
