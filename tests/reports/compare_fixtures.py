"""Plans with two years' approved reports, for the compare and XLSX tests."""

import datetime

import pytest

from monitoring import services as monitoring
from plans.models import FundingSource, Indicator, Measure, VersionStatus
from reports import services
from tests import factories
from tests.conftest import build_plan_tree


def publish_round(user, plan, year, *, actual, status, spent):
    round_ = monitoring.round_open(
        user=user, plan=plan, year=year, due=datetime.date(year + 1, 2, 15)
    )
    indicator = Indicator.objects.filter(version__plan=plan, measure__isnull=False).order_by("pk")
    monitoring.actual_set(user=user, indicator=indicator.first(), year=year, value=actual)
    measure = Measure.objects.filter(version__plan=plan).order_by("code").first()
    monitoring.implementation_set(
        user=user,
        measure=measure,
        year=year,
        status=status,
        note="Užsitęsė pirkimas" if status == "delayed" else "",
        spent=[{"source": "SB", "amount": spent}],
    )
    return monitoring.round_publish(user=user, round=round_)


def make_report(user, plan, year, *, approve=True):
    report = services.report_create(user=user, plan=plan, year=year)
    if approve:
        report = services.report_submit(user=user, report=report)
        report = services.report_approve(
            user=user,
            report=report,
            decision_number=f"TS-{year}",
            decision_date=datetime.date(year + 1, 4, 28),
        )
    return report


def version_with_money(priorities=2):
    """An approved version whose first measure plans money in 2019 and 2020."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=priorities, goals=1, tasks=1, measures=2)
    measure = Measure.objects.filter(version=version).order_by("code").first()
    source = FundingSource.objects.get(code="SB")
    factories.FundingLineFactory(measure=measure, source=source, year=2019, amount="1000.00")
    factories.FundingLineFactory(measure=measure, source=source, year=2020, amount="1500.00")
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


def approved_years(staff_user, plan):
    """The approved reports of 2019 and 2020 (the first measure delayed, then completed)."""
    publish_round(staff_user, plan, 2019, actual="12", status="delayed", spent="400")
    publish_round(staff_user, plan, 2020, actual="15.5", status="completed", spent="1500")
    return make_report(staff_user, plan, 2019), make_report(staff_user, plan, 2020)


@pytest.fixture
def plan_with_money(db):
    return version_with_money()


@pytest.fixture
def two_years(plan_with_money, staff_user):
    """Approved reports of 2019 and 2020 (the measure delayed, then completed)."""
    return approved_years(staff_user, plan_with_money.plan)
