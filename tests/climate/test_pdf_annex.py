"""The plan PDF's climate annex (issue 15): chart labels of at least 8 pt on
paper, each chart's data table on the chart's page, headings kept with what
follows, names never hyphenated, and draft inventories left out."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation

from climate import demo as climate_demo
from climate import selectors, services
from climate.charts import MIN_PDF_PT
from documents import services as documents
from tests.documents.pdf_helpers import lithuanian_version, pdf_reader

from . import factories

pytestmark = pytest.mark.django_db

PDF_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "pdf.css"


@pytest.fixture
def climate_version():
    """A plan version and the demo's climate data (BEI 2012, MEI 2018, target, measures)."""
    version = lithuanian_version()
    context = SimpleNamespace(
        staff_user=factories.staff(), plan=None, approved_version=None, say=lambda text: None
    )
    climate_demo.load(context)
    return version


def _svg_label_sizes(html: str) -> list[float]:
    """Every text's size on paper, pt, of the climate charts in ``html``."""
    sizes = []
    for svg in re.findall(r'<svg[^>]*class="climate-chart".*?</svg>', html, re.S):
        view_w = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
        width_pt = float(re.search(r'width="([\d.]+)pt"', svg).group(1))
        scale = width_pt / view_w
        sizes += [float(s) * scale for s in re.findall(r'font-size="([\d.]+)"', svg)]
    return sizes


def test_the_annex_charts_are_sized_in_points_with_labels_of_at_least_8_pt(climate_version):
    annex = selectors.pdf_annex(version=climate_version)
    html = str(annex["sector_chart"]["svg"]) + str(annex["trajectory_chart"]["svg"])
    sizes = _svg_label_sizes(html)
    assert len(sizes) > 20
    assert min(sizes) >= MIN_PDF_PT


def test_the_pdf_stylesheet_keeps_headings_charts_and_tables_together_and_names_whole():
    css = PDF_CSS.read_text()
    assert "p, li, dd, td, th { hyphens: auto; }" in css  # body text is hyphenated …
    assert re.search(r"\.climate-annex th, \.climate-annex td,[^{]*\{ hyphens: none; \}", css)
    assert (
        ".climate-annex h3, .climate-annex h4 { break-after: avoid; break-inside: avoid; }" in css
    )
    assert re.search(r"\.climate-annex \.climate-chart-block \{\s*break-inside: avoid;", css)
    # The charts keep their size in points: no max-height shrinking their text.
    assert ".climate-annex .climate-figure svg { max-width: none; max-height: none; }" in css


def test_the_rendered_annex_puts_each_chart_with_its_data_and_hyphenates_no_name(
    climate_version,
):
    with translation.override("lt"):
        html = documents.document_html(climate_version)
        chart_title = translation.gettext("CO2 emissions by sector, t")
        data_caption = translation.gettext("The chart's data")
        annex_title = translation.gettext("Climate annex")
    assert min(_svg_label_sizes(html)) >= MIN_PDF_PT
    pages = [page.extract_text() for page in pdf_reader(documents.render_pdf(html)).pages]
    annex = [text for text in pages if annex_title in text][-1:]
    start = pages.index(annex[0])
    climate_pages = pages[start:]
    # Every chart's data table shares its page with the chart (its title is
    # the chart's <title>, its caption names the chart).
    data_pages = [text for text in climate_pages if data_caption in text]
    assert len(data_pages) == 2
    assert any(
        chart_title in text and f"{data_caption}: {chart_title}" in text for text in data_pages
    )
    # No page of the annex ends with a heading alone at its foot.
    for text in climate_pages:
        assert not text.rstrip().endswith("Išmetimai pagal sektorius")
    # No name broken by a hyphen at a line's end ("Sta-\ntybos").
    text = "\n".join(climate_pages)
    assert "Statybos ir infrastruktūros plėtros skyrius" in re.sub(r"\s+", " ", text)
    assert not re.search(r"[a-ząčęėįšųūž]-\n[a-ząčęėįšųūž]", text)


def test_a_draft_inventory_never_reaches_the_pdf_annex():
    version = lithuanian_version()
    draft = factories.inventory(year=2012, published=False, cells={("residential", "heat"): 5})
    assert selectors.pdf_annex(version=version) is None
    services.inventory_publish(user=factories.staff(), inventory=draft)
    annex = selectors.pdf_annex(version=version)
    assert [r.inventory.pk for r in annex["reports"]] == [draft.pk]
