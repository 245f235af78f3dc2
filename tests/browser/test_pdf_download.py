"""A reader downloads the plan as a PDF from the version's page; with a
worker configured, the page in between says the document is being prepared
and offers the download once the worker has rendered it."""

import uuid

import pytest
from playwright.sync_api import expect
from rq import SimpleWorker

from documents import tasks
from plans.models import VersionStatus
from tests.browser.conftest import assert_no_axe_violations
from tests.documents.pdf_helpers import lithuanian_version, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_button_on_the_version_page_downloads_the_pdf(page, tmp_path):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    page.goto(version.get_absolute_url())
    button = page.locator(f'a[href="/versions/{version.pk}/pdf/"]')
    expect(button).to_be_visible()
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert "planas" in download.suggested_filename
    saved = tmp_path / "plan.pdf"
    download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "A.1.1.1" in pdf_text(pdf)


def test_the_being_prepared_page_is_accessible_and_offers_the_download_when_ready(page, settings):
    settings.PDF_WORKER = "rq"
    settings.PDF_REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.PDF_QUEUE = f"planportal-pdf-test-{uuid.uuid4().hex}"
    queue = tasks.pdf_queue()
    try:
        version = lithuanian_version(status=VersionStatus.APPROVED)
        response = page.goto(f"/versions/{version.pk}/pdf/")
        assert response.status == 202
        status = page.get_by_role("status")
        expect(status).to_be_visible()
        assert queue.count == 1
        assert_no_axe_violations(page, "PDF being prepared")

        # The worker renders it; the page notices on its next check.
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        link = status.locator(f'a.button[href="/versions/{version.pk}/pdf/"]')
        expect(link).to_be_visible(timeout=20_000)
        assert_no_axe_violations(page, "PDF ready")
        with page.expect_download(timeout=30_000) as info:
            link.click()
        assert info.value.suggested_filename.endswith(".pdf")
    finally:
        queue.delete(delete_jobs=True)
