"""Plan figures as people typed them (plans/numbers.py)."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.forms import TargetForm
from plans.numbers import figure_text, money_text, plain_number


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (Decimal("10.5000"), "10,5"),
        (Decimal("1234.5000"), "1\xa0234,5"),
        (Decimal("1234.5"), "1\xa0234,5"),
        (Decimal("40.0000"), "40"),
        (Decimal("1000000.0000"), "1\xa0000\xa0000"),
        (Decimal("0.0000"), "0"),
        (Decimal("-0.0000"), "0"),
        (Decimal("-12.2500"), "-12,25"),
        (Decimal("-1234.5000"), "-1\xa0234,5"),
        (Decimal("0.0005"), "0,0005"),
        (0, "0"),
        (12, "12"),
    ],
)
def test_figures_read_as_typed_in_lithuanian(stored, shown):
    with translation.override("lt"):
        assert plain_number(stored) == shown


def test_figures_in_english_and_without_grouping():
    with translation.override("en"):
        assert plain_number(Decimal("1234.5000")) == "1,234.5"
    with translation.override("lt"):
        assert plain_number(Decimal("1234.5000"), grouping=False) == "1234,5"


def test_nothing_stays_nothing_and_money_keeps_its_cents():
    assert plain_number(None) == "" and plain_number("") == ""
    with translation.override("lt"):
        assert money_text(Decimal("1234.5")) == "1\xa0234,50"
        assert figure_text(Decimal("1500.00"), 2) == "1\xa0500,00"
        assert figure_text(Decimal("10.5000"), 4) == "10,5"


def test_the_filters_show_figures_as_typed():
    template = Template("{% load plan_tags %}{{ a|quantity }} {{ b|plain_number }}")
    with translation.override("lt"):
        html = template.render(Context({"a": Decimal("10.5000"), "b": Decimal("-3.0000")}))
    assert html == "10,5 -3"


def test_an_edit_form_shows_a_stored_value_as_typed():
    with translation.override("lt"):
        form = TargetForm(initial={"year": 2020, "value": Decimal("10.5000")})
        assert 'value="10,5"' in str(form["value"])
        # What the user typed comes back as they typed it.
        bound = TargetForm(data={"year": "2020", "value": "10,50"})
        assert 'value="10,50"' in str(bound["value"])
