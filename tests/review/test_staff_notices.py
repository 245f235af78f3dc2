"""Staff hear of the council's comments: in the portal at once, by e-mail in a digest,
and as open threads per item on the outline and the version page."""

from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification
from plans.models import Measure, PlanVersion, VersionStatus
from review import services as review_services
from review.notices import REVIEW_COMMENT
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_version(draft_version):
    PlanVersion.objects.filter(pk=draft_version.pk).update(status=VersionStatus.COUNCIL_REVIEW)
    draft_version.refresh_from_db()
    return draft_version


@pytest.fixture
def other_staff(db):
    return factories.UserFactory(username="staff-two", role="staff", email="du@krs.lt")


def measures(version):
    return list(Measure.objects.filter(version=version).order_by("code"))


def comment(user, version, measure, text="Trūksta rodiklio"):
    return review_services.comment_add(
        user=user, version=version, level="measure", node_id=measure.pk, text=text
    )


def test_a_council_comment_notifies_every_staff_member_in_the_portal(
    council_user, staff_user, other_staff, review_version
):
    measure = measures(review_version)[0]
    written = comment(council_user, review_version, measure)
    notices = Notification.objects.filter(kind=REVIEW_COMMENT)
    assert {n.recipient_id for n in notices} == {staff_user.pk, other_staff.pk}
    notice = notices.get(recipient=staff_user)
    assert measure.code in notice.subject and "Trūksta rodiklio" in notice.text
    assert notice.url == written.thread.get_absolute_url()
    assert notice.read_at is None
    # Nothing mailed yet: the e-mail waits for the digest.
    assert mail.outbox == []


def test_a_reply_of_a_council_member_notifies_too_and_staff_notes_do_not(
    council_user, staff_user, review_version
):
    first = comment(staff_user, review_version, measures(review_version)[0], "Pastaba sau")
    assert not Notification.objects.filter(kind=REVIEW_COMMENT).exists()
    review_services.comment_add(
        user=council_user, version=review_version, thread=first.thread, text="Sutinku"
    )
    notice = Notification.objects.get(kind=REVIEW_COMMENT, recipient=staff_user)
    assert "atsakė" in notice.subject


def test_the_digest_sends_one_mail_per_person_with_every_comment_then_nothing_more(
    council_user, staff_user, other_staff, review_version, django_capture_on_commit_callbacks
):
    first, second = measures(review_version)[:2]
    with django_capture_on_commit_callbacks(execute=True):
        comment(council_user, review_version, first, "Pirmas komentaras")
        comment(council_user, review_version, second, "Antras komentaras")
    assert mail.outbox == []

    call_command("send_review_digest", stdout=StringIO())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2 == len(by_recipient)
    for message in by_recipient.values():
        assert "Pirmas komentaras" in message.body and "Antras komentaras" in message.body
        assert first.code in message.body and second.code in message.body
    assert not Notification.objects.filter(digest_pending=True).exists()

    call_command("send_review_digest", stdout=StringIO())
    assert len(mail.outbox) == 2


def test_the_outline_and_the_version_page_show_open_threads_per_item(
    staff_client, council_user, staff_user, review_version
):
    first, second = measures(review_version)[:2]
    comment(council_user, review_version, first, "Vienas")
    comment(council_user, review_version, first, "Du")
    resolved = comment(council_user, review_version, second, "Jau išspręsta")
    review_services.thread_resolve(user=staff_user, thread=resolved.thread)
    for url in (
        reverse("plans:staff-outline", args=[review_version.pk]),
        reverse("plans:version", args=[review_version.pk]),
    ):
        page = staff_client.get(url).content.decode()
        box = page.split('id="review-work-box"', 1)[1].split("</section>", 1)[0]
        assert f"{reverse('review:threads', args=[review_version.pk])}?state=open" in box
        assert 'id="review-work-total"' in box and ">2 atviros" in box
        assert first.code in box and second.code not in box
        assert reverse("plans:measure", args=[review_version.pk, first.pk]) in box


def test_the_outline_asks_the_same_queries_with_threads_on_a_plan_five_times_as_big(
    staff_client, council_user
):
    def version_with_threads(priorities):
        version = factories.VersionFactory(status=VersionStatus.DRAFT)
        build_plan_tree(version, priorities=priorities, goals=1, tasks=1, measures=2)
        PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.COUNCIL_REVIEW)
        version.refresh_from_db()
        for measure in measures(version):
            comment(council_user, version, measure)
        return version

    small, large = version_with_threads(1), version_with_threads(5)
    url = lambda version: reverse("plans:staff-outline", args=[version.pk])  # noqa: E731
    staff_client.get(url(small))
    # Each read renders (the page cache emptied): what a render costs.
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url(small)).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        page = staff_client.get(url(large)).content.decode()
    assert page.count("review-open-count") == 10
    assert len(many) == len(few)
