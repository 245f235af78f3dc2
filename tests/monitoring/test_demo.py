"""The monitoring step of ``load_demo``: published rounds 2014–2019 of the
2013–2020 plan, an open 2020 round past its due date with some units late,
and the contract's unit members ``editor`` and ``editor2``."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from monitoring import demo as monitoring_demo
from monitoring.models import (
    ActualValue,
    ImplementationStatus,
    MeasureImplementation,
    MonitoringRound,
    RoundStatus,
    SpentLine,
    UnitMembership,
)
from monitoring.selectors import version_progress
from plans.demo import loader
from plans.models import FundingLine, Measure, PlanVersion

pytestmark = pytest.mark.django_db

MODELS = [
    MonitoringRound,
    ActualValue,
    ActualValue.history.model,
    MeasureImplementation,
    MeasureImplementation.history.model,
    SpentLine,
    UnitMembership,
    get_user_model(),
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_rounds_2014_to_2019_are_published_and_2020_is_open_and_past_due(demo):
    rounds = {r.year: r for r in MonitoringRound.objects.filter(plan=demo.plan)}
    assert sorted(rounds) == list(range(2014, 2021))
    assert all(rounds[y].status == RoundStatus.PUBLISHED for y in range(2014, 2020))
    assert rounds[2019].published_at.year == 2020
    assert rounds[2020].status == RoundStatus.OPEN
    assert rounds[2020].due < timezone.localdate()


def test_published_years_have_values_and_implementation_marked_as_demonstration(demo):
    for year in range(2014, 2020):
        assert ActualValue.objects.filter(plan=demo.plan, year=year).count() >= 50
        assert MeasureImplementation.objects.filter(plan=demo.plan, year=year).count() >= 30
    assert not ActualValue.objects.exclude(note__contains="Demonstracinis įrašas").exists()
    assert not MeasureImplementation.objects.exclude(
        note__contains="Demonstracinis įrašas"
    ).exists()
    delayed = MeasureImplementation.objects.filter(status=ImplementationStatus.DELAYED)
    assert delayed.count() >= 3
    assert all(len(entry.note) > len("Demonstracinis įrašas.") + 10 for entry in delayed)
    assert MeasureImplementation.objects.filter(status=ImplementationStatus.COMPLETED).exists()


def test_money_spent_is_close_to_the_money_planned(demo):
    planned = sum(
        line.amount
        for line in FundingLine.objects.filter(
            measure__version=demo.approved_version, year__range=(2014, 2019)
        )
    )
    spent = sum(
        line.amount
        for line in SpentLine.objects.filter(
            implementation__plan=demo.plan, implementation__year__range=(2014, 2019)
        )
    )
    assert Decimal("0.7") * planned < spent <= planned * Decimal("1.05")


def test_values_progress_towards_the_targets_some_behind(demo):
    progress = version_progress(demo.approved_version, demo.staff_user)
    statuses = [entry.status for entry in progress.indicators.values()]
    assert statuses.count("on_track") + statuses.count("completed") > len(statuses) / 2
    assert "off_track" in statuses or "at_risk" in statuses


def test_in_the_open_round_some_units_are_done_and_some_late(demo):
    version = demo.approved_version
    active = Measure.objects.filter(version=version, start_year__lte=2020, end_year__gte=2020)
    entered = set(
        MeasureImplementation.objects.filter(plan=demo.plan, year=2020).values_list(
            "measure_key", flat=True
        )
    )
    done, late = set(), set()
    for measure in active.select_related("responsible_unit"):
        (done if measure.key in entered else late).add(measure.responsible_unit.name)
    complete = done - late
    assert monitoring_demo.ECONOMY in complete
    assert monitoring_demo.CONSTRUCTION in done & late  # part entered, part missing
    assert len(late - done) >= 3  # units that entered nothing


def test_editor_is_a_member_of_a_unit_with_five_measures_in_force(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="editor")}
    assert users["editor"].check_password("demo")
    assert users["editor2"].check_password("demo")
    units = {
        name: set(UnitMembership.objects.filter(user=users[name]).values_list("unit", flat=True))
        for name in ("editor", "editor2")
    }
    assert len(units["editor"]) == 1 and units["editor"] != units["editor2"]
    version = PlanVersion.objects.in_force_for(demo.plan)
    assert (
        Measure.objects.filter(version=version, responsible_unit__in=units["editor"]).count() >= 5
    )
    # editor entered their unit's data themselves.
    assert ActualValue.objects.filter(entered_by=users["editor"]).exists()


def test_running_it_again_changes_nothing(demo):
    before = counts()
    loader.load_demo(say=lambda line: None)
    assert counts() == before
