"""A council decision is recorded once, within the dates that make sense, and
corrected only with a reason that the history keeps; the stored PDFs follow."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from council import services as council_services
from council.models import VersionEvent
from documents import services as documents
from documents.models import PlanDocument
from plans.models import PlanVersion, VersionStatus
from tests import factories
from tests.api.conftest import ApiClient
from tests.documents.pdf_helpers import queued_jobs, run_worker

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff_api(staff_client):
    return ApiClient(staff_client)


@pytest.fixture
def voted(staff_user, approved_version):
    """Version 2, approved today by the council's voting (without a decision yet)."""
    version = factories.VersionFactory(
        plan=approved_version.plan, number=2, status=VersionStatus.COUNCIL_REVIEW
    )
    member = factories.UserFactory(username="decision-member", role="council")
    voting = council_services.voting_open(user=staff_user, version=version)
    council_services.ballot_cast(user=member, voting=voting, choice="for")
    council_services.voting_close(user=staff_user, voting=voting)
    version.refresh_from_db()
    assert version.status == VersionStatus.APPROVED
    return version


def decision_of(version):
    version.refresh_from_db()
    return version.decision_number, version.decision_date


# --- Recorded once --------------------------------------------------------------


def test_a_second_decision_is_refused_with_409_and_the_first_stays(staff_api, voted):
    url = f"/api/v1/versions/{voted.pk}/decision/"
    first = staff_api.post(url, {"number": "TS-402", "date": TODAY().isoformat()})
    assert first.status_code == 200

    again = staff_api.post(url, {"number": "TS-200", "date": TODAY().isoformat()})

    assert again.status_code == 409
    assert again.json()["code"] == "decision_recorded"
    assert "TS-402" in again.json()["detail"]
    assert decision_of(voted) == ("TS-402", TODAY())
    assert not VersionEvent.objects.filter(kind=VersionEvent.Kind.DECISION_CORRECTED).exists()


def test_a_correction_needs_a_reason_and_is_kept_with_the_old_and_new_values(
    staff_api, staff_user, voted
):
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    url = f"/api/v1/versions/{voted.pk}/decision/"
    blank = staff_api.post(url, {"number": "TS-403", "date": TODAY().isoformat(), "reason": " "})
    assert (blank.status_code, blank.json()["code"]) == (409, "decision_recorded")

    response = staff_api.post(
        url,
        {"number": "TS-403", "date": TODAY().isoformat(), "reason": "Klaida sprendimo numeryje"},
    )

    assert response.status_code == 200
    assert response.json()["decision_number"] == "TS-403"
    event = VersionEvent.objects.get(version=voted, kind=VersionEvent.Kind.DECISION_CORRECTED)
    assert event.user == staff_user and event.reason == "Klaida sprendimo numeryje"
    assert event.data == {
        "old": {"number": "TS-402", "date": TODAY().isoformat()},
        "new": {"number": "TS-403", "date": TODAY().isoformat()},
    }
    # Everyone who sees the decision sees that it was corrected, from what and why.
    page = Client(headers={"cookie": "planportal_language=en"})
    history = page.get(reverse("council:history", args=[voted.plan_id])).content.decode()
    assert "Council decision corrected" in history
    assert "No. TS-402 of" in history and "TS-403" in history
    assert "Klaida sprendimo numeryje" in history


def test_a_correction_that_changes_nothing_is_refused(staff_user, voted):
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    with pytest.raises(council_services.ValidationError) as error:
        council_services.version_record_decision(
            user=staff_user, version=voted, number="TS-402", date=TODAY(), reason="Tas pats"
        )
    assert "number" in error.value.message_dict
    assert VersionEvent.objects.filter(kind=VersionEvent.Kind.DECISION_CORRECTED).count() == 0


# --- What a decision may say ----------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "field"),
    [("0", "number"), ("000", "number"), ("-", "number"), ("TS--", "number"), ("  ", "number")],
)
def test_a_trivial_number_is_refused_with_a_message(staff_api, voted, number, field):
    response = staff_api.post(
        f"/api/v1/versions/{voted.pk}/decision/", {"number": number, "date": TODAY().isoformat()}
    )
    assert response.status_code == 400
    assert field in response.json()
    assert decision_of(voted) == ("", None)


@pytest.mark.parametrize("number", ["TS-402", "T-12/3", "1-45", "TS 7"])
def test_numbers_as_councils_give_them_are_accepted(staff_user, voted, number):
    council_services.version_record_decision(
        user=staff_user, version=voted, number=number, date=TODAY()
    )
    assert decision_of(voted) == (number, TODAY())


