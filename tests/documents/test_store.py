"""The PDF store: rendered once for an approved version, again for a draft
only when its content changed; the browser download and its file name. The
worker renders (tests/documents/test_worker.py says no request does)."""

from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from documents import services as documents
from documents.models import DocumentStatus, PlanDocument
from plans.models import Measure, VersionStatus
from plans.services import node_update

from .pdf_helpers import lithuanian_version, pdf_pages, pdf_reader, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def renders():
    """Counts WeasyPrint renderings and HTML builds, letting them run."""
    with (
        mock.patch.object(documents, "render_pdf", wraps=documents.render_pdf) as render_pdf,
        mock.patch.object(documents, "document_html", wraps=documents.document_html) as html,
    ):
        yield {"pdf": render_pdf, "html": html}


def download(client, version, **params):
    """The PDF as a reader gets it: asked for, rendered by the worker if need be, asked again."""
    response = client.get(f"/versions/{version.pk}/pdf/", params)
    if response.status_code == 202:
        run_worker()
        response = client.get(f"/versions/{version.pk}/pdf/", params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content), response


def test_an_approved_versions_pdf_is_rendered_once_and_then_served_from_the_store(client, renders):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    first, _ = download(client, version)
    second, response = download(client, version)

    assert first == second and first.startswith(b"%PDF-")
    assert renders["pdf"].call_count == 1
    # Only the worker built the HTML; the requests did not: the first queued
    # the job, the second was answered by the stored file.
    assert renders["html"].call_count == 1
    stored = PlanDocument.objects.get(version=version)
    assert stored.status == DocumentStatus.READY
    assert stored.size == len(first) and stored.rendered_at is not None
    assert default_storage.exists(stored.file.name)
    assert response["Cache-Control"].startswith("public")


def test_a_drafts_pdf_is_rendered_again_only_when_its_content_changed(
    staff_client, staff_user, renders, django_capture_on_commit_callbacks
):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    download(staff_client, draft)
    download(staff_client, draft)
    assert renders["pdf"].call_count == 1

    measure = Measure.objects.filter(version=draft).order_by("id").last()
    node_update(user=staff_user, node=measure, title="Įrengti saulės elektrinę mokyklos stogą")
    with django_capture_on_commit_callbacks(execute=True):
        changed, response = download(staff_client, draft)
    assert renders["pdf"].call_count == 2
    assert "Įrengti saulės elektrinę mokyklos stogą" in " ".join(
        " ".join(pdf_pages(changed)).split()
    )
    assert response["Cache-Control"].startswith("private")
    # The stale rendering and its file are gone: one document per draft and variant.
    documents = PlanDocument.objects.filter(version=draft)
    assert documents.count() == 1
    assert default_storage.listdir("plans/pdf")[1] == [documents.get().file.name.split("/")[-1]]


def test_a_superseded_version_does_not_reuse_the_document_made_while_it_was_in_force(
    client, renders, django_capture_on_commit_callbacks
):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    download(client, version)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.SUPERSEDED)
    version.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        body, _ = download(client, version)
    assert renders["pdf"].call_count == 2
    with translation.override("lt"):
        mark = translation.gettext("SUPERSEDED")
    assert mark in pdf_pages(body)[1]
    # The approved-time document is never served again: only the new one is kept.
    assert PlanDocument.objects.get().version_status == VersionStatus.SUPERSEDED
    assert len(default_storage.listdir("plans/pdf")[1]) == 1


def test_the_download_is_named_after_the_plan_in_lithuanian_with_an_ascii_fallback(client):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    _, response = download(client, version)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    ascii_name = disposition.split('filename="')[1].split('"')[0]
    assert ascii_name.isascii() and ascii_name.endswith(".pdf")
    assert "filename*=UTF-8''" in disposition
    assert "pl%C4%97tros" in disposition  # "plėtros", percent-encoded


def test_archival_variant_is_stored_beside_the_accessible_one(client, renders):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    download(client, version)
    archival, _ = download(client, version, variant="pdfa")
    assert b"pdfaid:part" in pdf_reader(archival).xmp_metadata.stream.get_data()
    assert renders["pdf"].call_count == 2
    assert set(PlanDocument.objects.values_list("variant", flat=True)) == {"ua", "pdfa"}


def test_an_unknown_variant_is_a_clear_400(client):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    response = client.get(f"/versions/{version.pk}/pdf/", {"variant": "docx"})
    assert response.status_code == 400
    assert "pdfa" in response.content.decode()
    assert not PlanDocument.objects.exists()


def test_a_draft_is_not_given_to_residents_or_anonymous_visitors(client, resident_client):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    url = f"/versions/{draft.pk}/pdf/"
    assert client.get(url).status_code == 302  # to the login page
    assert resident_client.get(url).status_code == 403
    assert not PlanDocument.objects.exists()
