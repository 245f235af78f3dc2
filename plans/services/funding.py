"""A measure's funding: the rule that its years lie within the measure's period,
and the cleaning and replacing of its lines that ``nodes`` does for every path.

The rule is here once so that the editor's grid, the measure's page, the API,
the workbook import and the demo refuse the same years with the same words:
a 2024 amount for a 2019–2020 measure is money the measure cannot spend. A
measure without years of its own is funded within its version's years (an
action plan's window moves with every yearly update, so the version's, not
the plan's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from planportal.errors import Refusal
from plans.models import FundingLine

if TYPE_CHECKING:
    from plans.models import Measure, PlanVersion


@dataclass(frozen=True)
class FundingPeriod:
    """The years a measure may be funded in; ``own`` when the measure names them."""

    start: int
    end: int
    own: bool

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start <= year <= self.end


def funding_period(
    version: PlanVersion, start_year: int | None, end_year: int | None
) -> FundingPeriod:
    """The funding years of a measure of ``version`` with these start and end years.

    A missing bound is the version's: a measure that only says when it starts
    runs to the end of the version's years (or only its first year, when it
    starts after them).
    """
    start = start_year or min(version.first_year, end_year or version.first_year)
    end = end_year or max(version.last_year, start)
    return FundingPeriod(start=start, end=end, own=bool(start_year or end_year))


def period_of(measure: Measure) -> FundingPeriod:
    """The funding years of a stored measure (its version must be loaded or loadable)."""
    return funding_period(measure.version, measure.start_year, measure.end_year)


class FundingOutsidePeriod(Refusal):
    """Funding of a year outside the measure's period (400: the user corrects it).

    ``years`` are the refused years, so that a grid can mark their cells;
    the message names them and the period. ``field`` is where the message
    belongs: ``funding`` for the lines given, or the year field whose change
    would leave saved funding outside.
    """

    code = "funding_outside_period"

    def __init__(self, years: Iterable[int], period: FundingPeriod, *, field: str = "funding"):
        self.years = sorted(set(years))
        self.period = period
        names = {
            "years": ", ".join(str(year) for year in self.years),
            "start": period.start,
            "end": period.end,
        }
        if field != "funding":
            message = _(
                "The measure has funding for %(years)s, outside the period %(start)s–%(end)s: "
                "remove that funding first."
            )
        elif period.own:
            message = _("Funding for %(years)s is outside the measure's period %(start)s–%(end)s.")
        else:
            message = _("Funding for %(years)s is outside the plan's period %(start)s–%(end)s.")
        super().__init__({field: [message % names]})


def check_funding_years(years: Iterable[int], period: FundingPeriod) -> None:
    """Refuse funding of any of ``years`` outside ``period`` (``FundingOutsidePeriod``)."""
    outside = [year for year in years if year not in period]
    if outside:
        raise FundingOutsidePeriod(outside, period)


def check_saved_funding(measure: Measure, period: FundingPeriod, changed: Iterable[str]) -> None:
    """Refuse a new period of ``measure`` that would leave saved funding outside it.

    The message goes next to the year field that was ``changed`` and excludes
    the funding (the start year for funding before the period, when it changed).
    """
    outside = list(
        FundingLine.objects.filter(measure=measure)
        .exclude(year__range=(period.start, period.end))
        .values_list("year", flat=True)
    )
    if not outside:
        return
    changed = set(changed)
    early = min(outside) < period.start
    field = "start_year" if early and "start_year" in changed else "end_year"
    if field not in changed:
        field = "start_year"
    raise FundingOutsidePeriod(outside, period, field=field)


def clean_funding(
    lines: Iterable[Mapping], period: FundingPeriod
) -> list[tuple[int, int, Decimal]]:
    """(year, source id, amount) of each line, or a refusal under ``funding``.

    Lines of the same year and source are refused rather than summed, since
    the user probably meant to type another year or source. Every year
    outside the period is named in one refusal, so that a grid marks them all.
    """
    seen, cleaned = set(), []
    for line in lines:
        year, source, amount = int(line["year"]), line["source"], Decimal(str(line["amount"]))
        source_id = getattr(source, "pk", source)
        if (year, source_id) in seen:
            raise ValidationError(
                {"funding": _("Year %(year)s has the same source twice.") % {"year": year}}
            )
        if amount < 0:
            raise ValidationError({"funding": _("An amount cannot be negative.")})
        seen.add((year, source_id))
        cleaned.append((year, source_id, amount))
    check_funding_years([year for year, _source, _amount in cleaned], period)
    return cleaned


def replace_funding(measure: Measure, cleaned: list[tuple[int, int, Decimal]]) -> None:
    """Make ``measure``'s lines exactly ``cleaned`` (checked by ``clean_funding``)."""
    # Line by line rather than delete-and-insert, so that the audit trail
    # records which amount changed from what to what.
    existing = {(f.year, f.source_id): f for f in FundingLine.objects.filter(measure=measure)}
    for year, source_id, amount in cleaned:
        old = existing.pop((year, source_id), None)
        if old is None:
            FundingLine(measure=measure, year=year, source_id=source_id, amount=amount).save()
        elif old.amount != amount:
            old.amount = amount
            old.save()
    for stale in existing.values():
        stale.delete()
