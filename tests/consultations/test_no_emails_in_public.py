"""No public page, file or API response of the demo shows an e-mail address.

Every demo account has an address (and the demo's residents wrote proposals,
some showing their name), so this walks what an anonymous visitor can reach:
the pages linked from the home page, every plan page of the version under
consultation, the consultation's pages and files, and the public API.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django_tasks_db.models import DBTaskResult

from consultations.models import Consultation, Proposal
from documents.services import document_request
from plans.demo import loader
from tests.documents.pdf_helpers import run_worker

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
HREF = re.compile(r'href="(/[^"#]*)')


@pytest.fixture(scope="module")
def demo(demo_snapshot, django_db_blocker):
    # load_demo's rows, written once for the session (tests/demo_data.py).
    from tests.demo_data import restore

    with django_db_blocker.unblock(), transaction.atomic():
        context = restore(demo_snapshot)
        yield context
        transaction.set_rollback(True)


def _crawl(client, start, limit=150):
    """Same-site GET pages reachable from ``start`` (no admin, API docs or logout)."""
    seen, queue, pages = set(), list(start), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(
            ("/admin", "/api/v1/docs", "/api/v1/schema", "/static", "/accounts/logout", "/i18n")
        ):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[url] = response
            continue
        pages[url] = response
        for link in HREF.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            if urlsplit(link).path not in {urlsplit(u).path for u in seen}:
                queue.append(link)
    return pages


def test_demo_has_addresses_and_named_proposals_to_leak(demo):
    assert get_user_model().objects.exclude(email="").count() >= 4
    assert Proposal.objects.filter(show_name=True).exists()


def test_no_public_page_or_file_shows_an_email_address(demo):
    client = Client()
    consultation = Consultation.objects.get()
    # The PDF the crawl finds (Lithuanian), rendered by the worker beforehand.
    DBTaskResult.objects.all().delete()
    document_request(version=consultation.version, variant="ua", language="lt")
    run_worker()
    base = f"/consultations/{consultation.pk}/"
    start = [
        base,
        f"{base}outcome/",
        f"{base}outcome.csv",
        f"{base}outcome.xlsx",
        "/consultations/",
        "/",
        f"/versions/{consultation.version_id}/",
    ]
    pages = _crawl(client, start)
    assert len(pages) > 50
    assert any("outcome.xlsx" in url for url in pages)
    leaks = []
    for url, response in pages.items():
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type", "").startswith("application/pdf"):
            from pypdf import PdfReader

            text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
        elif url.endswith(".xlsx"):
            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(body))
            text = " ".join(
                str(cell)
                for sheet in book
                for row in sheet.iter_rows(values_only=True)
                for cell in row
            )
        else:
            text = body.decode("utf-8", "replace")
        found = EMAIL.search(text)
        if found:
            leaks.append(f"{url}: {found.group(0)}")
    assert leaks == []


def test_no_public_api_response_shows_an_email_address(demo):
    client = Client()
    consultation = Consultation.objects.get()
    version = consultation.version_id
    urls = [
        "/api/v1/plans/",
        f"/api/v1/plans/{consultation.version.plan_id}/",
        "/api/v1/versions/",
        f"/api/v1/versions/{version}/",
        f"/api/v1/versions/{version}/tree/",
        "/api/v1/priorities/",
        "/api/v1/goals/",
        "/api/v1/tasks/",
        "/api/v1/measures/",
        "/api/v1/indicators/",
        "/api/v1/units/",
        "/api/v1/funding-sources/",
        "/api/v1/votings/",
        "/api/v1/consultations/",
        f"/api/v1/consultations/{consultation.pk}/",
        f"/api/v1/consultations/{consultation.pk}/proposals/",
        f"/api/v1/consultations/{consultation.pk}/outcome/",
        "/api/v1/elderships/",
    ]
    urls += [f"/api/v1/proposals/{pk}/" for pk in Proposal.objects.values_list("pk", flat=True)]
    leaks = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = EMAIL.search(response.content.decode())
        if found:
            leaks.append(f"{url}: {found.group(0)}")
    assert leaks == []


def test_the_demo_has_an_open_consultation_with_answered_proposals_once(demo):
    from consultations.models import Support
    from plans.models import VersionStatus

    consultation = Consultation.objects.get()
    assert consultation.state == "open" and consultation.version == demo.draft_version
    assert consultation.version.status == VersionStatus.CONSULTATION
    proposals = Proposal.objects.filter(consultation=consultation)
    assert proposals.count() >= 5
    assert proposals.filter(author__username="resident").exists()
    assert proposals.filter(show_name=True).exists() and proposals.filter(show_name=False).exists()
    assert proposals.filter(response_published_at__isnull=False).count() >= 3
    assert proposals.exclude(response_status="").filter(response_published_at__isnull=True).exists()
    assert proposals.filter(target_key__isnull=True).exists()
    before = (proposals.count(), Support.objects.count(), get_user_model().objects.count())
    loader.load_demo(say=lambda line: None)
    assert (proposals.count(), Support.objects.count(), get_user_model().objects.count()) == before
