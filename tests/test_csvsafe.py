"""The portal's one CSV writer (planportal/csvsafe.py): every field quoted,
no cell that a spreadsheet would run as a formula, numbers left as numbers."""

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planportal import csvsafe

PAYLOAD = "Dviratis;=cmd|' /C calc'!A0;pabaiga"


def written(*rows):
    out = io.StringIO()
    csvsafe.writer(out).writerows(rows)
    return out.getvalue()


def cells_as_a_spreadsheet_splits(raw, delimiter):
    """Every cell a program splitting at ``delimiter`` and ignoring quotes sees."""
    return [piece for line in raw.splitlines() for piece in line.split(delimiter)]


def test_every_field_is_quoted_even_without_a_comma():
    assert written([1, "tekstas", PAYLOAD]) == (
        '"1","tekstas","Dviratis;\'=cmd|\' /C calc\'!A0;pabaiga"\r\n'
    )


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+370 600 00000", "'+370 600 00000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("   =1+1", "'   =1+1"),
        ("\t=1", "'\t'=1"),  # a tab separates cells too
        ("\rtekstas", "'\rtekstas"),
        (PAYLOAD, "Dviratis;'=cmd|' /C calc'!A0;pabaiga"),
        ('Pirma eilutė\n=HYPERLINK("x")', 'Pirma eilutė\n\'=HYPERLINK("x")'),
        ("a, @b", "a,' @b"),
        ("Dviračių takas", "Dviračių takas"),
        ("e-paštas", "e-paštas"),
    ],
)
def test_a_text_that_starts_a_formula_anywhere_a_cell_could_start_gets_an_apostrophe(value, safe):
    assert csvsafe.neutralise_text(value) == safe
    assert next(csv.reader(io.StringIO(written([value])))) == [safe]


@pytest.mark.parametrize("value", [-3, Decimal("-1.5"), -0.25, "-3", "-1.5", "+2", "5, -3"])
def test_numbers_are_not_mangled(value):
    assert next(csv.reader(io.StringIO(written([value])))) == [str(value)]


def test_the_issues_payload_is_no_cell_of_its_own_with_a_semicolon_or_a_comma():
    raw = written([1, "", PAYLOAD, "x,=1+1"])
    for delimiter in (";", ","):
        for piece in cells_as_a_spreadsheet_splits(raw, delimiter):
            assert not piece.lstrip(' "').startswith(csvsafe.FORMULA_STARTS), piece


@given(st.text())
def test_no_text_gives_a_formula_cell_however_the_file_is_split(text):
    raw = written([text])
    assert next(csv.reader(io.StringIO(raw), strict=True)) == [csvsafe.neutralise_text(text)]
    for delimiter in (";", ",", "\t"):
        for line in raw.replace("\r", "\n").split("\n"):
            for piece in line.split(delimiter):
                start = piece.lstrip(' "')
                if start.startswith(csvsafe.FORMULA_STARTS):
                    # Only a plain number may start so (a sign and digits).
                    assert csvsafe._PLAIN_NUMBER.fullmatch(start.rstrip(' "')), piece
