"""The progress rules (monitoring/progress.py): properties and worked examples."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitoring.progress import (
    Expected,
    indicator_progress,
    measure_progress,
    node_progress,
    status_of,
)

number = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)


@given(
    baseline=number,
    target=number,
    actual=number,
    direction=st.sampled_from(["increase", "decrease", "maintain"]),
)
def test_progress_stays_between_zero_and_one(baseline, target, actual, direction):
    progress = indicator_progress(
        baseline=baseline, target=target, actual=actual, direction=direction
    )
    assert progress is None or 0 <= progress <= 1


@given(baseline=number, gap=st.decimals(min_value=1, max_value=500, places=2), a=number, b=number)
def test_progress_grows_with_the_actual_of_an_increasing_indicator(baseline, gap, a, b):
    low, high = sorted((a, b))
    target = baseline + gap
    args = {"baseline": baseline, "target": target, "direction": "increase"}
    assert indicator_progress(actual=low, **args) <= indicator_progress(actual=high, **args)


@given(baseline=number, gap=st.decimals(min_value=1, max_value=500, places=2), a=number, b=number)
def test_progress_falls_with_the_actual_of_a_decreasing_indicator(baseline, gap, a, b):
    low, high = sorted((a, b))
    target = baseline - gap
    args = {"baseline": baseline, "target": target, "direction": "decrease"}
    assert indicator_progress(actual=low, **args) >= indicator_progress(actual=high, **args)


@given(st.lists(st.tuples(number, st.decimals(min_value=1, max_value=500, places=2)), min_size=1))
def test_a_node_whose_indicators_all_reached_their_targets_shows_one(pairs):
    progresses = [
        indicator_progress(
            baseline=baseline, target=baseline + gap, actual=baseline + gap, direction="increase"
        )
        for baseline, gap in pairs
    ]
    assert node_progress(progresses, []) == 1


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "direction", "expected"),
    [
        # 40 % of waste sorted in 2013, 70 % wanted: 55 % is half the way.
        ("40", "70", "55", "increase", 0.5),
        # 120 accidents, 60 wanted: 90 is half the way down.
        ("120", "60", "90", "decrease", 0.5),
        # Beyond the target is the target reached; behind the baseline is zero.
        ("40", "70", "80", "increase", 1.0),
        ("40", "70", "30", "increase", 0.0),
        # Maintain 95 % coverage, 5 % tolerance: 91 is on target, 89 is not.
        ("95", "95", "91", "maintain", 1.0),
        ("95", "95", "89", "maintain", 0.0),
    ],
)
def test_worked_examples(baseline, target, actual, direction, expected):
    assert indicator_progress(
        baseline=Decimal(baseline),
        target=Decimal(target),
        actual=Decimal(actual),
        direction=direction,
    ) == pytest.approx(expected)


def test_no_actual_is_no_data():
    assert (
        indicator_progress(
            baseline=Decimal(1), target=Decimal(2), actual=None, direction="increase"
        )
        is None
    )


def test_measures_weigh_by_their_planned_money():
    # A 900 k€ road half done and a 100 k€ leaflet not started: 0.45, not 0.25.
    assert node_progress([], [0.5, 0.0], [Decimal(900_000), Decimal(100_000)]) == pytest.approx(
        0.45
    )
    # Without money anywhere, equal weights.
    assert node_progress([], [0.5, 0.0], [0, 0]) == pytest.approx(0.25)
    # A child without data is left out, with its weight.
    assert node_progress([], [None, 0.5], [10, 1]) == pytest.approx(0.5)


def test_a_completed_measure_without_indicator_data_is_done():
    assert measure_progress([], "completed") == 1
    assert measure_progress([None], "in_progress") is None


@pytest.mark.parametrize(
    ("progress", "year", "status"),
    [
        (0.5, 2016, "on_track"),  # half the way at half the time
        (0.35, 2016, "at_risk"),  # 70 % of what is expected
        (0.1, 2016, "off_track"),
        (None, 2016, "no_data"),
        (1.0, 2016, "completed"),
    ],
)
def test_status_compares_progress_with_the_time_elapsed(progress, year, status):
    expected = Expected(start=2012, end=2020)
    assert status_of(progress, expected.share(year)) == status
