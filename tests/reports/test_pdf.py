"""What the report's PDF holds: figures, Lithuanian text, fonts, tags, PDF/A, the draft mark.

Each test renders a real PDF with WeasyPrint (documents.services.render_pdf)
from ``reports.pdf.report_html`` and reads it back as a reader's software would.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from documents.services import render_pdf
from monitoring import services as monitoring
from plans.models import Indicator, Measure, VersionStatus
from reports import pdf, services
from reports.models import Report
from tests import factories
from tests.conftest import build_plan_tree
from tests.documents.pdf_helpers import (
    LETTERS,
    flat_text,
    pdf_fonts,
    pdf_pages,
    pdf_reader,
    pdf_text,
)

pytestmark = pytest.mark.django_db

NARRATIVE = (
    "Ąžuolyno takai įrengti, o šviečiančios gatvės čia džiugina ūkininkus ir jų šeimas.\n\n"
    "- įrengta 15 km dviračių takų\n- pasodinta ąžuolų"
)


def render(report, *, language="lt", variant="ua") -> bytes:
    report = Report.objects.select_related("plan", "version", "round").get(pk=report.pk)
    with translation.override(language):
        html = pdf.report_html(report)
    return render_pdf(html, variant=variant)


def lt(message: str) -> str:
    with translation.override("lt"):
        return gettext(message)


@pytest.fixture
def narrated(draft_report, staff_user):
    services.narrative_save(user=staff_user, report=draft_report, section="summary", text=NARRATIVE)
    return draft_report


@pytest.fixture
def approved(narrated, staff_user):
    services.report_submit(user=staff_user, report=narrated)
    return services.report_approve(
        user=staff_user,
        report=narrated,
        decision_number="TS-12",
        decision_date=datetime.date(2021, 4, 29),
    )


@pytest.fixture
def approved_pdf(approved):
    return render(approved)


def test_the_pdf_holds_the_figures_codes_narrative_and_lithuanian_letters(approved, approved_pdf):
    text = pdf_text(approved_pdf)
    flat = flat_text(approved_pdf)
    content = approved.snapshot
    for priority in content["priorities"]:
        assert priority["code"] in text
        for goal in priority["goals"]:
            assert goal["code"] in text
            for row in goal["measures"]:
                assert row["code"] in text
    # The 2020 actual value and the delayed measure's reason, as frozen.
    assert re.search(r"(?<![\d,])15(?![\d,])", text)
    assert "Užsitęsė pirkimas" in flat
    assert "įrengta 15 km dviračių takų" in flat
    assert set(LETTERS) <= set(text)
    assert approved.plan.title in flat


def test_every_font_is_embedded_and_maps_to_unicode(approved_pdf):
    fonts = pdf_fonts(approved_pdf)
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts), fonts
    assert all("Liberation-Sans" in font["name"] for font in fonts), fonts


def test_the_pdf_is_tagged_pdf_ua_with_its_title_and_language(approved, approved_pdf):
    reader = pdf_reader(approved_pdf)
    assert approved.plan.title in reader.metadata.title
    assert reader.metadata.author == approved.plan.municipality
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "lt"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in catalog
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()


def test_the_archival_variant_is_pdf_a_and_still_tagged(approved):
    reader = pdf_reader(render(approved, variant="pdfa"))
    xmp = reader.xmp_metadata.stream.get_data()
    assert b"pdfaid:part" in xmp and b"pdfaid:conformance" in xmp
    assert re.search(rb"pdfaid:part[^0-9]{0,3}3", xmp)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_the_title_page_names_the_council_decision_and_no_page_is_marked_draft(approved_pdf):
    pages = pdf_pages(approved_pdf)
    title_page = " ".join(pages[0].split())
    assert "TS-12" in title_page
    assert "2021 m. balandžio 29 d." in title_page
    assert "2020" in title_page
    assert lt("APPROVED") in title_page
    draft_word = lt("DRAFT").upper()
    assert not any(draft_word in page for page in pages)


@pytest.mark.parametrize("submitted", [False, True])
def test_every_page_of_an_unapproved_report_carries_the_draft_mark(narrated, staff_user, submitted):
    if submitted:
        services.report_submit(user=staff_user, report=narrated)
    pages = pdf_pages(render(narrated))
    assert len(pages) > 3
    draft_word = lt("DRAFT").upper()
    unmarked = [number for number, page in enumerate(pages, 1) if draft_word not in page]
    assert unmarked == []


def test_the_contents_give_the_page_each_priority_starts_on(approved, approved_pdf):
    pages = pdf_pages(approved_pdf)
    contents = pages[1]
    assert lt("Contents") in contents
    for priority in approved.snapshot["priorities"]:
        match = re.search(rf"{re.escape(priority['title'])}[ .]*?(\d+)\s*$", contents, re.M)
        assert match, priority["title"]
        assert priority["title"] in pages[int(match.group(1)) - 1]


def test_the_charts_are_drawn_in_the_shipped_font(approved):
    with translation.override("lt"):
        html = pdf.report_html(Report.objects.get(pk=approved.pk))
    charts = re.findall(r"<svg[^>]*>", html)
    assert charts
    assert all('font-family="Liberation Sans"' in tag for tag in charts)


def test_pages_are_numbered_and_the_document_follows_the_language_asked(approved):
    pages = pdf_pages(render(approved, language="en"))
    assert "Contents" in pages[1]
    assert f"Page 2 of {len(pages)}" in pages[1]


def test_extra_sections_are_rendered_from_their_frozen_content(
    published_round, staff_user, settings, tmp_path
):
    from planportal.extensions import ReportSection, registry

    (tmp_path / "extra_section.html").write_text(
        '<h3>Šilumos suvartojimas</h3><table><caption>Lentelė</caption><tr><th scope="row">'
        "{{ section.label }}</th><td>{{ section.value }}</td></tr></table>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    hook = ReportSection(
        key="heat",
        title="Šiluma",
        build=lambda **kwargs: {"label": "Suvartota, MWh", "value": "4321"},
        template="extra_section.html",
    )
    registry.report_sections.append(hook)
    try:
        report = services.report_create(user=staff_user, plan=published_round.plan, year=2020)
        services.report_submit(user=staff_user, report=report)
        flat = flat_text(render(report))
    finally:
        registry.report_sections.remove(hook)
    assert "Šilumos suvartojimas" in flat
    assert "Suvartota, MWh 4321" in flat


def test_an_approved_reports_pdf_shows_the_frozen_value_after_a_correction(approved, staff_user):
    from monitoring.models import ActualValue

    # A value no sequence-numbered name, code or page number can spell: "99" did, when
    # factories had numbered some plan 99 by the time this test ran.
    ActualValue.objects.filter(year=2020).update(value=7319)
    text = pdf_text(render(approved))
    assert not re.search(r"7[\s\u00a0\u202f]?319", text)


def _report_of_plan(priorities: int, staff_user):
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=priorities)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    round_ = monitoring.round_open(
        user=staff_user, plan=version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    for indicator in Indicator.objects.filter(version=version):
        monitoring.actual_set(user=staff_user, indicator=indicator, year=2020, value="3")
    for measure in Measure.objects.filter(version=version):
        monitoring.implementation_set(
            user=staff_user, measure=measure, year=2020, status="delayed", note="Vėluoja"
        )
    monitoring.round_publish(user=staff_user, round=round_)
    return services.report_create(user=staff_user, plan=version.plan, year=2020)


@pytest.mark.parametrize("frozen", [False, True])
def test_the_pdf_context_runs_the_same_queries_for_a_plan_five_times_larger(staff_user, frozen):
    small = _report_of_plan(1, staff_user)
    large = _report_of_plan(5, staff_user)
    assert (
        Measure.objects.filter(version=large.version).count()
        == 5 * Measure.objects.filter(version=small.version).count()
    )
    if frozen:
        services.report_submit(user=staff_user, report=small)
        services.report_submit(user=staff_user, report=large)

    def queries(report):
        report = Report.objects.select_related("plan", "version", "round").get(pk=report.pk)
        with CaptureQueriesContext(connection) as context:
            with translation.override("lt"):
                pdf.report_html(report)
        return len(context)

    assert queries(small) == queries(large)
    if frozen:
        assert queries(large) == 0


def test_download_names_are_lithuanian_with_an_ascii_fallback(approved):
    with translation.override("lt"):
        name = pdf.download_filename(approved)
        fallback = pdf.download_filename(approved, ascii_only=True)
    assert name.endswith(".pdf") and approved.plan.title in name and "2020" in name
    assert fallback.isascii() and fallback.endswith(".pdf") and "2020" in fallback
