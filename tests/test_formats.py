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
        assert (
            render('{{ d|date:"DATE_FORMAT" }}', d=datetime.date(2021, 11, 25))
            == "2021 m. lapkričio 25 d."
        )
        assert (
            render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=datetime.date(2021, 11, 25))
            == "2021-11-25"
        )


def test_english_keeps_english_formats():
    with translation.override("en"):
        assert render('{{ n|floatformat:"2g" }}', n=Decimal("1234567.891")) == "1,234,567.89"
        assert (
            render('{{ d|date:"DATE_FORMAT" }}', d=datetime.date(2021, 11, 25))
            == "25 November 2021"
        )


def test_ids_and_years_are_never_grouped_in_lithuanian_pages():
    # An element id "node-measure-1 360" or a year "2 020" would break pages
    # once the database holds more than a thousand rows.
    with translation.override("lt"):
        assert render("{{ n }}", n=1360) == "1360"
        assert render("{{ n }}", n=2020) == "2020"


def test_staff_can_type_amounts_grouped_with_spaces():
    from plans.forms import GroupedDecimalField

    field = GroupedDecimalField(localize=True, decimal_places=2, max_digits=14)
    with translation.override("lt"):
        assert field.clean("12 500,50") == Decimal("12500.50")
        assert field.clean("1\xa0234\xa0567,89") == Decimal("1234567.89")
