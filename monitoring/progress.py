"""How far an indicator, a measure and every node above them has come.

Pure functions over numbers already loaded (no queries), so that every page,
the API, the PDF and the yearly report compute progress the same way
(docs/monitoring.md says why each rule is what it is).

- An **indicator's progress** (the contract's "Monitoring"): (latest actual −
  baseline) / (final target − baseline), clipped to 0…1. The same formula
  serves a falling indicator (both differences are negative). A "maintain"
  indicator is 1 while its latest actual is within the tolerance of its
  target, 0 otherwise. No actual, no baseline or no target: None (no data).
- A **measure's progress**: the mean of its indicators' progress; without
  indicator data, a completed measure is 1 and any other is None.
- A **node above**: its own indicators measure it directly, so they decide
  when they have data; otherwise the weighted mean of its children's
  progress, children without data left out. Measures weigh by their planned
  money (a 2 M€ road counts more than a 5 k€ leaflet); other levels, and
  measures of a task none of whose measures has money, weigh equally.
- A **status** compares progress with what the time elapsed asks for: the
  expected share grows linearly from the baseline year to the final
  target's year. Thresholds are settings (``MONITORING_ON_TRACK``,
  ``MONITORING_AT_RISK``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    NO_DATA = "no_data", _("No data")
    COMPLETED = "completed", _("Completed")


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def indicator_progress(
    *,
    baseline: Decimal | None,
    target: Decimal | None,
    actual: Decimal | None,
    direction: str,
) -> float | None:
    """The progress (0…1) of an indicator whose latest actual is ``actual``
    towards its final ``target`` from ``baseline``; None without data."""
    if actual is None or target is None:
        return None
    if direction == "maintain":
        tolerance = Decimal(str(_setting("MONITORING_MAINTAIN_TOLERANCE", 0.05)))
        allowed = abs(target) * tolerance
        return 1.0 if abs(actual - target) <= allowed else 0.0
    if baseline is None:
        return None
    span = target - baseline
    if span == 0:
        # Already at the target when the plan was made: reached while the
        # actual stays on the right side of it.
        reached = actual >= target if direction != "decrease" else actual <= target
        return 1.0 if reached else 0.0
    return float(min(max((actual - baseline) / span, Decimal(0)), Decimal(1)))


def mean(values: Iterable[float | None], weights: Iterable[Decimal | float] | None = None):
    """The weighted mean of the values that are not None; None if none is.

    Weights of the values left out do not count; when the remaining weights
    are all zero, the values weigh equally.
    """
    pairs = [
        (value, float(weight))
        for value, weight in zip(values, weights if weights is not None else _ones(), strict=False)
        if value is not None
    ]
    if not pairs:
        return None
    total = sum(weight for _, weight in pairs)
    if total <= 0:
        return sum(value for value, _ in pairs) / len(pairs)
    return sum(value * weight for value, weight in pairs) / total


def _ones():
    while True:
        yield 1.0


def measure_progress(
    indicator_progresses: Sequence[float | None], status: str | None
) -> float | None:
    own = mean(indicator_progresses)
    if own is not None:
        return own
    return 1.0 if status == "completed" else None


def node_progress(
    own: Sequence[float | None],
    children: Sequence[float | None],
    weights: Sequence[Decimal | float] | None = None,
) -> float | None:
    """A goal's, task's or priority's progress: its own indicators when they
    have data, else its children's weighted mean."""
    direct = mean(own)
    return direct if direct is not None else mean(children, weights)


@dataclass(frozen=True)
class Expected:
    """The share of the way the time elapsed asks for, by ``year``."""

    start: int
    end: int

    def share(self, year: int) -> float:
        if self.end <= self.start:
            return 1.0
        return min(max((year - self.start) / (self.end - self.start), 0.0), 1.0)


def status_of(progress: float | None, expected_share: float, *, completed: bool = False) -> str:
    """on_track / at_risk / off_track / no_data / completed.

    ``completed``: a measure reported completed, or progress 1 reached.
    Otherwise progress is compared with the share expected by now: at least
    ``MONITORING_ON_TRACK`` (0.9) of it is on track, at least
    ``MONITORING_AT_RISK`` (0.6) at risk, less off track.
    """
    if progress is None:
        return ProgressStatus.COMPLETED if completed else ProgressStatus.NO_DATA
    if completed or progress >= 1.0:
        return ProgressStatus.COMPLETED
    if expected_share <= 0:
        return ProgressStatus.ON_TRACK
    ratio = progress / expected_share
    if ratio >= _setting("MONITORING_ON_TRACK", 0.9):
        return ProgressStatus.ON_TRACK
    if ratio >= _setting("MONITORING_AT_RISK", 0.6):
        return ProgressStatus.AT_RISK
    return ProgressStatus.OFF_TRACK
