"""A measure's funding: the period rule on every path, and the staff funding grid."""

from decimal import Decimal

import pytest
from django.urls import reverse

from planportal.errors import code_of, status_of
from plans import services
from plans.forms import normalise_amount
from plans.models import FundingLine, FundingSource, Measure, Task
from tests import factories
from tests.conftest import build_plan_tree

# The exported action plan's workbook and its helpers (fixtures used by name).
from tests.plans.test_spreadsheets import edit, exported, reference, refused  # noqa: F401

pytestmark = pytest.mark.django_db


def grid_url(measure):
    return reverse("plans:staff-measure-funding", args=[measure.pk])


def first_measure(version, code="A.1.1.1"):
    return Measure.objects.select_related("version__plan").get(version=version, code=code)


def saved(measure):
    return sorted(
        FundingLine.objects.filter(measure=measure).values_list("year", "source__code", "amount")
    )


def sources():
    return {source.code: source for source in FundingSource.objects.all()}


def cell(year, source):
    return f"cell-{year}-{source.pk}"


def grid_post(measure, cells):
    """The whole grid as the browser posts it: every cell, empty or not."""
    data = {"revision": str(measure.revision)}
    for year in range(measure.start_year, measure.end_year + 1):
        for source in FundingSource.objects.all():
            data[cell(year, source)] = ""
    data.update(cells)
    return data


# --- The rule, in the service ---------------------------------------------------------


def test_funding_outside_the_measures_period_is_refused_naming_the_year_and_period(
    staff_user, draft_version
):
    measure = first_measure(draft_version)
    measure.start_year, measure.end_year = 2019, 2020
    measure.save()
    sb = sources()["SB"]
    before = saved(measure)
    with pytest.raises(services.FundingOutsidePeriod) as refusal:
        services.measure_set_funding(
            user=staff_user,
            measure=measure,
            lines=[
                {"year": 2019, "source": sb, "amount": "100"},
                {"year": 2024, "source": sb, "amount": "200"},
            ],
        )
    error = refusal.value
    assert (status_of(error), code_of(error)) == (400, "funding_outside_period")
    assert error.years == [2024]
    assert error.messages == ["2024 m. finansavimas nepatenka į priemonės laikotarpį 2019–2020."]
    assert saved(measure) == before


def test_a_measure_without_years_is_funded_within_the_versions_years(staff_user, draft_version):
    task = Task.objects.get(version=draft_version, code="A.1.1")
    sb = sources()["SB"]
    count = Measure.objects.count()
    with pytest.raises(services.FundingOutsidePeriod) as refusal:
        services.node_create(
            user=staff_user,
            level="measure",
            parent=task,
            title="Be metų",
            funding=[{"year": 2024, "source": sb, "amount": "1"}],
        )
    assert refusal.value.messages == [
        "2024 m. finansavimas nepatenka į plano laikotarpį 2013–2020."
    ]
    assert Measure.objects.count() == count
    measure = services.node_create(
        user=staff_user,
        level="measure",
        parent=task,
        title="Be metų",
        funding=[{"year": 2013, "source": sb, "amount": "1"}],
    )
    assert saved(measure) == [(2013, "SB", Decimal("1.00"))]


def test_a_new_period_that_leaves_saved_funding_outside_is_refused(staff_user, draft_version):
    measure = first_measure(draft_version)  # 2014–2020, funded in 2016
    with pytest.raises(services.FundingOutsidePeriod) as refusal:
        services.node_save(
            user=staff_user,
            node=measure,
            expected_revision=measure.revision,
            fields={"title": "Naujas", "start_year": 2017},
        )
    assert refusal.value.message_dict == {
        "start_year": [
            "Priemonė turi 2016 m. finansavimą už laikotarpio 2017–2020 ribų: "
            "pirmiausia pašalinkite tą finansavimą."
        ]
    }
    measure.refresh_from_db()
    assert (measure.title, measure.start_year) != ("Naujas", 2017)
    # Funding given with the new period, within it, is the way to move both at once.
    sb = sources()["SB"]
    services.node_save(
        user=staff_user,
        node=measure,
        expected_revision=measure.revision,
        fields={"start_year": 2017},
        funding=[{"year": 2017, "source": sb, "amount": "5"}],
    )
    assert saved(measure) == [(2017, "SB", Decimal("5.00"))]


