"""The Lithuanian slips issue 15 found, one test each, so none comes back:
"Rezultato" as a heading, "Išspręstos" on one thread, "---------" as an empty
option, "EUR"/"eur" beside "Eur", and "d.." after a date on the home page."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def lt(function, *args):
    with translation.override("lt"):
        return str(function(*args))


def test_the_result_heading_of_a_voting_is_rezultatas():
    voting = (TEMPLATES / "council" / "voting.html").read_text()
    assert '{% translate "Result" context "heading of a voting\'s outcome" %}' in voting
    assert lt(translation.pgettext, "heading of a voting's outcome", "Result") == "Rezultatas"


def test_one_resolved_thread_is_isspresta():
    thread = (TEMPLATES / "review" / "_thread.html").read_text()
    assert '{% translate "Resolved" context "state of one thread" %}' in thread
    assert lt(translation.pgettext, "state of one thread", "Resolved") == "Išspręsta"


@pytest.mark.django_db
def test_no_select_offers_dashes_as_its_empty_option():
    from planportal.forms import EMPTY_CHOICE, EMPTY_LABEL

    assert lt(str, EMPTY_LABEL) == "— pasirinkite —"
    assert lt(str, settings.FILTERS_EMPTY_CHOICE_LABEL) == "— pasirinkite —"
    from django import forms

    class SourceForm(forms.Form):
        # What a form of the portal does for a choice that may be left empty.
        source = forms.ChoiceField(choices=[EMPTY_CHOICE, ("SB", "SB")])

    with translation.override("lt"):
        html = str(SourceForm())
    assert "---------" not in html and "— pasirinkite —" in html
    # And no form of the portal writes the dashes itself.
    for path in Path(__file__).resolve().parents[1].glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        assert '"---------"' not in path.read_text(encoding="utf-8"), path


BLOCKS = re.compile(r"\{% blocktranslate.*?\{% endblocktranslate %\}|\{% translate .*?%\}", re.S)


def test_amounts_say_eur_the_lithuanian_way():
    assert lt(translation.gettext, "EUR") == "Eur"
    raw = []
    for path in TEMPLATES.rglob("*.html"):
        outside = BLOCKS.sub("", path.read_text(encoding="utf-8"))
        if re.search(r"(\}\}|%\}|>)\s*EUR\b|\beur\b", outside):
            raw.append(str(path.relative_to(TEMPLATES)))
    assert raw == []


@pytest.mark.django_db
def test_the_home_page_ends_a_decision_date_with_one_period(client, approved_version):
    type(approved_version).objects.filter(pk=approved_version.pk).update(
        decision_number="TS-101", decision_date=datetime.date(2021, 11, 25)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "lt"
    html = client.get("/").content.decode()
    assert "2021-11-25." in html
    assert "d.." not in html
