"""Council members and staff are told when a draft is submitted and when votings open and close."""

import pytest
from django.core import mail

from council import services as council_services
from notifications.models import Notification
from plans.models import VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(db):
    staff = factories.UserFactory(username="notify-staff", role="staff")
    members = [
        factories.UserFactory(username=f"notify-member{i}", role="council") for i in range(3)
    ]
    return staff, members


def test_submitting_a_draft_tells_every_council_member_in_the_app_and_by_mail(people):
    staff, members = people
    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    council_services.version_submit(user=staff, version=version)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(m.email for m in members)
    assert Notification.objects.filter(recipient__in=members).count() == 3
    assert not Notification.objects.filter(recipient=staff).exists()


def test_opening_and_closing_a_voting_tells_the_council_then_the_staff(people):
    staff, members = people
    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    council_services.version_submit(user=staff, version=version)
    mail.outbox.clear()
    voting = council_services.voting_open(user=staff, version=version)
    assert sorted(a for m in mail.outbox for a in m.to) == sorted(m.email for m in members)
    for member in members:
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    mail.outbox.clear()
    council_services.voting_close(user=staff, voting=voting)
    assert [a for m in mail.outbox for a in m.to] == [staff.email]
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_a_refused_submission_sends_nothing(people):
    staff, members = people
    version = factories.VersionFactory(status=VersionStatus.APPROVED)
    with pytest.raises(council_services.TransitionError):
        council_services.version_submit(user=staff, version=version)
    assert mail.outbox == []
    assert not Notification.objects.exists()
