"""send_monitoring_reminders: members of units with missing items are
e-mailed N days before the due date, once per day and member."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from monitoring import services
from monitoring.models import UnitMembership
from notifications.models import Notification, SentReminder
from plans.models import Indicator, Measure
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2021, 2, 8)


def run(today=TODAY, capture=None):
    out = StringIO()
    if capture is not None:
        with capture(execute=True):
            call_command("send_monitoring_reminders", today=today, stdout=out)
    else:
        call_command("send_monitoring_reminders", today=today, stdout=out)
    return out.getvalue()


@pytest.fixture
def unit(approved_version):
    return Measure.objects.filter(version=approved_version).first().responsible_unit


@pytest.fixture
def members(unit):
    users = [factories.UserFactory(username=f"narys{n}") for n in range(2)]
    for user in users:
        UnitMembership.objects.create(unit=unit, user=user)
    return users


def open_round(version, staff, due):
    return services.round_open(user=staff, plan=version.plan, year=2020, due=due)


def test_members_are_reminded_seven_days_before_once_a_day(
    approved_version, staff_user, members, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.MONITORING_REMINDER_DAYS = [7, 1]
    open_round(approved_version, staff_user, TODAY + datetime.timedelta(days=7))
    output = run(capture=django_capture_on_commit_callbacks)
    assert "2 reminder(s) sent" in output
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in members)
    assert "2021" in mailoutbox[0].subject
    assert "/monitoring/my-items/" in mailoutbox[0].body
    # A second run the same day sends nothing more.
    assert "0 reminder(s) sent" in run(capture=django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert SentReminder.objects.count() == 2


def test_no_reminder_on_other_days_nor_for_a_complete_unit_nor_a_published_round(
    approved_version, staff_user, members, unit
):
    round_ = open_round(approved_version, staff_user, TODAY + datetime.timedelta(days=3))
    assert "0 reminder(s) sent" in run()
    round_.due = TODAY + datetime.timedelta(days=1)
    round_.save()
    # The unit enters everything: nothing is missing, nobody is reminded.
    for measure in Measure.objects.filter(version=approved_version, responsible_unit=unit):
        services.implementation_set(user=staff_user, measure=measure, year=2020, status="completed")
    for indicator in Indicator.objects.filter(version=approved_version, goal__isnull=True):
        services.actual_set(user=staff_user, indicator=indicator, year=2020, value="1")
    assert "0 reminder(s) sent" in run()
    assert not Notification.objects.exists()


def test_a_published_round_reminds_nobody(approved_version, staff_user, members):
    round_ = open_round(approved_version, staff_user, TODAY + datetime.timedelta(days=1))
    services.round_publish(user=staff_user, round=round_)
    assert "0 reminder(s) sent" in run()


def test_the_next_reminder_day_reminds_again(approved_version, staff_user, members):
    open_round(approved_version, staff_user, TODAY + datetime.timedelta(days=7))
    run()
    assert "2 reminder(s) sent" in run(today=TODAY + datetime.timedelta(days=6))
    assert Notification.objects.count() == 4
