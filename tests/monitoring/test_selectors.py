"""A version's progress as each reader may see it, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring import services
from monitoring.selectors import version_progress
from plans.models import Indicator, IndicatorTarget, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

DUE = datetime.date(2021, 2, 15)


def with_value(version, staff, *, value="15", publish=False):
    round_ = services.round_open(user=staff, plan=version.plan, year=2020, due=DUE)
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).first()
    # An approved version's indicators are frozen: set the baseline (10) and
    # the targets (20) on the rows as a data fix would, past the guards.
    Indicator._base_manager.filter(pk=indicator.pk).update(baseline_value=Decimal(10))
    IndicatorTarget._base_manager.filter(indicator=indicator).update(value=20)
    indicator.refresh_from_db()
    services.actual_set(user=staff, indicator=indicator, year=2020, value=value)
    if publish:
        services.round_publish(user=staff, round=round_)
    return indicator


def test_the_indicator_is_half_way_and_its_measure_with_it(approved_version, staff_user):
    indicator = with_value(approved_version, staff_user)
    result = version_progress(approved_version, staff_user)
    assert result.indicators[indicator.pk].progress == pytest.approx(0.5)
    assert result.of(indicator.measure).progress == pytest.approx(0.5)
    assert result.progress is not None


def test_the_public_sees_a_rounds_values_only_once_published(approved_version, staff_user):
    indicator = with_value(approved_version, staff_user)
    assert version_progress(approved_version, None).indicators[indicator.pk].progress is None
    round_ = approved_version.plan.monitoring_rounds.get()
    services.round_publish(user=staff_user, round=round_)
    assert version_progress(approved_version, None).indicators[indicator.pk].progress == (
        pytest.approx(0.5)
    )


def queries_for(size, staff):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size, goals=2, tasks=2, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    with_value(version, staff)
    with CaptureQueriesContext(connection) as queries:
        version_progress(version, staff)
    return len(queries)


def test_the_progress_runs_the_same_queries_on_a_plan_five_times_larger(db, staff_user):
    assert queries_for(1, staff_user) == queries_for(5, staff_user)
