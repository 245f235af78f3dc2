"""Two years' reports of a plan side by side (the compare page).

``compare(earlier, later)`` reads two reports' contents (reports/snapshot.py:
frozen, or a draft's live build) and pairs what they show: the summary's
figures, each priority's progress and money, the money by funding source,
each indicator and each measure. Items are matched by ``key``, which a node
and an indicator keep across versions, so a measure renumbered or carried
into the plan's next version is still "the same measure"; an item that only
one year's report shows has an empty side. The order is the later report's,
followed by what only the earlier one has.

Every compared figure is a ``Pair``: the earlier year's value, the later
year's and the change from the first to the second (None when either side
has no value). Money and indicator values arrive as strings in the snapshot
and are compared as decimals; progress is a share 0…1, so its change is in
shares too (the page shows percentage points).

``comparable_reports(user, plan)`` picks the report of each year that the
reader may see: the approved one, else (staff, council) the newest revision
still on its way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from monitoring.models import ImplementationStatus
from monitoring.progress import ProgressStatus

from .models import Report, ReportStatus
from .selectors import reports_visible_to

if TYPE_CHECKING:
    from planportal.roles import AnyUser
    from plans.models import Plan


@dataclass(frozen=True)
class Pair:
    """One figure in both years; ``change`` is later − earlier (or None)."""

    a: Any
    b: Any
    change: Any = None

    @property
    def changed(self) -> bool:
        return self.a != self.b


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def number_pair(a: Any, b: Any) -> Pair:
    """Two decimal figures (strings in the snapshot) and their difference."""
    left, right = _decimal(a), _decimal(b)
    change = right - left if left is not None and right is not None else None
    return Pair(left, right, change)


def share_pair(a: float | None, b: float | None) -> Pair:
    """Two progress shares (0…1) and their difference, in shares."""
    change = b - a if a is not None and b is not None else None
    return Pair(a, b, change)


def count_pair(a: int, b: int) -> Pair:
    return Pair(a, b, b - a)


def _matched(
    earlier: Iterable[dict], later: Iterable[dict], key: Callable[[dict], Any]
) -> list[tuple[dict | None, dict | None]]:
    """Rows of both lists matched by ``key``: the later list's order, then
    the rows only the earlier one has."""
    old = {key(row): row for row in earlier}
    pairs: list[tuple[dict | None, dict | None]] = []
    seen = set()
    for row in later:
        seen.add(key(row))
        pairs.append((old.get(key(row)), row))
    pairs += [(row, None) for k, row in old.items() if k not in seen]
    return pairs


def _get(row: dict | None, name: str) -> Any:
    return None if row is None else row.get(name)


def _label_row(a: dict | None, b: dict | None, *names: str) -> dict:
    """The descriptive fields (code, title …) from the later row, else the earlier."""
    source = b if b is not None else a
    assert source is not None
    return {name: source.get(name) for name in names}


def _indicators(content: dict) -> list[dict]:
    return [
        row
        for priority in content.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["indicators"]
    ]


def _measures(content: dict) -> list[dict]:
    return [
        row
        for priority in content.get("priorities", [])
        for goal in priority["goals"]
        for row in goal["measures"]
    ]


def _summary(a: dict, b: dict) -> dict:
    implementation = [
        {"code": code, "count": _count(a, b, "implementation_counts", code)}
        for code in ImplementationStatus.values
    ]
    progress = [
        {"code": code, "count": _count(a, b, "progress_counts", code)}
        for code in ProgressStatus.values
    ]
    return {
        "progress": share_pair(a.get("progress"), b.get("progress")),
        "status": Pair(a.get("status"), b.get("status")),
        "measure_total": count_pair(a.get("measure_total", 0), b.get("measure_total", 0)),
        "not_reported": count_pair(a.get("not_reported", 0), b.get("not_reported", 0)),
        "planned": number_pair(a.get("planned"), b.get("planned")),
        "spent": number_pair(a.get("spent"), b.get("spent")),
        "implementation_counts": implementation,
        "progress_counts": progress,
    }


def _count(a: dict, b: dict, name: str, code: str) -> Pair:
    return count_pair(a.get(name, {}).get(code, 0), b.get(name, {}).get(code, 0))


def _priorities(a: dict, b: dict) -> list[dict]:
    money_a = {row["key"]: row for row in a["summary"].get("money_by_priority", [])}
    money_b = {row["key"]: row for row in b["summary"].get("money_by_priority", [])}
    rows = []
    for old, new in _matched(a.get("priorities", []), b.get("priorities", []), _key):
        key = (new or old or {})["key"]
        rows.append(
            {
                **_label_row(old, new, "key", "code", "title"),
                "progress": share_pair(_get(old, "progress"), _get(new, "progress")),
                "status": Pair(_get(old, "status"), _get(new, "status")),
                "planned": number_pair(
                    _get(money_a.get(key), "planned"), _get(money_b.get(key), "planned")
                ),
                "spent": number_pair(
                    _get(money_a.get(key), "spent"), _get(money_b.get(key), "spent")
                ),
            }
        )
    return rows


def _key(row: dict) -> Any:
    return row["key"]


def _sources(a: dict, b: dict) -> list[dict]:
    rows = []
    for old, new in _matched(
        a["summary"].get("money_by_source", []),
        b["summary"].get("money_by_source", []),
        lambda row: row["code"],
    ):
        rows.append(
            {
                **_label_row(old, new, "code", "name"),
                "planned": number_pair(_get(old, "planned"), _get(new, "planned")),
                "spent": number_pair(_get(old, "spent"), _get(new, "spent")),
            }
        )
    return rows


def _indicator_rows(a: dict, b: dict) -> list[dict]:
    rows = []
    for old, new in _matched(_indicators(a), _indicators(b), _key):
        rows.append(
            {
                **_label_row(old, new, "key", "code", "name", "unit", "level", "node_code"),
                "in_a": old is not None,
                "in_b": new is not None,
                "in_both": old is not None and new is not None,
                "baseline": _decimal(_get(new or old, "baseline")),
                "target": number_pair(_get(old, "target"), _get(new, "target")),
                "actual": number_pair(_get(old, "actual"), _get(new, "actual")),
                "actual_year": Pair(_get(old, "actual_year"), _get(new, "actual_year")),
                "progress": share_pair(_get(old, "progress"), _get(new, "progress")),
                "status": Pair(_get(old, "status"), _get(new, "status")),
            }
        )
    return rows


def _measure_rows(a: dict, b: dict) -> list[dict]:
    rows = []
    for old, new in _matched(_measures(a), _measures(b), _key):
        implementation = Pair(_get(old, "implementation"), _get(new, "implementation"))
        rows.append(
            {
                **_label_row(old, new, "key", "code", "title", "unit"),
                "in_a": old is not None,
                "in_b": new is not None,
                "in_both": old is not None and new is not None,
                "implementation": implementation,
                "status": Pair(_get(old, "status"), _get(new, "status")),
                "progress": share_pair(_get(old, "progress"), _get(new, "progress")),
                "planned": number_pair(_get(old, "planned"), _get(new, "planned")),
                "spent": number_pair(_get(old, "spent"), _get(new, "spent")),
                "reason": _get(new, "reason") or "",
            }
        )
    return rows


def compare(earlier: dict, later: dict) -> dict:
    """Two reports' contents side by side (see the module docstring).

    ``{"years": Pair, "summary": {...}, "priorities": [...], "sources": [...],
    "indicators": [...], "measures": [...], "changed_measures": n}``; no queries.
    """
    measures = _measure_rows(earlier, later)
    return {
        "years": Pair(earlier.get("year"), later.get("year")),
        "summary": _summary(earlier.get("summary", {}), later.get("summary", {})),
        "priorities": _priorities(earlier, later),
        "sources": _sources(earlier, later),
        "indicators": _indicator_rows(earlier, later),
        "measures": measures,
        "changed_measures": sum(
            1 for row in measures if row["in_both"] and row["implementation"].changed
        ),
    }


def _preference(report: Report) -> tuple[int, int]:
    # The approved report is the year's record; without one, the newest
    # revision the reader may see (a draft for staff, one under review).
    return (0 if report.status == ReportStatus.APPROVED else 1, -report.revision)


def comparable_reports(user: AnyUser | None, plan: Plan | int) -> dict[int, Report]:
    """The report of each year of ``plan`` that ``user`` would compare, newest year first.

    One query: the visible reports of the plan, the best of each year kept.
    """
    best: dict[int, Report] = {}
    for report in reports_visible_to(user, plan):
        current = best.get(report.year)
        if current is None or _preference(report) < _preference(current):
            best[report.year] = report
    return dict(sorted(best.items(), reverse=True))