def test_a_decision_dated_before_its_voting_is_refused(staff_api, voted):
    response = staff_api.post(
        f"/api/v1/versions/{voted.pk}/decision/",
        {"number": "TS-402", "date": (TODAY() - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400
    assert "before the council's voting" in response.json()["date"][0]
    assert decision_of(voted) == ("", None)


def test_the_generated_request_of_the_issue_is_refused_on_a_version_approved_without_a_voting(
    staff_api, approved_version
):
    # Version 1 of a 2013–2020 plan, approved from the archive (no voting in
    # the portal), as the demo's: "0" of 2000-01-01 was accepted.
    response = staff_api.post(
        f"/api/v1/versions/{approved_version.pk}/decision/", {"number": "0", "date": "2000-01-01"}
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) >= {"number", "date"} and body["code"] == "invalid"
    assert "2010-01-01" in body["date"][0]
    assert decision_of(approved_version) == ("", None)
    ok = staff_api.post(
        f"/api/v1/versions/{approved_version.pk}/decision/",
        {"number": "TS-12", "date": "2012-12-20"},
    )
    assert ok.status_code == 200


def test_a_decision_in_the_future_is_refused_when_closing_and_the_voting_stays_open(
    staff_api, staff_user, approved_version
):
    version = factories.VersionFactory(
        plan=approved_version.plan, number=2, status=VersionStatus.COUNCIL_REVIEW
    )
    member = factories.UserFactory(username="close-member", role="council")
    voting = council_services.voting_open(user=staff_user, version=version)
    council_services.ballot_cast(user=member, voting=voting, choice="for")
    response = staff_api.post(
        f"/api/v1/votings/{voting.pk}/close/",
        {"number": "TS-9", "date": (TODAY() + datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400 and "date" in response.json()
    voting.refresh_from_db()
    version.refresh_from_db()
    assert voting.is_open and version.status == VersionStatus.COUNCIL_REVIEW


# --- In the browser --------------------------------------------------------------------


def test_the_decision_page_corrects_a_recorded_decision_only_with_a_reason(
    staff_client, staff_user, voted
):
    staff_client.cookies["planportal_language"] = "en"
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    url = reverse("council:decision", args=[voted.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert "Correct the council decision" in page.content.decode()

    refused = staff_client.post(url, {"number": "TS-200", "date": TODAY().isoformat()})
    assert refused.status_code == 400
    assert 'value="TS-200"' in refused.content.decode()
    assert decision_of(voted) == ("TS-402", TODAY())

    done = staff_client.post(
        url, {"number": "TS-200", "date": TODAY().isoformat(), "reason": "Perrašyta klaidingai"}
    )
    assert done.status_code == 302
    assert decision_of(voted) == ("TS-200", TODAY())


def test_the_decision_page_refuses_a_date_long_before_the_plan_with_400(
    staff_client, approved_version
):
    response = staff_client.post(
        reverse("council:decision", args=[approved_version.pk]),
        {"number": "TS-1", "date": "2000-01-01"},
    )
    assert response.status_code == 400
    assert decision_of(approved_version) == ("", None)


# --- The stored PDFs -----------------------------------------------------------------


@pytest.fixture
def html_as_pdf(settings, tmp_path):
    """The store without WeasyPrint: the "PDF" is the HTML it would render."""
    settings.MEDIA_ROOT = tmp_path
    with mock.patch.object(
        documents, "render_pdf", side_effect=lambda html, variant="ua": html.encode()
    ) as render:
        yield render


def stored_title_page(client, version) -> str:
    """The title page of the PDF a reader downloads, the worker having rendered what was asked."""
    response = client.get(f"/versions/{version.pk}/pdf/")
    if response.status_code == 202:
        run_worker()
        response = client.get(f"/versions/{version.pk}/pdf/")
    assert response.status_code == 200
    html = b"".join(response.streaming_content).decode()
    return html.split('<nav class="toc"')[0]


def test_a_correction_renders_the_stored_pdf_again_with_the_new_decision(
    html_as_pdf, staff_user, voted, django_capture_on_commit_callbacks
):
    reader = Client()
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    assert "TS-402" in stored_title_page(reader, voted)
    lithuanian = PlanDocument.objects.filter(version=voted, language="lt")
    assert lithuanian.count() == 1
    renders = html_as_pdf.call_count

    with django_capture_on_commit_callbacks(execute=True):
        council_services.version_record_decision(
            user=staff_user, version=voted, number="TS-200", date=TODAY(), reason="Klaida"
        )
    title = stored_title_page(reader, voted)

    assert "TS-200" in title and "TS-402" not in title
    assert html_as_pdf.call_count > renders
    assert lithuanian.count() == 1


def test_a_decision_recorded_after_the_pdf_was_stored_reaches_its_title_page(
    html_as_pdf, staff_user, voted, django_capture_on_commit_callbacks
):
    reader = Client()
    assert "TS-402" not in stored_title_page(reader, voted)
    with django_capture_on_commit_callbacks(execute=True):
        council_services.version_record_decision(
            user=staff_user, version=voted, number="TS-402", date=TODAY()
        )
    assert "TS-402" in stored_title_page(reader, voted)


def test_the_title_page_of_an_approved_version_carries_the_decisions_number_and_date(
    staff_user, voted
):
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    version = PlanVersion.objects.select_related("plan").get(pk=voted.pk)
    with translation.override("lt"):
        title = documents.document_html(version).split('<nav class="toc"')[0]
        date = date_format(TODAY(), "DATE_FORMAT")
    assert "PATVIRTINTA" in title
    assert "TS-402" in title and date in title


def test_the_stored_documents_are_queued_again_at_once(
    staff_user, voted, django_capture_on_commit_callbacks
):
    council_services.version_record_decision(
        user=staff_user, version=voted, number="TS-402", date=TODAY()
    )
    for language, variant in [("lt", "ua"), ("en", "ua"), ("lt", "pdfa")]:
        PlanDocument.objects.create(
            version=voted,
            language=language,
            variant=variant,
            version_status=voted.status,
            content_hash=f"old-{language}-{variant}",
            status="ready",
        )
    before = len(queued_jobs())
    with django_capture_on_commit_callbacks(execute=True):
        council_services.version_record_decision(
            user=staff_user, version=voted, number="TS-403", date=TODAY(), reason="Klaida"
        )
    assert not PlanDocument.objects.filter(content_hash__startswith="old-").exists()
    assert len(queued_jobs()) - before == 3
    queued = {(d.language, d.variant) for d in PlanDocument.objects.filter(version=voted)}
    assert queued == {("lt", "ua"), ("en", "ua"), ("lt", "pdfa")}
