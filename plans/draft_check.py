"""A draft's check before it goes to the council: what a reader would find missing.

Staff see it on the confirmation page of "Submit to the council". Each item
is a warning, not a refusal: a plan may rightly have a measure without
funding of its own, and the rules that do refuse a submission live in
``council.services`` (the version's state and the submit guards). The check
only reads, in a fixed number of queries however big the plan (one per
level, one for the indicators, one for the funding), so it stays quick on a
plan of a few hundred measures.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from plans.kinds import kind_of
from plans.models import FundingLine, Goal, Indicator, Measure, Priority, Task

if TYPE_CHECKING:
    from plans.models import PlanVersion

# The problems, by code; the code is stable for tests and the API, the
# message is for people.
NO_TITLE = "no_title"
NO_DESCRIPTION = "no_description"
NO_INDICATORS = "no_indicators"
NO_FUNDING = "no_funding"
FUNDING_OUTSIDE_PERIOD = "funding_outside_period"


@dataclass(frozen=True)
class DraftIssue:
    code: str
    level: str
    node_id: int
    node_code: str
    title: str
    message: str

    @property
    def url(self) -> str:
        """The item's page in the staff editor, where it is put right."""
        return reverse("plans:staff-node-edit", args=[self.level, self.node_id])


@dataclass
class DraftCheck:
    issues: list[DraftIssue] = field(default_factory=list)
    measures: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.issues

    def counts(self) -> dict[str, int]:
        return dict(Counter(issue.code for issue in self.issues))

    def by_item(self) -> list[list[DraftIssue]]:
        """The issues grouped by item, in the tree's order: one line per item on the page."""
        groups: dict[tuple[str, int], list[DraftIssue]] = {}
        for issue in self.issues:
            groups.setdefault((issue.level, issue.node_id), []).append(issue)
        return list(groups.values())


def _code_order(code: str) -> tuple:
    # Codes sort as numbers part by part ("1.10" after "1.9").
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in (code or "~").split("."))


def check_draft(version: PlanVersion) -> DraftCheck:
    """What is missing or inconsistent in ``version``'s tree, in the tree's order.

    Every node: an empty title or description. Measures, as far as the plan's
    kind uses them: no indicator, no funding, funding in a year outside the
    measure's years (or the version's window when the measure names none).
    """
    kind = kind_of(version.plan)
    # Any: each level is its own model, with its own fields (a measure's years).
    models: dict[str, Any] = {"priority": Priority, "goal": Goal, "task": Task, "measure": Measure}
    nodes = {
        level: list(
            model.objects.filter(version=version).only(
                "id", "code", "title", "description", "position", *_extra(level)
            )
        )
        for level, model in models.items()
    }
    measures = nodes["measure"]
    with_indicators = set(
        Indicator.objects.filter(version=version, measure__isnull=False).values_list(
            "measure_id", flat=True
        )
    )
    years = defaultdict(set)
    for measure_id, year in FundingLine.objects.filter(measure__version=version).values_list(
        "measure_id", "year"
    ):
        years[measure_id].add(year)

    check = DraftCheck(measures=len(measures))
    for level in models:
        label = str(kind.label_of(level))
        for node in nodes[level]:

            def add(code: str, message: str, node=node, level=level) -> None:
                check.issues.append(
                    DraftIssue(
                        code=code,
                        level=level,
                        node_id=node.pk,
                        node_code=node.code,
                        title=node.title,
                        message=message,
                    )
                )

            if not (node.title or "").strip():
                add(NO_TITLE, _("%(level)s has no title.") % {"level": label})
            if not (node.description or "").strip():
                add(NO_DESCRIPTION, _("No description."))
            if level != "measure":
                continue
            if kind.level("measure").has_indicators and node.pk not in with_indicators:
                add(NO_INDICATORS, _("No indicator: how will its result be measured?"))
            if kind.uses("funding"):
                funded = years.get(node.pk, set())
                if not funded:
                    add(NO_FUNDING, _("No funding planned."))
                first = node.start_year or version.first_year
                last = node.end_year or version.last_year
                outside = sorted(year for year in funded if not first <= year <= last)
                if outside:
                    add(
                        FUNDING_OUTSIDE_PERIOD,
                        _("Funding in %(years)s, outside the measure's years %(first)s–%(last)s.")
                        % {
                            "years": ", ".join(str(year) for year in outside),
                            "first": first,
                            "last": last,
                        },
                    )
    order = {level: index for index, level in enumerate(models)}
    check.issues.sort(key=lambda i: (_code_order(i.node_code), order[i.level], i.code))
    return check


def _extra(level: str) -> tuple[str, ...]:
    return ("start_year", "end_year") if level == "measure" else ()
