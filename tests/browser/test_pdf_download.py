"""A reader downloads the plan as a PDF from the version's page. The worker
renders it (``manage.py worker``), never the web request: the first reader
of a version not rendered yet sees a page saying the document is being
prepared, which offers the download once the worker has rendered it."""

import pytest
from playwright.sync_api import expect

from documents.services import document_prerender
from plans.models import VersionStatus
from tests.browser.conftest import assert_no_axe_violations
from tests.documents.pdf_helpers import lithuanian_version, pdf_text, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_being_prepared_page_is_accessible_and_offers_the_download_when_ready(page, tmp_path):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    page.goto(version.get_absolute_url())
    button = page.locator(f'a[href="/versions/{version.pk}/pdf/"]')
    expect(button).to_be_visible()
    button.click()
    status = page.get_by_role("status")
    expect(status).to_be_visible()
    assert_no_axe_violations(page, "PDF being prepared")

    # The worker renders it; the page notices on its next check.
    run_worker()
    link = status.locator(f'a.button[href="/versions/{version.pk}/pdf/"]')
    expect(link).to_be_visible(timeout=20_000)
    assert_no_axe_violations(page, "PDF ready")
    with page.expect_download(timeout=30_000) as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert "planas" in download.suggested_filename
    saved = tmp_path / "plan.pdf"
    download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "A.1.1.1" in pdf_text(pdf)


def test_a_version_rendered_beforehand_downloads_at_once(page):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    # What approval queues (documents/apps.py), run by the worker.
    document_prerender(version_id=version.pk)
    run_worker()
    page.goto(version.get_absolute_url())
    with page.expect_download(timeout=30_000) as info:
        page.locator(f'a[href="/versions/{version.pk}/pdf/"]').click()
    assert info.value.suggested_filename.endswith(".pdf")
