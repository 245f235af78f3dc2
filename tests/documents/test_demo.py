"""The demo plan's PDF, as the municipality would publish it: the plan under
consultation with both annexes (climate, consultation) and only our fonts."""

import re

import pytest
from django.utils import translation

from documents import services as documents
from plans.models import PlanVersion, VersionStatus

from .pdf_helpers import flat_text, pdf_fonts, pdf_pages

pytestmark = pytest.mark.django_db


def test_the_demo_plans_pdf_has_the_climate_and_consultation_annexes(demo):
    version = PlanVersion.objects.select_related("plan").get(status=VersionStatus.CONSULTATION)
    with translation.override("lt"):
        html = documents.document_html(version)
        climate_heading = translation.gettext("Climate annex")
        consultation_heading = translation.gettext("Public consultation: proposals and answers")
    pdf = documents.render_pdf(html)

    pages = pdf_pages(pdf)
    text = flat_text(pdf)
    assert "D.1.3.1" in text
    assert version.vision.split()[0] in text
    # The contents give the page each annex starts on, and it starts there.
    contents = pages[1]
    for heading in (climate_heading, consultation_heading):
        match = re.search(rf"{re.escape(heading)}[ .]*?(\d+)\s*$", contents, re.M)
        assert match, heading
        first_lines = pages[int(match.group(1)) - 1].strip().splitlines()[:3]
        assert any(heading in line for line in first_lines), (heading, first_lines)
    # The charts' text too is set in the shipped font.
    assert {font["name"].split("+")[1].split("-")[0] for font in pdf_fonts(pdf)} == {"Liberation"}
