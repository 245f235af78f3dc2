"""Review threads on the sections of a yearly report: who may comment where,
resolving, the browser forms, and the panel under each section (its queries
do not grow with the number of sections)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.services import report_approve
from reports.snapshot import section_names
from review import services as review
from review import views as review_views
from review.models import ReviewComment, ReviewThread
from tests import factories

pytestmark = pytest.mark.django_db


def add_thread(report, user, section="summary", text="Kodėl vėluoja?"):
    return review.report_comment_add(user=user, report=report, section=section, text=text).thread


@pytest.mark.parametrize(
    ("fixture", "role", "allowed"),
    [
        ("submitted_report", "council", True),
        ("submitted_report", "staff", True),
        ("draft_report", "staff", True),
        ("draft_report", "council", False),
        ("approved_report", "staff", False),
        ("approved_report", "council", False),
    ],
)
def test_who_may_comment_on_a_report_depends_on_role_and_state(request, fixture, role, allowed):
    report = request.getfixturevalue(fixture)
    user = factories.UserFactory(role=role)
    if allowed:
        thread = add_thread(report, user)
        assert (thread.report_id, thread.section, thread.version_id) == (
            report.pk,
            "summary",
            report.version_id,
        )
        assert (thread.level, thread.node_id, thread.node_key) == ("", None, None)
        assert thread.comments.get().author == user
    else:
        with pytest.raises(review.CommentError) as refused:
            add_thread(report, user)
        assert refused.value.code == "comment_not_allowed"
        assert not ReviewThread.objects.exists()


def test_residents_cannot_comment_on_a_report(submitted_report, resident_user):
    with pytest.raises(PermissionDenied):
        add_thread(submitted_report, resident_user)


def test_a_thread_is_on_a_section_the_report_has(submitted_report, council_user):
    sections = section_names(submitted_report.snapshot)
    goal = next(name for name in sections if name.startswith("goal:"))
    assert add_thread(submitted_report, council_user, section=goal).section == goal
    for wrong in ("goal:not-a-key", "", "priority:"):
        with pytest.raises(ValidationError):
            add_thread(submitted_report, council_user, section=wrong)
    assert ReviewThread.objects.count() == 1


def test_a_draft_reports_sections_are_those_its_snapshot_will_have(draft_report, staff_user):
    from reports.services import report_submit

    live = review.report_section_names(draft_report)
    frozen = section_names(report_submit(user=staff_user, report=draft_report).snapshot)
    # Other parts' sections come last; a draft lists every part that might write one.
    assert live[: len(frozen)] == frozen or set(frozen) <= set(live)
    assert [n for n in live if ":" in n] == [n for n in frozen if ":" in n]


def test_a_blank_comment_is_refused(submitted_report, council_user):
    with pytest.raises(ValidationError):
        add_thread(submitted_report, council_user, text="   ")
    assert not ReviewThread.objects.exists()


def test_staff_resolve_a_report_thread_and_a_reply_reopens_it(
    submitted_report, council_user, staff_user
):
    thread = add_thread(submitted_report, council_user)
    assert review.thread_resolve(user=staff_user, thread=thread).resolved
    review.report_comment_add(
        user=council_user, report=submitted_report, thread=thread, text="Vis dėlto?"
    )
    thread.refresh_from_db()
    assert not thread.resolved and thread.comments.count() == 2
    with pytest.raises(PermissionDenied):
        review.thread_resolve(user=council_user, thread=thread)


def test_an_approved_reports_threads_are_a_record(submitted_report, council_user, staff_user):
    thread = add_thread(submitted_report, council_user)
    report_approve(
        user=staff_user,
        report=submitted_report,
        decision_number="TS-5",
        decision_date=datetime.date(2021, 3, 3),
    )
    with pytest.raises(review.CommentError):
        review.thread_resolve(user=staff_user, thread=thread)
    with pytest.raises(review.CommentError):
        review.report_comment_add(
            user=staff_user, report=submitted_report, thread=thread, text="Per vėlu"
        )
    assert ReviewComment.objects.count() == 1


def test_a_reply_names_a_thread_of_the_same_report(submitted_report, council_user):
    from django.http import Http404

    from plans.models import Measure

    measure = Measure.objects.filter(version=submitted_report.version).first()
    node_thread = ReviewThread.objects.create(
        version=submitted_report.version, level="measure", node_id=measure.pk, node_key=measure.key
    )
    with pytest.raises(Http404):
        review.report_comment_add(
            user=council_user, report=submitted_report, thread=node_thread, text="?"
        )
    assert not ReviewComment.objects.exists()


def test_version_pages_do_not_list_report_threads(submitted_report, council_user):
    add_thread(submitted_report, council_user)
    assert review.version_threads(submitted_report.version) == []


# --- The browser ------------------------------------------------------------------------


def test_a_council_member_comments_on_a_section_from_the_report_page(
    council_client, submitted_report
):
    url = reverse("review:report-comment-add", args=[submitted_report.pk])
    response = council_client.post(url, {"section": "summary", "text": "Trūksta paaiškinimo."})
    thread = ReviewThread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{submitted_report.get_absolute_url()}#thread-{thread.pk}"
    reply = council_client.post(
        reverse("review:thread-reply", args=[thread.pk]), {"text": "Ir dar."}
    )
    assert reply.status_code == 302
    assert thread.comments.count() == 2


def test_refused_comments_on_a_report_keep_the_text(council_client, submitted_report):
    url = reverse("review:report-comment-add", args=[submitted_report.pk])
    response = council_client.post(url, {"section": "nope", "text": "Mano tekstas"})
    assert response.status_code == 400
    assert "Mano tekstas" in response.content.decode()
    assert not ReviewThread.objects.exists()


def test_a_draft_report_is_not_found_for_the_council(council_client, draft_report):
    url = reverse("review:report-comment-add", args=[draft_report.pk])
    assert council_client.post(url, {"section": "summary", "text": "?"}).status_code == 404


def test_residents_and_visitors_cannot_comment_on_a_report(resident_client, approved_report):
    url = reverse("review:report-comment-add", args=[approved_report.pk])
    assert resident_client.post(url, {"section": "summary", "text": "?"}).status_code == 403
    anonymous = Client().post(url, {"section": "summary", "text": "?"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert not ReviewThread.objects.exists()


def test_staff_resolve_a_report_thread_in_the_browser(staff_client, submitted_report, council_user):
    thread = add_thread(submitted_report, council_user)
    response = staff_client.post(reverse("review:thread-resolve", args=[thread.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.resolved


# --- The panel under each section -------------------------------------------------------


def panel(user, report, section, request=None):
    request = request or RequestFactory().get(report.get_absolute_url())
    request.user = user
    return review_views.report_panel(request, report, section), request


def test_the_panel_shows_a_sections_threads_and_the_form(submitted_report, council_user):
    thread = add_thread(submitted_report, council_user, text="Apie santrauką")
    html, _request = panel(council_user, submitted_report, "summary")
    assert f'id="thread-{thread.pk}"' in html
    assert "Apie santrauką" in html
    assert reverse("review:report-comment-add", args=[submitted_report.pk]) in html
    assert 'name="section" value="summary"' in html
    goal = next(n for n in section_names(submitted_report.snapshot) if n.startswith("goal:"))
    other, _request = panel(council_user, submitted_report, goal)
    assert f'id="thread-{thread.pk}"' not in other
    assert f'id="new-comment-{goal.replace(":", "-")}"' in other


def test_the_panel_is_for_staff_and_council_only(approved_report, resident_user):
    assert panel(resident_user, approved_report, "summary")[0] == ""
    assert panel(AnonymousUser(), approved_report, "summary")[0] == ""


def test_an_approved_reports_panel_is_read_only(submitted_report, council_user, staff_user):
    thread = add_thread(submitted_report, council_user)
    report_approve(
        user=staff_user,
        report=submitted_report,
        decision_number="TS-5",
        decision_date=datetime.date(2021, 3, 3),
    )
    submitted_report.refresh_from_db()
    html, _request = panel(staff_user, submitted_report, "summary")
    assert f'id="thread-{thread.pk}"' in html
    assert "<form" not in html
    assert panel(staff_user, submitted_report, "priority:x")[0] == ""


def test_the_panels_read_the_threads_once_per_page(submitted_report, council_user):
    sections = section_names(submitted_report.snapshot)
    for section in sections:
        add_thread(submitted_report, council_user, section=section)
    request = RequestFactory().get(submitted_report.get_absolute_url())
    request.user = council_user
    with CaptureQueriesContext(connection) as queries:
        for section in sections:
            panel(council_user, submitted_report, section, request=request)
    assert len(sections) > 3
    assert len(queries) <= 3, [q["sql"] for q in queries]
