"""No web request renders a report's PDF: the worker does, queued by a request
or by submitting and approving the report; the page and the API answer 202
with Retry-After until the file is stored, then 200 with it."""

import datetime
from unittest import mock

import pytest
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from documents.models import DocumentStatus
from reports import pdf, services
from reports.models import Report, ReportDocument
from tests.documents.pdf_helpers import flat_text, pdf_pages, queued_jobs, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def no_render_in_requests():
    """WeasyPrint fails the test if anything but the worker calls it."""
    real = pdf.render_pdf
    state = {"worker": False, "renders": 0}

    def guarded(html, **kwargs):
        assert state["worker"], "a web request ran WeasyPrint"
        state["renders"] += 1
        return real(html, **kwargs)

    def worker():
        state["worker"] = True
        try:
            run_worker()
        finally:
            state["worker"] = False

    with mock.patch.object(pdf, "render_pdf", guarded):
        yield {"run_worker": worker, "state": state}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_submitting_queues_the_pdf_in_every_language_and_the_worker_renders_it(
    draft_report, staff_user, staff_client, no_render_in_requests
):
    assert queued_jobs() == []
    services.report_submit(user=staff_user, report=draft_report)
    assert queued_jobs() == [("prerender_report", [draft_report.pk])]
    no_render_in_requests["run_worker"]()
    assert queued_jobs() == []
    documents = ReportDocument.objects.filter(report=draft_report)
    assert sorted(documents.values_list("language", "variant", "status")) == [
        ("en", "ua", "ready"),
        ("lt", "ua", "ready"),
    ]
    response = staff_client.get(f"/api/v1/reports/{draft_report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-cache"
    assert "15" in flat_text(body(response))


def test_approving_queues_the_pdf_again_and_the_archival_copy(
    submitted_report, staff_user, client, no_render_in_requests
):
    no_render_in_requests["run_worker"]()
    services.report_approve(
        user=staff_user,
        report=submitted_report,
        decision_number="TS-12",
        decision_date=datetime.date(2021, 4, 29),
    )
    assert queued_jobs() == [("prerender_report", [submitted_report.pk])]
    no_render_in_requests["run_worker"]()
    documents = ReportDocument.objects.filter(report=submitted_report)
    assert sorted(documents.values_list("language", "variant", "report_status")) == [
        ("en", "ua", "approved"),
        ("lt", "pdfa", "approved"),
        ("lt", "ua", "approved"),
    ]
    # The public downloads the approved report's PDF, with the decision on it.
    response = client.get(f"/reports/{submitted_report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    title_page = " ".join(pdf_pages(body(response))[0].split())
    assert "TS-12" in title_page


def test_the_api_answers_202_with_retry_after_then_200(
    approved_report, client, no_render_in_requests
):
    # Nothing asked for yet: approval's prerender job is dropped, not run.
    DBTaskResult.objects.all().delete()
    url = f"/api/v1/reports/{approved_report.pk}/pdf/"
    with mock.patch.object(pdf, "report_html", wraps=pdf.report_html) as html:
        responses = [client.get(url) for _ in range(5)]
    assert {r.status_code for r in responses} == {202}
    # An approved report's request knows its state: no request builds the HTML.
    assert html.call_count == 0
    response = responses[0]
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["status"] == "pending"
    assert queued_jobs() == [("render_report_document", [ReportDocument.objects.get().pk])]
    no_render_in_requests["run_worker"]()
    response = client.get(url)
    assert response.status_code == 200
    assert no_render_in_requests["state"]["renders"] == 1


def test_a_client_that_accepts_only_pdf_is_told_in_json_to_come_back(approved_report, client):
    url = f"/api/v1/reports/{approved_report.pk}/pdf/?variant=pdfa"
    response = client.get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 202
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_variant_is_400_in_the_api_and_the_browser(approved_report, client):
    assert client.get(f"/api/v1/reports/{approved_report.pk}/pdf/?variant=x").status_code == 400
    response = client.get(f"/reports/{approved_report.pk}/pdf/?variant=x")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_browser_page_says_being_prepared_and_htmx_asks_again(approved_report, client):
    url = f"/reports/{approved_report.pk}/pdf/"
    response = client.get(url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    assert 'role="status"' in response.content.decode()
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 202
    assert 'hx-get="' in response.content.decode()


def test_a_draft_is_hidden_from_everyone_but_staff(draft_report, client, council_client):
    for reader in (client, council_client):
        assert reader.get(f"/reports/{draft_report.pk}/pdf/").status_code == 404
        assert reader.get(f"/api/v1/reports/{draft_report.pk}/pdf/").status_code == 404
    assert not ReportDocument.objects.exists()


def test_a_drafts_pdf_follows_its_narrative(draft_report, staff_user, staff_client):
    url = f"/api/v1/reports/{draft_report.pk}/pdf/"
    assert staff_client.get(url).status_code == 202
    run_worker()
    assert staff_client.get(url).status_code == 200
    services.narrative_save(
        user=staff_user, report=draft_report, section="summary", text="Naujas tekstas apie ūkį."
    )
    assert staff_client.get(url).status_code == 202
    run_worker()
    response = staff_client.get(url)
    assert response.status_code == 200
    assert "Naujas tekstas apie ūkį." in flat_text(body(response))
    # The older rendering is gone with its file.
    assert ReportDocument.objects.filter(report=draft_report).count() == 1


def test_a_corrected_decision_renders_the_title_page_again(approved_report, staff_user, client):
    run_worker()
    url = f"/reports/{approved_report.pk}/pdf/"
    assert client.get(url).status_code == 200
    services.report_record_decision(
        user=staff_user,
        report=approved_report,
        decision_number="TS-13",
        decision_date=datetime.date(2021, 4, 30),
        reason="Klaida numeryje",
    )
    assert ("prerender_report", [approved_report.pk]) in queued_jobs()
    run_worker()
    response = client.get(url)
    assert response.status_code == 200
    title_page = " ".join(pdf_pages(body(response))[0].split())
    assert "TS-13" in title_page and "TS-12" not in title_page


def test_a_job_for_a_state_the_report_left_stores_nothing(submitted_report, staff_user):
    services.report_withdraw(user=staff_user, report=submitted_report, reason="Pataisyti")
    run_worker()
    assert not ReportDocument.objects.filter(status=DocumentStatus.READY).exists()
    report = Report.objects.get(pk=submitted_report.pk)
    with translation.override("lt"):
        document = pdf.document_request(report=report, variant="ua")
    assert document.status == DocumentStatus.PENDING


def test_a_failed_rendering_is_kept_failed_and_asked_again_after_a_pause(approved_report, client):
    DBTaskResult.objects.all().delete()
    url = f"/api/v1/reports/{approved_report.pk}/pdf/"
    assert client.get(url).status_code == 202
    with mock.patch.object(pdf, "render_pdf", side_effect=RuntimeError("boom")):
        run_worker()
    document = ReportDocument.objects.get()
    assert document.status == DocumentStatus.FAILED and "boom" in document.error
    assert client.get(url).json()["status"] == "failed"
    assert queued_jobs() == []
