"""Notifications: in-app rows and e-mails to the right people, the list page,
the unread count in the header, and the once-only deadline reminder."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from council import notices
from council.models import Ballot, Voting
from notifications import services as notifications
from notifications.models import Notification, SentReminder
from plans.models import VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return {
        "council": [
            factories.UserFactory(username="ona", role="council"),
            factories.UserFactory(username="jonas", role="council"),
        ],
        "staff": [factories.UserFactory(username="rasa", role="staff")],
        "resident": factories.UserFactory(username="petras"),
        "former": factories.UserFactory(username="buves", role="council", is_active=False),
    }


@pytest.fixture
def review_version(db):
    return factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)


def recipients_of(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def mailed_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submission_notifies_every_active_council_member_in_app_and_by_email(
    people, review_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify_council_version_submitted(review_version)
    assert recipients_of("version_submitted") == ["jonas", "ona"]
    assert mailed_to() == ["jonas@example.lt", "ona@example.lt"]
    assert review_version.get_absolute_url() in mail.outbox[0].body


def test_no_email_leaves_when_the_action_is_rolled_back(
    people, review_version, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notices.notify_council_version_submitted(review_version)
    # The callbacks run only on commit; until then nothing is sent. Run, they
    # send the e-mails (the other callback forgets the readers' unread counts).
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert mailed_to() == ["jonas@example.lt", "ona@example.lt"]


def test_voting_opened_tells_the_council_the_deadline(
    people, review_version, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + datetime.timedelta(days=3)
    voting = Voting.objects.create(version=review_version, deadline=deadline)
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify_council_voting_opened(voting)
    assert recipients_of("voting_opened") == ["jonas", "ona"]
    assert mailed_to() == ["jonas@example.lt", "ona@example.lt"]
    assert (
        voting.get_absolute_url() in Notification.objects.filter(kind="voting_opened").first().url
    )


def test_voting_closed_notifies_staff_only(
    people, review_version, django_capture_on_commit_callbacks
):
    voting = Voting.objects.create(
        version=review_version,
        status="closed",
        passed=True,
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
        did_not_vote=0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify_staff_voting_closed(voting)
    assert recipients_of("voting_closed") == ["rasa"]
    assert mailed_to() == ["rasa@example.lt"]


def test_a_user_without_an_address_is_notified_in_the_app_only(
    review_version, django_capture_on_commit_callbacks
):
    factories.UserFactory(username="be-pasto", role="council", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify_council_version_submitted(review_version)
    assert recipients_of("version_submitted") == ["be-pasto"]
    assert mail.outbox == []


# --- Deadline reminders --------------------------------------------------------------------


def test_reminder_command_reminds_once_and_only_those_who_have_not_voted(
    people, review_version, django_capture_on_commit_callbacks
):
    voting = Voting.objects.create(
        version=review_version, deadline=timezone.now() + datetime.timedelta(hours=5)
    )
    Ballot.objects.create(voting=voting, voter=people["council"][0], choice="for")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_deadline_reminders")
        call_command("send_deadline_reminders")
    assert recipients_of("voting_deadline_near") == ["jonas"]
    assert mailed_to() == ["jonas@example.lt"]
    assert SentReminder.objects.count() == 1


def test_reminder_command_skips_far_past_and_closed_votings(people):
    far = Voting.objects.create(
        version=factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW),
        deadline=timezone.now() + datetime.timedelta(days=5),
    )
    Voting.objects.create(
        version=factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW),
        deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    Voting.objects.create(
        version=factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW),
        status="closed",
        deadline=timezone.now() + datetime.timedelta(hours=1),
    )
    call_command("send_deadline_reminders")
    assert not Notification.objects.exists() and mail.outbox == []
    call_command("send_deadline_reminders", hours=24 * 6)
    assert SentReminder.objects.get().target == str(far.pk)


# --- The list page ---------------------------------------------------------------------


def test_the_list_shows_only_ones_own_notifications(people, client):
    ona, jonas = people["council"]
    notifications.notify(users=[ona], kind="test", subject="Onai skirta", url="/plans/1/")
    notifications.notify(users=[jonas], kind="test", subject="Jonui skirta")
    client.force_login(ona)
    page = client.get("/notifications/").content.decode()
    assert "Onai skirta" in page and "Jonui skirta" not in page
    assert ona.email not in page


def test_anonymous_readers_are_sent_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_marking_as_read_lowers_the_unread_count_in_the_header(people, client):
    ona, jonas = people["council"]
    first, second = notifications.notify(
        users=[ona], kind="a", subject="Pirmas"
    ) + notifications.notify(users=[ona], kind="b", subject="Antras")
    client.force_login(ona)
    assert '<span class="notification-badge">2<' in client.get("/").content.decode()
    client.post(f"/notifications/{first.pk}/read/")
    assert '<span class="notification-badge">1<' in client.get("/").content.decode()
    client.post("/notifications/read/")
    assert "notification-badge" not in client.get("/").content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_one_cannot_mark_someone_elses_notification_read(people, client):
    ona, jonas = people["council"]
    [theirs] = notifications.notify(users=[jonas], kind="a", subject="Jonui")
    client.force_login(ona)
    client.post(f"/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_count_costs_one_query_and_none_for_anonymous(people, client):
    ona = people["council"][0]
    with CaptureQueriesContext(connection) as anonymous:
        client.get("/notifications/read/")  # any page would do; this one has no other query
    assert not [q for q in anonymous.captured_queries if "notification" in q["sql"].lower()]
    client.force_login(ona)
    with CaptureQueriesContext(connection) as signed_in:
        client.get("/")
    counting = [q for q in signed_in.captured_queries if "plans_notification" in q["sql"]]
    assert len(counting) == 1
