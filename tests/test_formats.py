"""Numbers and dates are written the Lithuanian way in Lithuanian."""

import datetime
from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def render(source, **context):
    return Template("{% load l10n humanize %}" + source).render(Context(context))


def test_lithuanian_numbers_use_decimal_comma_and_spaced_thousands():
    with translation.override("lt"):
        assert render('{{ n|floatformat:"2g" }}', n=Decimal("1234567.891")) == "1\xa0234\xa0567,89"
        assert render("{{ n }}", n=Decimal("0.153")) == "0,153"


def test_lithuanian_dates_are_written_in_full_with_the_genitive_month():
    with translation.override("lt"):
        assert render('{{ d|date:"DATE_FORMAT" }}', d=datetime.date(2021, 11, 25)) == "2021 m. lapkričio 25 d."
        assert render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=datetime.date(2021, 11, 25)) == "2021-11-25"


def test_english_keeps_english_formats():
    with translation.override("en"):
        assert render('{{ n|floatformat:"2g" }}', n=Decimal("1234567.891")) == "1,234,567.89"
        assert render('{{ d|date:"DATE_FORMAT" }}', d=datetime.date(2021, 11, 25)) == "25 November 2021"
