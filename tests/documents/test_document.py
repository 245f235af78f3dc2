"""What the plan's PDF holds and how it is made: text, fonts, marks, metadata.

Each test renders a real PDF with WeasyPrint and reads it back with
poppler-utils and pypdf, as a reader's software would.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from documents import services as documents
from plans.models import Goal, Measure, Priority, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

from .pdf_helpers import (
    LETTERS,
    VISION,
    flat_text,
    lithuanian_version,
    pdf_fonts,
    pdf_pages,
    pdf_reader,
    pdf_text,
)

pytestmark = pytest.mark.django_db


def render(version, *, language="lt", variant="ua") -> bytes:
    with translation.override(language):
        html = documents.document_html(version)
    return documents.render_pdf(html, variant=variant)


def lt(message: str) -> str:
    with translation.override("lt"):
        return gettext(message)


@pytest.fixture
def approved():
    return lithuanian_version(
        status=VersionStatus.APPROVED,
        decision_number="TS-402",
        decision_date=datetime.date(2021, 11, 25),
    )


@pytest.fixture
def approved_pdf(approved):
    return render(approved)


def test_the_pdf_holds_every_code_the_vision_and_the_lithuanian_letters(approved, approved_pdf):
    text = pdf_text(approved_pdf)
    flat = flat_text(approved_pdf)
    for model in (Priority, Goal, Measure):
        for code in model.objects.filter(version=approved).values_list("code", flat=True):
            assert re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text), code
    assert "A.1.1.1" in text
    assert VISION in flat
    for letter in LETTERS + LETTERS.upper():
        if letter in VISION:
            assert letter in text, letter
    assert set(LETTERS) <= set(text)
    assert "„vieno langelio“" in flat
    assert "15 000 €" in flat


def test_every_font_is_embedded_and_maps_to_unicode(approved_pdf):
    fonts = pdf_fonts(approved_pdf)
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts), fonts
    # The shipped font, not whatever the server happens to have installed.
    assert all("Liberation-Sans" in font["name"] for font in fonts), fonts


def test_metadata_title_author_language_and_tags(approved, approved_pdf):
    reader = pdf_reader(approved_pdf)
    assert reader.metadata.title == approved.plan.title
    assert reader.metadata.author == "Kauno rajono savivaldybė"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "lt"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in catalog
    # PDF/UA: the viewer shows the title, not the file name.
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()


def test_the_archival_variant_is_pdf_a_and_still_tagged(approved):
    reader = pdf_reader(render(approved, variant="pdfa"))
    xmp = reader.xmp_metadata.stream.get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
    assert re.search(rb"pdfaid:part[^0-9]{0,3}3", xmp)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_an_approved_version_shows_its_council_decision_and_no_draft_mark(approved_pdf):
    pages = pdf_pages(approved_pdf)
    title_page = " ".join(pages[0].split())
    assert "TS-402" in title_page
    assert "2021 m. lapkričio 25 d." in title_page
    assert lt("APPROVED") in title_page
    draft_word = lt("DRAFT").upper()
    assert not any(draft_word in page for page in pages)


def test_every_page_of_a_draft_carries_the_draft_mark():
    draft = lithuanian_version(status=VersionStatus.DRAFT)
    pages = pdf_pages(render(draft))
    assert len(pages) > 3
    draft_word = lt("DRAFT").upper()
    unmarked = [number for number, page in enumerate(pages, 1) if draft_word not in page]
    assert unmarked == []


def test_pages_are_numbered_x_of_y_and_carry_the_plan_title(approved, approved_pdf):
    pages = pdf_pages(approved_pdf)
    total = len(pages)
    with translation.override("lt"):
        footer = gettext("Page %(page)s of %(pages)s")
    for number, page in enumerate(pages[1:], 2):
        assert footer % {"page": number, "pages": total} in page, number
        assert approved.plan.title in page, number


def test_the_table_of_contents_gives_the_page_each_priority_starts_on(approved, approved_pdf):
    pages = pdf_pages(approved_pdf)
    contents = pages[1]
    assert lt("Contents") in contents
    for priority in Priority.objects.filter(version=approved):
        match = re.search(rf"{re.escape(priority.title)}[ .]*?(\d+)\s*$", contents, re.M)
        assert match, priority.title
        page = pages[int(match.group(1)) - 1]
        assert priority.title in page


def test_the_document_follows_the_language_it_is_asked_in(approved):
    pages = pdf_pages(render(approved, language="en"))
    assert "Page 2 of" in pages[1]
    assert "Contents" in pages[1]
    assert pdf_reader(render(approved, language="en")).trailer["/Root"]["/Lang"] == "en"


def test_measures_show_unit_period_indicators_and_funding_by_year_and_source(
    approved, approved_pdf
):
    flat = flat_text(approved_pdf)
    assert "Statybos skyrius" in flat  # the responsible unit
    assert "Seniūnijos" in flat  # a co-executor
    assert "2014–2020" in flat  # the period
    # build_plan_tree funds each measure from SB and ES in 2016: the totals of
    # both sources and of the budget summary appear with Lithuanian grouping.
    assert "SB" in flat and "ES" in flat
    summary = documents.document_context(approved)["budget"]
    with translation.override("lt"):
        from plans.templatetags.plan_tags import money

        assert money(summary.total).replace("\xa0", " ") in flat


def test_the_context_builder_runs_the_same_queries_for_a_plan_five_times_larger():
    small = build_plan_tree(factories.VersionFactory(), priorities=1)
    large = build_plan_tree(factories.VersionFactory(), priorities=5)
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )

    def queries(version):
        version = type(version).objects.select_related("plan").get(pk=version.pk)
        with CaptureQueriesContext(connection) as context:
            with translation.override("lt"):
                documents.document_html(version)
        return len(context)

    assert queries(small) == queries(large)


def test_download_file_names_are_lithuanian_with_an_ascii_fallback(approved):
    name = documents.download_filename(approved)
    assert name.endswith(".pdf") and approved.plan.title in name
    fallback = documents.download_filename(approved, ascii_only=True)
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert "savivaldybes" in fallback.lower() or "planas" in fallback.lower()


def test_the_renderer_fetches_nothing_outside_the_portals_static_files():
    fetcher = documents._url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    stylesheet = documents.stylesheet_path()
    assert fetcher.fetch(stylesheet.as_uri()) is not None