def test_saving_the_grid_replaces_every_line_of_the_measure(staff_user, draft_version):
    measure = first_measure(draft_version)
    by_code = sources()
    services.measure_set_funding(
        user=staff_user,
        measure=measure,
        lines=[
            {"year": 2014, "source": by_code["ES"], "amount": Decimal("1.50")},
            {"year": 2016, "source": by_code["SB"], "amount": Decimal("7")},
        ],
    )
    # 2016 ES is gone, 2016 SB changed, 2014 ES is new.
    assert saved(measure) == [
        (2014, "ES", Decimal("1.50")),
        (2016, "SB", Decimal("7.00")),
    ]


def test_the_api_refuses_funding_outside_the_period_with_400_and_saves_nothing(
    staff_client, draft_version
):
    from tests.api.conftest import ApiClient

    measure = first_measure(draft_version)
    before = saved(measure)
    response = ApiClient(staff_client).patch(
        f"/api/v1/measures/{measure.pk}/",
        {"funding": [{"year": 2024, "source": "SB", "amount": "1"}]},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "funding_outside_period"
    assert "2024" in str(body["funding"]) and "2014–2020" in str(body["funding"])
    assert saved(measure) == before


def test_the_workbook_import_refuses_money_outside_the_measures_years(staff_user, request):
    plan, data = request.getfixturevalue("exported")
    # The exported measure runs 2025–2026; a 2027 amount is money it cannot spend.
    cells, refusal = refused(staff_user, plan, edit(data, "Planas", {(5, "2027 SB"): 500}))
    assert cells == [("Planas", 5, "2027 SB")]
    assert "2027 m. finansavimas nepatenka į priemonės laikotarpį 2025–2026." in str(
        refusal.errors[0]
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 234,56", "1234.56"),
        ("1\xa0234,56", "1234.56"),
        ("1\u202f234,5", "1234.5"),
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 000 000", "1000000"),
        ("12 500,00 €", "12500.00"),
        ("300 Eur", "300"),
        ("", ""),
    ],
)
def test_amounts_are_read_as_lithuanian_and_english_spreadsheets_write_them(typed, value):
    assert normalise_amount(typed) == value


# --- The grid page ----------------------------------------------------------------------


def test_the_grid_shows_the_measures_years_by_sources_with_totals(staff_client, draft_version):
    measure = first_measure(draft_version)
    response = staff_client.get(grid_url(measure))
    assert response.status_code == 200
    html = response.content.decode()
    by_code = sources()
    for year in range(2014, 2021):
        assert f'name="{cell(year, by_code["SB"])}"' in html
    assert 'name="cell-2013-' not in html and 'name="cell-2021-' not in html
    assert f'name="{cell(2016, by_code["SB"])}" value="10\xa0000,00"' in html
    # Two sources of 10 000,00 in 2016: the row, each column and the grand total.
    assert 'data-row-total="2">20\xa0000,00<' in html
    assert 'data-col-total="0">10\xa0000,00<' in html
    assert 'id="funding-grid-total" data-grand-total>20\xa0000,00<' in html
    assert "js/funding_grid.js" in html and "<script>" not in html


def test_saving_the_grid_is_one_post_of_every_cell(staff_client, draft_version):
    measure = first_measure(draft_version)
    by_code = sources()
    data = grid_post(
        measure,
        {
            cell(2014, by_code["SB"]): "1 234,56",
            cell(2015, by_code["ES"]): "1234.5",
            cell(2016, by_code["SB"]): "",  # emptied: no line
            cell(2016, by_code["ES"]): "10 000,00",
        },
    )
    response = staff_client.post(grid_url(measure), data)
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("plans:staff-node-edit", args=["measure", measure.pk]) + "#funding"
    )
    assert saved(measure) == [
        (2014, "SB", Decimal("1234.56")),
        (2015, "ES", Decimal("1234.50")),
        (2016, "ES", Decimal("10000.00")),
    ]
    page = staff_client.get(response["Location"]).content.decode()
    assert "finansavimas išsaugotas: iš viso 12\xa0469,06 Eur." in page


