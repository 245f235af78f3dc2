"""Review comments on the nodes of a version: who may comment where, who sees
the threads, who resolves them, and what the node page costs with many threads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Measure, PlanVersion, VersionStatus
from plans.services import version_renumber
from review import services as review_services
from review.models import ReviewComment, ReviewThread
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def set_status(version, status):
    PlanVersion.objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()
    return version


@pytest.fixture
def review_version(draft_version):
    return set_status(draft_version, VersionStatus.COUNCIL_REVIEW)


def first_measure(version):
    return Measure.objects.filter(version=version).order_by("code").first()


def measure_url(version, measure):
    return f"/versions/{version.pk}/measures/{measure.pk}/"


def comment_url(version, measure):
    return f"/review/versions/{version.pk}/measure/{measure.pk}/comment/"


def add_thread(version, user, text="Trūksta rodiklio.", measure=None):
    measure = measure or first_measure(version)
    return review_services.comment_add(
        user=user, version=version, level="measure", node_id=measure.pk, text=text
    ).thread


# --- Who may comment where ------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "role", "allowed"),
    [
        (VersionStatus.COUNCIL_REVIEW, "council", True),
        (VersionStatus.COUNCIL_REVIEW, "staff", True),
        (VersionStatus.DRAFT, "staff", True),
        (VersionStatus.DRAFT, "council", False),
        (VersionStatus.CONSULTATION, "staff", False),
        (VersionStatus.CONSULTATION, "council", False),
        (VersionStatus.APPROVED, "staff", False),
        (VersionStatus.APPROVED, "council", False),
    ],
)
def test_who_may_comment_depends_on_role_and_version_state(draft_version, status, role, allowed):
    version = set_status(draft_version, status)
    user = factories.UserFactory(role=role)
    if allowed:
        thread = add_thread(version, user)
        assert thread.comments.get().author == user
    else:
        with pytest.raises(review_services.CommentError) as refused:
            add_thread(version, user)
        assert refused.value.code == "comment_not_allowed"
        assert not ReviewThread.objects.exists()


def test_residents_cannot_comment(review_version, resident_user):
    with pytest.raises(PermissionDenied):
        add_thread(review_version, resident_user)
    assert not ReviewComment.objects.exists()


def test_council_member_comments_through_the_node_page_form(
    review_version, council_client, council_user
):
    measure = first_measure(review_version)
    response = council_client.post(
        comment_url(review_version, measure), {"text": "Kodėl tik 2016 m.?"}
    )
    thread = ReviewThread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{measure_url(review_version, measure)}#thread-{thread.pk}"
    assert (thread.level, thread.node_id, thread.node_key) == ("measure", measure.pk, measure.key)
    assert thread.comments.get().text == "Kodėl tik 2016 m.?"
    assert thread.created_by == council_user


def test_a_blank_comment_is_refused_with_a_message(review_version, council_client):
    council_client.cookies["planportal_language"] = "en"
    measure = first_measure(review_version)
    response = council_client.post(comment_url(review_version, measure), {"text": "   "})
    assert response.status_code == 400
    assert response.context["code"] == "invalid"
    assert "Write a comment first." in response.content.decode()
    assert not ReviewThread.objects.exists()


def test_a_refused_comment_keeps_what_the_user_wrote(draft_version, council_client):
    council_client.cookies["planportal_language"] = "en"
    measure = first_measure(draft_version)
    response = council_client.post(
        comment_url(draft_version, measure), {"text": "Mano ilga pastaba"}
    )
    assert response.status_code == 409
    assert response.context["code"] == "comment_not_allowed"
    page = response.content.decode()
    assert "Council members comment on versions under council review only." in page
    assert "Mano ilga pastaba" in page


def test_a_comment_on_a_node_of_another_version_is_a_404(
    review_version, approved_version, council_client
):
    other = first_measure(approved_version)
    response = council_client.post(comment_url(review_version, other), {"text": "X"})
    assert response.status_code == 404
    assert not ReviewThread.objects.exists()


def test_a_resident_cannot_post_a_comment(review_version, resident_client):
    response = resident_client.post(
        comment_url(review_version, first_measure(review_version)), {"text": "X"}
    )
    assert response.status_code == 403
    assert not ReviewThread.objects.exists()


def test_a_thread_follows_its_node_by_key_after_renumbering(draft_version, staff_user):
    measure = first_measure(draft_version)
    thread = add_thread(draft_version, staff_user)
    Measure.objects.filter(pk=measure.pk).update(position=99)
    version_renumber(draft_version)
    measure.refresh_from_db()
    [row] = review_services.version_threads(draft_version)
    assert row.thread == thread
    assert row.node.code == measure.code


# --- Who sees the threads -------------------------------------------------------------


def test_threads_are_shown_to_staff_and_council_on_the_node_page(
    review_version, staff_client, council_client, council_user
):
    measure = first_measure(review_version)
    thread = add_thread(review_version, council_user, text="Pastaba tarybai")
    for client in (staff_client, council_client):
        page = client.get(measure_url(review_version, measure)).content.decode()
        assert f'id="thread-{thread.pk}"' in page
        assert "Pastaba tarybai" in page


def test_threads_never_show_the_authors_email(review_version, staff_client, council_user):
    measure = first_measure(review_version)
    add_thread(review_version, council_user)
    page = staff_client.get(measure_url(review_version, measure)).content.decode()
    assert council_user.email not in page


def test_threads_are_hidden_from_residents_and_anonymous_readers(
    approved_version, staff_user, resident_client, client
):
    # A thread written while the version was reviewed; the version was then approved and is public.
    version = set_status(approved_version, VersionStatus.COUNCIL_REVIEW)
    measure = first_measure(version)
    add_thread(version, staff_user, text="Vidinė pastaba")
    set_status(version, VersionStatus.APPROVED)
    for reader in (resident_client, client):
        response = reader.get(measure_url(version, measure))
        assert response.status_code == 200
        assert "Vidinė pastaba" not in response.content.decode()
        assert 'id="review-heading"' not in response.content.decode()


def test_the_review_list_is_refused_to_residents(review_version, resident_client, client):
    assert resident_client.get(f"/review/versions/{review_version.pk}/").status_code == 403
    assert client.get(f"/review/versions/{review_version.pk}/").status_code == 302


def test_the_review_list_filters_open_and_resolved_threads(
    review_version, staff_user, staff_client
):
    measures = list(Measure.objects.filter(version=review_version).order_by("code")[:2])
    open_thread = add_thread(review_version, staff_user, text="Atvira pastaba", measure=measures[0])
    done = add_thread(review_version, staff_user, text="Išspręsta pastaba", measure=measures[1])
    review_services.thread_resolve(user=staff_user, thread=done)
    url = f"/review/versions/{review_version.pk}/"
    open_page = staff_client.get(url).content.decode()
    resolved_page = staff_client.get(url, {"state": "resolved"}).content.decode()
    all_page = staff_client.get(url, {"state": "all"}).content.decode()
    assert "Atvira pastaba" in open_page and "Išspręsta pastaba" not in open_page
    assert "Išspręsta pastaba" in resolved_page and "Atvira pastaba" not in resolved_page
    assert f"thread-{open_thread.pk}" in all_page and f"thread-{done.pk}" in all_page


# --- Resolving ------------------------------------------------------------------------


def test_staff_resolve_and_reopen_a_thread(review_version, council_user, staff_user, staff_client):
    thread = add_thread(review_version, council_user)
    response = staff_client.post(f"/review/threads/{thread.pk}/resolve/")
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.resolved and thread.resolved_by == staff_user and thread.resolved_at
    staff_client.post(f"/review/threads/{thread.pk}/reopen/")
    thread.refresh_from_db()
    assert not thread.resolved and thread.resolved_by is None


def test_council_members_cannot_resolve_a_thread(review_version, council_user, council_client):
    thread = add_thread(review_version, council_user)
    assert council_client.post(f"/review/threads/{thread.pk}/resolve/").status_code == 403
    with pytest.raises(PermissionDenied):
        review_services.thread_resolve(user=council_user, thread=thread)
    thread.refresh_from_db()
    assert not thread.resolved


def test_a_reply_reopens_a_resolved_thread(
    review_version, council_user, council_client, staff_user
):
    thread = add_thread(review_version, council_user)
    review_services.thread_resolve(user=staff_user, thread=thread)
    response = council_client.post(
        f"/review/threads/{thread.pk}/reply/", {"text": "Vis dar neaišku"}
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert not thread.resolved
    assert [c.text for c in thread.comments.all()] == ["Trūksta rodiklio.", "Vis dar neaišku"]


def test_threads_of_an_approved_version_cannot_be_resolved(review_version, staff_user):
    thread = add_thread(review_version, staff_user)
    set_status(review_version, VersionStatus.APPROVED)
    with pytest.raises(review_services.CommentError):
        review_services.thread_resolve(user=staff_user, thread=thread)


# --- Query counts ---------------------------------------------------------------------


def _node_page_queries(client, version, user, threads):
    measure = first_measure(version)
    for n in range(threads):
        thread = add_thread(version, user, text=f"Pastaba {n}", measure=measure)
        review_services.comment_add(user=user, version=version, thread=thread, text="Atsakymas")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(measure_url(version, measure))
    assert response.status_code == 200
    assert response.content.decode().count('class="review-comment"') == threads * 2
    return len(queries)


def test_node_page_queries_stay_constant_with_many_threads(council_client, council_user):
    small = set_status(
        build_plan_tree(factories.VersionFactory(), priorities=1), VersionStatus.COUNCIL_REVIEW
    )
    large = set_status(
        build_plan_tree(factories.VersionFactory(), priorities=5), VersionStatus.COUNCIL_REVIEW
    )
    assert _node_page_queries(council_client, small, council_user, 1) == _node_page_queries(
        council_client, large, council_user, 5
    )


def _list_page_queries(client, version, user):
    for measure in Measure.objects.filter(version=version):
        thread = add_thread(version, user, measure=measure)
        review_services.comment_add(user=user, version=version, thread=thread, text="Atsakymas")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/review/versions/{version.pk}/", {"state": "all"})
    assert response.status_code == 200
    return len(queries)


def test_review_list_queries_stay_constant_when_the_plan_grows_fivefold(staff_client, staff_user):
    small = set_status(
        build_plan_tree(factories.VersionFactory(), priorities=1), VersionStatus.COUNCIL_REVIEW
    )
    large = set_status(
        build_plan_tree(factories.VersionFactory(), priorities=5), VersionStatus.COUNCIL_REVIEW
    )
    assert _list_page_queries(staff_client, small, staff_user) == _list_page_queries(
        staff_client, large, staff_user
    )
