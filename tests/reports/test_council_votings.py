"""Council votings on a yearly report: opening, ballots, closing (passed:
approved; failed: a draft again), notices, who sees which voting, the votings
API with {"report": id}, the voting page and the council's box under the
report's summary."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from council import report_panel, selectors
from council import services as council
from council.models import Voting
from notifications.models import Notification
from reports.models import ReportEvent, ReportStatus
from reports.services import ReportStateError, report_withdraw
from tests import factories
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

DECISION_DATE = datetime.date(2021, 4, 29)


@pytest.fixture
def members(council_user):
    """Three council members: a voting passes with two votes for."""
    return [
        council_user,
        factories.UserFactory(username="member-2", role="council"),
        factories.UserFactory(username="member-3", role="council"),
    ]


@pytest.fixture
def voting(submitted_report, staff_user, members):
    return council.voting_open(user=staff_user, report=submitted_report)


@pytest.fixture
def staff_api(staff_client):
    return ApiClient(staff_client)


def vote(voting, members, *choices):
    for member, choice in zip(members, choices, strict=False):
        council.ballot_cast(user=member, voting=voting, choice=choice)


# --- Services -------------------------------------------------------------------------


def test_staff_open_a_voting_on_a_report_under_review_and_the_council_is_told(
    submitted_report, staff_user, members
):
    voting = council.voting_open(user=staff_user, report=submitted_report)
    assert (voting.report_id, voting.version_id, voting.is_open) == (
        submitted_report.pk,
        None,
        True,
    )
    assert ReportEvent.objects.filter(report=submitted_report, kind="voting_opened").exists()
    told = Notification.objects.filter(kind="voting_opened")
    assert set(told.values_list("recipient_id", flat=True)) == {m.pk for m in members}
    assert all(n.url == voting.get_absolute_url() for n in told)


def test_submitting_a_report_tells_the_council(draft_report, staff_user, members):
    from reports.services import report_submit

    report_submit(user=staff_user, report=draft_report)
    told = Notification.objects.filter(kind="report_submitted")
    assert set(told.values_list("recipient_id", flat=True)) == {m.pk for m in members}
    assert told.first().url == draft_report.get_absolute_url()


def test_a_draft_report_cannot_be_put_to_the_vote(draft_report, staff_user):
    with pytest.raises(ReportStateError) as refused:
        council.voting_open(user=staff_user, report=draft_report)
    assert (refused.value.code, refused.value.status) == ("report_state", 409)
    assert not Voting.objects.exists()
    assert not ReportEvent.objects.filter(kind="voting_opened").exists()


def test_one_voting_at_a_time_on_a_report(voting, staff_user, submitted_report):
    with pytest.raises(council.TransitionError) as refused:
        council.voting_open(user=staff_user, report=submitted_report)
    assert refused.value.code == "voting_open"
    assert Voting.objects.count() == 1


def test_a_voting_is_on_a_version_or_a_report_not_both_nor_neither(
    submitted_report, staff_user, approved_version
):
    with pytest.raises(ValidationError):
        council.voting_open(user=staff_user)
    with pytest.raises(ValidationError):
        council.voting_open(user=staff_user, report=submitted_report, version=approved_version)
    assert not Voting.objects.exists()


def test_only_staff_open_a_voting_on_a_report(submitted_report, council_user):
    with pytest.raises(PermissionDenied):
        council.voting_open(user=council_user, report=submitted_report)


def test_a_passed_voting_approves_the_report_with_its_decision(voting, members, staff_user):
    vote(voting, members, "for", "for", "against")
    closed = council.voting_close(
        user=staff_user, voting=voting, decision_number="TS-77", decision_date=DECISION_DATE
    )
    report = closed.report
    report.refresh_from_db()
    assert (closed.passed, closed.votes_for, closed.votes_against, closed.did_not_vote) == (
        True,
        2,
        1,
        0,
    )
    assert (report.status, report.decision_number, report.decision_date) == (
        ReportStatus.APPROVED,
        "TS-77",
        DECISION_DATE,
    )
    kinds = list(report.events.values_list("kind", flat=True))
    assert "approved" in kinds and "decision_recorded" in kinds
    approved = report.events.get(kind="approved")
    assert approved.data == {"voting": voting.pk}
    assert Notification.objects.filter(kind="voting_closed", recipient=staff_user).exists()


def test_a_failed_voting_sends_the_report_back_to_draft(voting, members, staff_user):
    vote(voting, members, "against", "against", "for")
    closed = council.voting_close(user=staff_user, voting=voting)
    report = closed.report
    report.refresh_from_db()
    assert closed.passed is False
    assert (report.status, report.snapshot) == (ReportStatus.DRAFT, None)
    assert report.events.filter(kind="rejected").exists()


def test_a_refused_decision_date_leaves_the_voting_open_and_the_report_under_review(
    voting, members, staff_user, submitted_report
):
    vote(voting, members, "for", "for")
    with pytest.raises(ValidationError) as refused:
        council.voting_close(
            user=staff_user,
            voting=voting,
            decision_number="TS-77",
            decision_date=datetime.date(2020, 6, 1),  # within the report's year
        )
    assert "date" in refused.value.message_dict
    voting.refresh_from_db()
    submitted_report.refresh_from_db()
    assert voting.is_open
    assert submitted_report.status == ReportStatus.COUNCIL_REVIEW


def test_closing_twice_is_refused(voting, members, staff_user):
    vote(voting, members, "for", "for")
    council.voting_close(user=staff_user, voting=voting)
    with pytest.raises(council.TransitionError) as refused:
        council.voting_close(user=staff_user, voting=voting)
    assert refused.value.code == "voting_closed"


def test_a_report_cannot_be_taken_back_while_its_voting_is_open(
    voting, staff_user, submitted_report
):
    with pytest.raises(ReportStateError):
        report_withdraw(user=staff_user, report=submitted_report, reason="Pataisyti")


def test_a_passed_voting_on_a_revision_supersedes_the_approved_report(
    approved_report, staff_user, members
):
    from reports.services import report_revise, report_submit

    draft = report_revise(user=staff_user, report=approved_report, reason="Klaida lentelėje")
    report_submit(user=staff_user, report=draft)
    voting = council.voting_open(user=staff_user, report=draft)
    vote(voting, members, "for", "for", "for")
    council.voting_close(user=staff_user, voting=voting)
    approved_report.refresh_from_db()
    draft.refresh_from_db()
    assert (approved_report.status, draft.status) == (ReportStatus.SUPERSEDED, "approved")


# --- Who sees which voting ----------------------------------------------------------------


def test_the_public_sees_closed_votings_of_approved_reports_only(
    voting, members, staff_user, resident_user
):
    assert not selectors.votings_visible_to(AnonymousUser()).exists()
    with pytest.raises(PermissionDenied):
        selectors.voting_for_user(resident_user, voting.pk)
    vote(voting, members, "for", "for")
    council.voting_close(user=staff_user, voting=voting)
    assert list(selectors.votings_visible_to(AnonymousUser())) == [voting]
    assert selectors.voting_for_user(AnonymousUser(), voting.pk) == voting


def test_the_voting_of_a_report_sent_back_stays_internal(voting, members, staff_user):
    vote(voting, members, "against", "against")
    council.voting_close(user=staff_user, voting=voting)
    assert not selectors.votings_visible_to(AnonymousUser()).exists()
    assert selectors.votings_visible_to(members[0]).get() == voting


# --- The API ------------------------------------------------------------------------------


def test_staff_open_a_voting_on_a_report_through_the_api(staff_api, submitted_report, members):
    response = staff_api.post("/api/v1/votings/", {"report": submitted_report.pk})
    assert response.status_code == 201
    body = response.json()
    assert (body["report"], body["version"], body["status"], body["result"]) == (
        submitted_report.pk,
        None,
        "open",
        None,
    )
    listed = staff_api.get(f"/api/v1/votings/?report={submitted_report.pk}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [body["id"]]


def test_the_api_refuses_a_voting_on_both_or_neither(staff_api, submitted_report, approved_version):
    both = staff_api.post(
        "/api/v1/votings/", {"report": submitted_report.pk, "version": approved_version.pk}
    )
    neither = staff_api.post("/api/v1/votings/", {})
    unknown = staff_api.post("/api/v1/votings/", {"report": 999999})
    assert (both.status_code, neither.status_code, unknown.status_code) == (400, 400, 400)
    assert "report" in both.json() and "report" in neither.json()
    assert not Voting.objects.exists()


def test_the_api_refuses_a_voting_on_a_draft_report_with_409(staff_api, draft_report):
    response = staff_api.post("/api/v1/votings/", {"report": draft_report.pk})
    assert (response.status_code, response.json()["code"]) == (409, "report_state")


def test_a_whole_report_voting_through_the_api(staff_api, submitted_report, members):
    opened = staff_api.post("/api/v1/votings/", {"report": submitted_report.pk}).json()
    for member in members[:2]:
        client = Client()
        client.force_login(member)
        ballot = ApiClient(client).post(
            f"/api/v1/votings/{opened['id']}/ballots/", {"choice": "for"}
        )
        assert ballot.status_code == 201
    closed = staff_api.post(
        f"/api/v1/votings/{opened['id']}/close/", {"number": "TS-77", "date": "2021-04-29"}
    )
    assert closed.status_code == 200
    assert closed.json()["result"]["for"] == 2
    assert closed.json()["result"]["passed"] is True
    public = ApiClient(Client()).get(f"/api/v1/votings/{opened['id']}/")
    assert (public.status_code, public.json()["report"]) == (200, submitted_report.pk)
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 401), ("resident", 403), ("council", 403)]
)
def test_only_staff_open_a_report_voting_through_the_api(
    role, expected, submitted_report, resident_client, council_client
):
    client = {"anonymous": Client(), "resident": resident_client, "council": council_client}[role]
    response = ApiClient(client).post("/api/v1/votings/", {"report": submitted_report.pk})
    assert response.status_code == expected
    assert not Voting.objects.exists()


# --- Pages --------------------------------------------------------------------------------


def test_staff_open_a_report_voting_from_the_council_page(
    staff_client, council_client, submitted_report, members
):
    page = council_client.get(reverse("council:dashboard")).content.decode()
    assert f'id="report-review-{submitted_report.pk}"' in page
    url = reverse("council:report-voting-open", args=[submitted_report.pk])
    assert council_client.post(url).status_code == 403
    response = staff_client.post(url)
    voting = Voting.objects.get(report=submitted_report)
    assert response.status_code == 302 and response["Location"] == voting.get_absolute_url()
    again = staff_client.post(url)
    assert again.status_code == 409


def test_a_past_deadline_is_refused_on_the_page(staff_client, submitted_report):
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("council:report-voting-open", args=[submitted_report.pk])
    assert staff_client.post(url, {"deadline": past}).status_code == 400
    assert not Voting.objects.exists()


def test_the_voting_page_of_a_report_takes_ballots_and_closes(
    staff_client, council_client, voting, members, submitted_report
):
    page = council_client.get(voting.get_absolute_url())
    assert page.status_code == 200
    assert 'id="read-report"' in page.content.decode()
    response = council_client.post(reverse("council:ballot", args=[voting.pk]), {"choice": "for"})
    assert response.status_code == 302
    council.ballot_cast(user=members[1], voting=voting, choice="for")
    close = reverse("council:voting-close", args=[voting.pk])
    closed = staff_client.post(close, {"confirm": "yes"})
    assert closed.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED
    result = staff_client.get(voting.get_absolute_url()).content.decode()
    assert "voting-passed" in result


def test_a_bad_decision_on_closing_a_report_voting_is_shown_on_the_page(
    staff_client, voting, members, submitted_report
):
    vote(voting, members, "for", "for")
    response = staff_client.post(
        reverse("council:voting-close", args=[voting.pk]),
        {"confirm": "yes", "number": "TS-1", "date": "2020-05-05"},
    )
    assert response.status_code == 400
    assert 'id="id_date_error"' in response.content.decode()
    voting.refresh_from_db()
    assert voting.is_open


# --- The council's box under the report's summary -------------------------------------------


def panel(user, report, section="summary"):
    request = RequestFactory().get(report.get_absolute_url())
    request.user = user
    return report_panel.render(request, report, section)


def test_staff_get_the_open_voting_form_under_the_summary_only(submitted_report, staff_user):
    html = panel(staff_user, submitted_report)
    assert 'id="report-voting-open-form"' in html
    assert reverse("council:report-voting-open", args=[submitted_report.pk]) in html
    assert panel(staff_user, submitted_report, section="priority:x") == ""


def test_council_members_get_the_ballot_in_the_box(voting, submitted_report, members):
    html = panel(members[0], submitted_report)
    assert reverse("council:ballot", args=[voting.pk]) in html
    assert 'id="report-ballot-choice_0"' in html
    assert 'id="report-voting-open-form"' not in html
    council.ballot_cast(user=members[0], voting=voting, choice="abstain")
    assert 'id="report-my-ballot"' in panel(members[0], submitted_report)


def test_the_public_reads_the_result_of_an_approved_reports_voting(
    voting, members, staff_user, submitted_report, resident_user
):
    vote(voting, members, "for", "for")
    council.voting_close(
        user=staff_user, voting=voting, decision_number="TS-77", decision_date=DECISION_DATE
    )
    submitted_report.refresh_from_db()
    for reader in (AnonymousUser(), resident_user):
        html = panel(reader, submitted_report)
        assert f'id="report-voting-{voting.pk}"' in html
        assert 'id="report-decision"' in html
        assert "council:ballot" not in html and "<form" not in html


def test_the_public_gets_nothing_for_a_report_not_approved(submitted_report, resident_user):
    assert panel(resident_user, submitted_report) == ""


def test_the_deadline_reminder_covers_report_votings(submitted_report, staff_user, members):
    import io

    from django.core.management import call_command

    voting = council.voting_open(
        user=staff_user,
        report=submitted_report,
        deadline=timezone.now() + datetime.timedelta(hours=2),
    )
    council.ballot_cast(user=members[0], voting=voting, choice="for")
    call_command("send_deadline_reminders", stdout=io.StringIO())
    reminded = Notification.objects.filter(kind="voting_deadline_near")
    assert set(reminded.values_list("recipient_id", flat=True)) == {m.pk for m in members[1:]}
    assert all("2020" in n.subject for n in reminded)