def test_a_bad_cell_answers_400_keeps_every_typed_value_and_saves_nothing(
    staff_client, draft_version
):
    measure = first_measure(draft_version)
    by_code = sources()
    before = saved(measure)
    data = grid_post(
        measure,
        {cell(2014, by_code["SB"]): "daug", cell(2015, by_code["ES"]): "1 500,5"},
    )
    response = staff_client.post(grid_url(measure), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="daug"' in html and 'value="1 500,5"' in html
    assert "Įveskite skaičių." in html
    assert 'aria-invalid="true"' in html
    assert saved(measure) == before


def test_saved_funding_outside_the_period_shows_and_is_refused_until_emptied(
    staff_client, draft_version
):
    measure = first_measure(draft_version)
    # Saved before the rule (as the 2024 amount of a 2019–2020 measure was).
    measure.start_year, measure.end_year = 2019, 2020
    measure.save()
    FundingLine.objects.filter(measure=measure).update(year=2024)
    by_code = sources()
    html = staff_client.get(grid_url(measure)).content.decode()
    assert "už laikotarpio ribų" in html
    assert f'name="{cell(2024, by_code["SB"])}" value="10\xa0000,00"' in html

    data = grid_post(
        measure,
        {
            cell(2019, by_code["SB"]): "500",
            cell(2024, by_code["SB"]): "10 000,00",
            cell(2024, by_code["ES"]): "",
        },
    )
    response = staff_client.post(grid_url(measure), data)
    assert response.status_code == 400
    html = response.content.decode()
    message = "2024 m. finansavimas nepatenka į priemonės laikotarpį 2019–2020."
    assert html.count(message) == 2  # the summary and the one filled cell of 2024
    assert 'value="500"' in html
    assert sorted(saved(measure)) == [
        (2024, "ES", Decimal("10000.00")),
        (2024, "SB", Decimal("10000.00")),
    ]

    data[cell(2024, by_code["SB"])] = ""
    assert staff_client.post(grid_url(measure), data).status_code == 302
    assert saved(measure) == [(2019, "SB", Decimal("500.00"))]


def test_a_stale_grid_is_a_conflict_that_keeps_what_was_typed(
    staff_client, staff_user, draft_version
):
    measure = first_measure(draft_version)
    by_code = sources()
    data = grid_post(measure, {cell(2017, by_code["SB"]): "777"})
    services.node_update(user=staff_user, node=measure, revision=measure.revision, title="Kitas")
    response = staff_client.post(grid_url(measure), data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kol redagavote, šį elementą pakeitė kitas naudotojas." in html
    assert 'value="777"' in html
    measure.refresh_from_db()
    assert f'name="revision" value="{measure.revision}"' in html


def test_the_grid_of_an_approved_version_is_read_only(staff_client, approved_version):
    measure = first_measure(approved_version)
    html = staff_client.get(grid_url(measure)).content.decode()
    assert 'type="text"' not in html
    assert "10\xa0000,00" in html
    response = staff_client.post(grid_url(measure), {"revision": "1"})
    assert response.status_code == 200
    assert saved(measure)


def test_the_grid_is_for_staff_only(council_client, draft_version):
    measure = first_measure(draft_version)
    assert council_client.get(grid_url(measure)).status_code == 403


def test_the_measure_page_shows_the_saved_funding_and_links_to_the_grid(
    staff_client, draft_version
):
    measure = first_measure(draft_version)
    html = staff_client.get(
        reverse("plans:staff-node-edit", args=["measure", measure.pk])
    ).content.decode()
    assert 'id="funding-grand-total">20\xa0000,00<' in html
    assert f'href="{grid_url(measure)}"' in html
    assert "Redaguoti finansavimą" in html
    assert "funding-TOTAL_FORMS" not in html


def test_the_outline_links_each_measure_to_its_grid(staff_client, draft_version):
    measure = first_measure(draft_version)
    html = staff_client.get(
        reverse("plans:staff-outline", args=[draft_version.pk])
    ).content.decode()
    assert f'href="{grid_url(measure)}"' in html


def test_the_grid_page_costs_the_same_queries_as_the_plan_grows(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(size):
        version = factories.VersionFactory(status="draft", number=2)
        build_plan_tree(version, priorities=size, goals=size, tasks=1, measures=2)
        measure = Measure.objects.filter(version=version).first()
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(grid_url(measure)).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)
