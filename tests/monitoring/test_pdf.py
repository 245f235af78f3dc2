"""The plan PDF's monitoring annex (monitoring/pdf.py): published rounds
only, whoever asks; made again when a round is published; a fixed number of
queries as the plan grows."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from documents import services as documents
from documents.models import PlanDocument
from monitoring import pdf, services
from plans.models import PlanVersion
from tests.documents.pdf_helpers import flat_text, pdf_fonts, pdf_reader, run_worker

from .test_public import monitored, plan_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def lt(message: str) -> str:
    """``message`` in Lithuanian (English until the branch's translations are compiled)."""
    with translation.override("lt"):
        return gettext(message)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def rendered_pdf(reader, version) -> bytes:
    url = f"/api/v1/versions/{version.pk}/pdf/"
    response = reader.get(url)
    if response.status_code == 202:
        run_worker()
        response = reader.get(url)
    assert response.status_code == 200
    return body(response)


def test_no_annex_without_a_published_round(approved_version):
    assert pdf.pdf_annex(version=approved_version) is None


@pytest.mark.parametrize("reader", ["client", "staff_client"])
def test_the_annex_shows_published_values_only_whoever_asks(
    request, approved_version, staff_user, reader
):
    indicator = monitored(approved_version, staff_user)
    reader = request.getfixturevalue(reader)
    url = f"/api/v1/versions/{approved_version.pk}/pdf/"
    assert reader.get(url).status_code == 202
    document = rendered_pdf(reader, approved_version)
    text = flat_text(document)
    assert lt("Implementation monitoring") in text
    # The chart and the table of the measured indicator: 2019 is published
    # (13,5), the open 2020 round's 17,5 is nowhere.
    assert indicator.name in text
    assert "13,5" in text and "17,5" not in text
    assert "35 %" in text
    # The chart's own text is drawn as text, in the shipped font (pypdf
    # reads it as well as poppler does).
    extracted = " ".join(page.extract_text() for page in pdf_reader(document).pages)
    assert lt("Implementation monitoring") in extracted
    # Written above the chart's bar and in the table beside it.
    assert extracted.count("13,5") >= 2 and "17,5" not in extracted
    assert all(font["emb"] == "yes" for font in pdf_fonts(document))
    assert all("Liberation" in font["name"] for font in pdf_fonts(document))


def test_the_headings_keep_their_order_with_the_annex(approved_version, staff_user):
    monitored(approved_version, staff_user)
    version = PlanVersion.objects.select_related("plan").get(pk=approved_version.pk)
    html = documents.document_html(version)
    assert 'id="annex-monitoring"' in html and '<svg font-family="Liberation Sans"' in html
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    # No heading skips a level on the way down (PDF/UA).
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_publishing_a_round_has_the_stored_pdf_made_again(
    client, approved_version, staff_user, django_capture_on_commit_callbacks
):
    monitored(approved_version, staff_user)
    before = rendered_pdf(client, approved_version)
    assert "17,5" not in flat_text(before)
    stored = PlanDocument.objects.get(version=approved_version)
    open_round = approved_version.plan.monitoring_rounds.get(year=2020)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(user=staff_user, round=open_round)
    # The stored file is gone and queued again (no reader waits for it).
    assert not PlanDocument.objects.filter(pk=stored.pk).exists()
    run_worker()
    after = rendered_pdf(client, approved_version)
    assert "17,5" in flat_text(after) and "75 %" in flat_text(after)


def test_the_annex_runs_the_same_queries_when_the_plan_grows_fivefold(staff_user):
    small, _ = plan_of(1, staff_user)
    large, _ = plan_of(5, staff_user)

    def queries(version):
        version.refresh_from_db()
        with CaptureQueriesContext(connection) as context:
            annex = pdf.pdf_annex(version=version)
            html = render_to_string("monitoring/pdf_annex.html", {"annex": annex})
        assert "<svg" in html and "<h4>" in html
        return len(context)

    assert queries(small) == queries(large)


def test_the_whole_document_runs_the_same_queries_with_the_annex(staff_user):
    small, _ = plan_of(1, staff_user)
    large, _ = plan_of(5, staff_user)

    def queries(version):
        version = PlanVersion.objects.select_related("plan").get(pk=version.pk)
        with CaptureQueriesContext(connection) as context:
            html = documents.document_html(version)
        assert 'id="annex-monitoring"' in html
        return len(context)

    assert queries(small) == queries(large)
