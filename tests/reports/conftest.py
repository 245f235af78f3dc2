"""A plan with a published round of 2020, ready for its yearly report."""

import datetime

import pytest

from monitoring import services as monitoring
from plans.models import Indicator, Measure
from reports import services


@pytest.fixture
def published_round(approved_version, staff_user):
    """The 2020 round of ``approved_version``'s plan, with values, published."""
    round_ = monitoring.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    indicator = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()
    monitoring.actual_set(user=staff_user, indicator=indicator, year=2020, value="15")
    measure = Measure.objects.filter(version=approved_version).order_by("code").first()
    monitoring.implementation_set(
        user=staff_user, measure=measure, year=2020, status="delayed", note="Užsitęsė pirkimas"
    )
    return monitoring.round_publish(user=staff_user, round=round_)


@pytest.fixture
def draft_report(published_round, staff_user):
    return services.report_create(user=staff_user, plan=published_round.plan, year=2020)


@pytest.fixture
def submitted_report(draft_report, staff_user):
    return services.report_submit(user=staff_user, report=draft_report)


@pytest.fixture
def approved_report(submitted_report, staff_user):
    return services.report_approve(
        user=staff_user,
        report=submitted_report,
        decision_number="TS-12",
        decision_date=datetime.date(2021, 4, 29),
    )
