"""Monitoring writes: rounds, actual values, implementation, who may write what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring import services
from monitoring.models import ActualValue, MeasureImplementation, UnitMembership
from plans.models import Indicator, Measure
from tests import factories

DUE = datetime.date(2021, 2, 15)


@pytest.fixture
def round_2020(approved_version, staff_user):
    return services.round_open(user=staff_user, plan=approved_version.plan, year=2020, due=DUE)


def member_of(unit):
    user = factories.UserFactory()
    UnitMembership.objects.create(unit=unit, user=user)
    return user


def measure_indicator(version):
    return Indicator.objects.filter(version=version, measure__isnull=False).first()


def test_a_unit_member_enters_their_measures_value_and_corrections_keep_history(
    approved_version, round_2020
):
    indicator = measure_indicator(approved_version)
    member = member_of(indicator.measure.responsible_unit)
    entry, created = services.actual_set(
        user=member, indicator=indicator, year=2020, value="12,5", note="Skyriaus duomenys"
    )
    assert created and entry.value == Decimal("12.5")
    corrected, created = services.actual_set(
        user=member, indicator=indicator, year=2020, value="13", expected_revision=1
    )
    assert not created and corrected.revision == 2
    assert [h.value for h in corrected.history.order_by("history_id")] == [
        Decimal("12.5"),
        Decimal("13"),
    ]


def test_another_units_member_is_refused_and_nothing_changes(approved_version, round_2020):
    indicator = measure_indicator(approved_version)
    stranger = member_of(factories.UnitFactory(name="Kitas skyrius"))
    with pytest.raises(PermissionDenied):
        services.actual_set(user=stranger, indicator=indicator, year=2020, value=1)
    assert not ActualValue.objects.exists()


def test_a_year_without_an_open_round_is_refused(approved_version, staff_user, round_2020):
    indicator = measure_indicator(approved_version)
    with pytest.raises(services.RoundNotOpen):
        services.actual_set(user=staff_user, indicator=indicator, year=2019, value=1)
    services.round_publish(user=staff_user, round=round_2020)
    with pytest.raises(services.RoundNotOpen):
        services.actual_set(user=staff_user, indicator=indicator, year=2020, value=1)


def test_a_stale_correction_is_a_conflict(approved_version, staff_user, round_2020):
    indicator = measure_indicator(approved_version)
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value=1)
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value=2)
    with pytest.raises(services.StaleEntry):
        services.actual_set(
            user=staff_user, indicator=indicator, year=2020, value=3, expected_revision=1
        )
    assert ActualValue.objects.get().value == 2


def test_a_delayed_measure_says_why_and_records_money_spent(
    approved_version, staff_user, round_2020
):
    measure = Measure.objects.filter(version=approved_version).first()
    with pytest.raises(ValidationError) as refusal:
        services.implementation_set(user=staff_user, measure=measure, year=2020, status="delayed")
    assert "note" in refusal.value.message_dict
    entry, _ = services.implementation_set(
        user=staff_user,
        measure=measure,
        year=2020,
        status="delayed",
        note="Rangovas vėluoja",
        spent=[{"source": "SB", "amount": "1200.50"}],
    )
    assert [(line.source.code, line.amount) for line in entry.spent.all()] == [
        ("SB", Decimal("1200.50"))
    ]
    assert MeasureImplementation.objects.count() == 1


def test_only_staff_open_a_round_once_a_year(approved_version, staff_user, council_user):
    plan = approved_version.plan
    with pytest.raises(PermissionDenied):
        services.round_open(user=council_user, plan=plan, year=2020, due=DUE)
    services.round_open(user=staff_user, plan=plan, year=2020, due=DUE)
    with pytest.raises(services.RoundExists):
        services.round_open(user=staff_user, plan=plan, year=2020, due=DUE)
