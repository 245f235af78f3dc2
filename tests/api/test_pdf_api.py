"""GET /api/v1/versions/{id}/pdf/ (contract): who gets the PDF, and in what form."""

import pytest

from documents.models import PlanDocument
from plans.models import VersionStatus
from tests.documents.pdf_helpers import lithuanian_version, pdf_reader, pdf_text, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def get_pdf(api, url, **headers):
    """202 until the worker has rendered it (tests/documents/test_worker.py), then the PDF."""
    response = api.get(url, **headers)
    if response.status_code == 202:
        assert response["Retry-After"]
        run_worker()
        response = api.get(url, **headers)
    return response


def test_anyone_gets_the_pdf_of_an_approved_version(anonymous_api):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    response = get_pdf(anonymous_api, f"/api/v1/versions/{version.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = body(response)
    assert pdf.startswith(b"%PDF-")
    assert "A.1.1.1" in pdf_text(pdf)
    # The API client asked in English (its language cookie): so is the document.
    assert pdf_reader(pdf).trailer["/Root"]["/Lang"] == "en"


def test_a_consultation_version_is_public_too(anonymous_api):
    version = lithuanian_version(status=VersionStatus.CONSULTATION)
    response = get_pdf(anonymous_api, f"/api/v1/versions/{version.pk}/pdf/")
    assert response.status_code == 200


def test_a_draft_is_hidden_from_residents_and_given_to_council_members(resident_api, council_api):
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    url = f"/api/v1/versions/{draft.pk}/pdf/"
    assert resident_api.get(url).status_code == 404
    assert not PlanDocument.objects.exists()
    response = get_pdf(council_api, url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_a_client_that_accepts_only_pdf_gets_the_pdf_and_json_errors(anonymous_api):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    response = get_pdf(
        anonymous_api, f"/api/v1/versions/{version.pk}/pdf/", Accept="application/pdf"
    )
    assert response.status_code == 200
    assert body(response).startswith(b"%PDF-")
    missing = anonymous_api.get("/api/v1/versions/999999/pdf/", Accept="application/pdf")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found"


def test_an_unknown_variant_is_refused_with_a_message(anonymous_api):
    version = lithuanian_version(status=VersionStatus.APPROVED)
    response = anonymous_api.get(f"/api/v1/versions/{version.pk}/pdf/?variant=docx")
    assert response.status_code == 400
    assert "pdfa" in response.json()["variant"][0]


def test_the_schema_documents_the_endpoint(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/versions/{id}/pdf/"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert "202" in operation["responses"]
