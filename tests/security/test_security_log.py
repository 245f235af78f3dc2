"""The security log: what it records, who reads it, how long it keeps it (issue 11, item 15)."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from council import services as council
from planportal.ratelimit import address_hash
from planportal.roles import STAFF_GROUP
from plans.models import Unit, VersionStatus
from security import receivers
from security.models import SecurityEvent
from security.services import prune, record
from tests import factories

pytestmark = pytest.mark.django_db

Kind = SecurityEvent.Kind


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("created_at", "id"))


@pytest.fixture
def superuser(db):
    user = factories.UserFactory(username="support")
    user.is_staff = user.is_superuser = True
    user.set_password("s3cret-pass")
    user.save()
    return user


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    client.cookies["planportal_language"] = "en"
    return client


# --- Logins ----------------------------------------------------------------------


def test_a_login_and_a_logout_are_recorded_with_the_hashed_address(superuser):
    client = Client(REMOTE_ADDR="203.0.113.7")
    response = client.post(reverse("login"), {"username": "support", "password": "s3cret-pass"})
    assert response.status_code == 302
    [login] = events(Kind.LOGIN)
    assert (login.actor, login.username) == (superuser, "support")
    assert login.address_hash == address_hash("203.0.113.7")
    assert "203.0.113.7" not in json.dumps(login.details)
    client.post(reverse("logout"))
    [logout] = events(Kind.LOGOUT)
    assert logout.actor == superuser


def test_a_failed_login_keeps_the_name_tried_and_never_the_password(superuser):
    client = Client(REMOTE_ADDR="198.51.100.4")
    client.post(reverse("login"), {"username": "support", "password": "wrong-guess-123"})
    client.post(reverse("login"), {"username": "nobody", "password": "another-guess-456"})
    failed = events(Kind.LOGIN_FAILED)
    assert [event.username for event in failed] == ["support", "nobody"]
    assert all(event.actor is None for event in failed)
    assert failed[0].address_hash == address_hash("198.51.100.4")
    stored = json.dumps(list(SecurityEvent.objects.values()), default=str)
    assert "wrong-guess" not in stored and "another-guess" not in stored


def test_a_lockout_is_recorded_with_the_hash_not_the_address(rf):
    # django-axes sends this signal (its receiver is connected when axes is installed).
    request = rf.post("/accounts/login/", REMOTE_ADDR="192.0.2.9")
    receivers.locked_out("axes", request=request, username="council1", ip_address="192.0.2.9")
    [lockout] = events(Kind.LOCKOUT)
    assert lockout.username == "council1"
    assert lockout.address_hash == address_hash("192.0.2.9")
    assert "192.0.2.9" not in json.dumps([lockout.details, lockout.target_repr])


# --- Admin changes and roles -----------------------------------------------------------


def test_a_change_in_the_admin_is_recorded(superuser_client, superuser):
    unit = factories.UnitFactory(name="Archyvo skyrius")
    url = reverse("admin:plans_unit_change", args=[unit.pk])
    response = superuser_client.post(url, {"name": "Archyvo ir dokumentų skyrius", "kind": "other"})
    assert response.status_code == 302
    [change] = events(Kind.ADMIN_CHANGE)
    assert change.actor == superuser
    assert (change.target_type, change.target_id) == ("plans.unit", str(unit.pk))
    assert change.target_repr == "Archyvo ir dokumentų skyrius"
    assert change.details["action"] == "changed"
    assert change.address_hash  # The request's, through the middleware.


def test_joining_and_leaving_a_role_group_is_recorded_from_either_side(superuser_client):
    user = factories.UserFactory(username="naujokas")
    SecurityEvent.objects.all().delete()
    staff = Group.objects.get_or_create(name=STAFF_GROUP)[0]
    user.groups.add(staff)
    staff.user_set.remove(user)
    user.groups.add(staff)
    user.groups.clear()
    changes = [event.details["groups"] for event in events(Kind.ROLE_CHANGE)]
    assert changes == [
        {"added": [STAFF_GROUP]},
        {"removed": [STAFF_GROUP]},
        {"added": [STAFF_GROUP]},
        {"removed": [STAFF_GROUP]},
    ]
    assert {event.target_repr for event in events(Kind.ROLE_CHANGE)} == {"naujokas"}


def test_becoming_superuser_or_losing_staff_is_recorded_but_a_plain_save_is_not():
    user = factories.UserFactory(username="pakeltas")
    SecurityEvent.objects.all().delete()
    user.first_name = "Petras"
    user.save()
    assert not events(Kind.ROLE_CHANGE)
    user.is_superuser = True
    user.save()
    loaded = type(user).objects.get(pk=user.pk)
    loaded.is_active = False
    loaded.save()
    details = [event.details for event in events(Kind.ROLE_CHANGE)]
    assert details == [{"is_superuser": [False, True]}, {"is_active": [True, False]}]


def test_a_new_superuser_is_a_role_change():
    type(factories.UserFactory()).objects.create_superuser("root2", "root2@example.lt", "x")
    [event] = events(Kind.ROLE_CHANGE)
    assert event.target_repr == "root2"
    assert event.details == {"is_superuser": [None, True], "is_staff": [None, True]}


# --- Versions' states and decisions ------------------------------------------------------


def test_every_step_of_a_version_is_recorded_with_its_kind(staff_user, draft_version):
    council.version_submit(user=staff_user, version=draft_version)
    council.version_withdraw(user=staff_user, version=draft_version, reason="Pataisyti")
    steps = events(Kind.TRANSITION)
    assert [event.details["event"] for event in steps] == ["submitted", "withdrawn"]
    assert steps[1].details["reason"] == "Pataisyti"
    assert steps[1].details["status"] == VersionStatus.DRAFT
    assert all(event.actor == staff_user for event in steps)
    assert steps[0].target_type == "plans.planversion"
    assert steps[0].target_id == str(draft_version.pk)


def test_a_decision_correction_or_any_later_event_kind_is_recorded_generically(
    staff_user, approved_version
):
    from council.models import VersionEvent

    VersionEvent.objects.create(
        version=approved_version, kind="decision_corrected", user=staff_user, reason="T-99"
    )
    [event] = events(Kind.TRANSITION)
    assert event.details == {"event": "decision_corrected", "status": "approved", "reason": "T-99"}


def test_opening_a_consultation_is_a_transition(staff_user, draft_version):
    from consultations import services as consultations

    now = timezone.now()
    consultations.consultation_open(
        user=staff_user,
        version=draft_version,
        title="Viešoji konsultacija",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=14),
    )
    [event] = events(Kind.TRANSITION)
    assert event.details["event"] == "consultation_opened"
    assert event.actor == staff_user


# --- Who reads it ------------------------------------------------------------------------


def test_only_a_superuser_reads_the_log(superuser_client, staff_user):
    event = record(kind=Kind.LOGIN_FAILED, username="nobody")
    url = reverse("admin:security_securityevent_changelist")
    response = superuser_client.get(url)
    assert response.status_code == 200
    assert "nobody" in response.content.decode()
    detail = reverse("admin:security_securityevent_change", args=[event.pk])
    assert superuser_client.get(detail).status_code == 200
    assert superuser_client.post(detail, {"username": "x"}).status_code == 403
    delete = reverse("admin:security_securityevent_delete", args=[event.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403

    # Administration staff may use the admin for reference data, not read the log.
    staff_user.is_staff = True
    staff_user.save()
    staff = Client()
    staff.force_login(staff_user)
    assert staff.get(url).status_code == 403
    assert staff.get(detail).status_code == 403
    assert "security" not in staff.get(reverse("admin:index")).content.decode().lower()
    # Everyone else is sent to the admin's login.
    assert Client().get(url).status_code == 302


def test_the_log_filters_by_kind_and_searches_by_name(superuser_client):
    record(kind=Kind.LOGIN_FAILED, username="ieskomas")
    record(kind=Kind.LOGOUT, username="kitas")
    url = reverse("admin:security_securityevent_changelist")
    by_kind = superuser_client.get(url, {"kind__exact": "logout"}).content.decode()
    assert "kitas" in by_kind and "ieskomas" not in by_kind
    found = superuser_client.get(url, {"q": "ieskom"}).content.decode()
    assert "ieskomas" in found and "kitas" not in found


# --- How long it keeps it ----------------------------------------------------------------


def test_events_older_than_the_retention_are_pruned(settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    old = record(kind=Kind.LOGIN, username="senas")
    SecurityEvent.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=31))
    recent = record(kind=Kind.LOGIN, username="naujas")
    SecurityEvent.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=29))
    assert prune() == 1
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["naujas"]
    settings.SECURITY_LOG_RETENTION_DAYS = 0  # Keep forever.
    assert prune(now=now + datetime.timedelta(days=999)) == 0


def test_the_prune_command_takes_the_setting_or_its_days(settings, capsys):
    settings.SECURITY_LOG_RETENTION_DAYS = 365
    event = record(kind=Kind.LOGIN, username="vidutinis")
    SecurityEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=100)
    )
    call_command("prune_security_log")
    assert SecurityEvent.objects.filter(pk=event.pk).exists()
    call_command("prune_security_log", "--days", "90")
    assert not SecurityEvent.objects.filter(pk=event.pk).exists()
    assert "Deleted 1" in capsys.readouterr().out


def test_a_unit_renamed_in_the_admin_is_unaffected_by_the_log(superuser_client):
    # The log records; it never stands in the way of what it records.
    unit = factories.UnitFactory(name="Laikinas")
    url = reverse("admin:plans_unit_change", args=[unit.pk])
    superuser_client.post(url, {"name": "Nuolatinis", "kind": "department"})
    assert Unit.objects.get(pk=unit.pk).name == "Nuolatinis"


def test_the_logout_of_an_account_deleted_in_the_same_request_keeps_its_name(rf):
    user = factories.UserFactory(username="issitrynes")
    user.delete()
    request = rf.post("/accounts/delete/")
    receivers.logged_out(type(user), request=request, user=user)
    [logout] = events(Kind.LOGOUT)
    assert (logout.actor, logout.username) == (None, "issitrynes")
