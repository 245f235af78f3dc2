"""The climate pages: what readers and staff see, query counts that do not
grow with the data, the staff grid, the plan measure's climate impact and the
PDF annex."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from climate import selectors, services
from climate.models import Consumption, SeapMeasure
from plans.models import Measure, VersionStatus
from tests import factories as plan_factories
from tests.conftest import build_plan_tree

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context), response


def test_inventory_page_shows_tables_a_and_b_totals_and_per_capita(client):
    inv = factories.inventory(
        population=100,
        cells={("residential", "electricity"): "1000", ("residential", "natural_gas"): "2000"},
    )
    response = client.get(f"/climate/inventories/{inv.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Table A: final energy consumption, MWh" in html and "Table B: CO2 emissions, t" in html
    # 1000 × 0.153 + 2000 × 0.202 = 557 t; per capita 5.57 t.
    assert "557" in html
    assert "5.57" in html or "5,57" in html


def test_inventory_page_and_overview_run_the_same_queries_small_or_large(client):
    user = factories.staff()
    small = factories.inventory(user=user, cells={("residential", "heat"): "5"})
    large = factories.full_inventory(user=user, rows=6)
    small_count, _r = queries(client, f"/climate/inventories/{small.pk}/")
    large_count, _r = queries(client, f"/climate/inventories/{large.pk}/")
    assert small_count == large_count

    overview_one, _r = queries(client, "/climate/")
    for year in (2021, 2022, 2023):
        factories.full_inventory(user=user, year=year, rows=2)
    for n in range(5):
        services.seap_measure_create(
            user=user,
            title=f"M{n}",
            sector="residential",
            start_year=2014,
            end_year=2020,
            co2_reduction_t=Decimal(10),
        )
    overview_many, response = queries(client, "/climate/")
    assert overview_many == overview_one
    assert response.content.decode().count("<svg") == 2


def test_staff_grid_saves_the_cells_and_shows_server_totals(staff_client):
    inv = factories.inventory()
    response = staff_client.post(
        f"/staff/climate/inventories/{inv.pk}/",
        {
            "action": "grid",
            "cell-residential-electricity": "1 000,5",
            "cell-industry-electricity": "9",
            "cell-residential-heat": "",
        },
    )
    assert response.status_code == 302
    cells = {(c.sector, c.carrier): c.mwh for c in Consumption.objects.filter(inventory=inv)}
    assert cells == {
        ("residential", "electricity"): Decimal("1000.5"),
        ("industry", "electricity"): Decimal("9"),
    }
    page = staff_client.get(f"/staff/climate/inventories/{inv.pk}/").content.decode()
    assert (
        "data-grand-total>1,009.5" in page
        or "data-grand-total>1\u00a0009,5" in page
        or "data-grand-total>1009.5" in page
    )


def test_staff_grid_refuses_a_bad_cell_naming_it_and_changes_nothing(staff_client):
    inv = factories.inventory(cells={("residential", "heat"): "7"})
    response = staff_client.post(
        f"/staff/climate/inventories/{inv.pk}/",
        {
            "action": "grid",
            "cell-residential-electricity": "-4",
            "cell-tertiary-diesel": "lots",
            "cell-industry-coal": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Residential buildings × Electricity" in html and "must not be negative" in html
    assert "Tertiary (non-municipal) buildings, equipment and facilities × Diesel" in html
    assert 'value="lots"' in html  # what was typed is kept
    assert {(c.sector, c.carrier): c.mwh for c in Consumption.objects.filter(inventory=inv)} == {
        ("residential", "heat"): Decimal("7")
    }


def test_a_second_baseline_is_refused_with_a_message(staff_client):
    factories.inventory()
    response = staff_client.post(
        "/staff/climate/inventories/new/",
        {
            "new-kind": "baseline",
            "new-year": "2015",
            "new-population": "10",
            "new-approach": "ipcc",
        },
    )
    assert response.status_code == 400
    assert "already a baseline" in response.content.decode()


def test_staff_creates_an_inventory_and_sets_the_target(staff_client):
    response = staff_client.post(
        "/staff/climate/inventories/new/",
        {
            "new-kind": "baseline",
            "new-year": "2012",
            "new-population": "87000",
            "new-approach": "lca",
        },
    )
    assert response.status_code == 302
    response = staff_client.post(
        "/staff/climate/target/",
        {"target-percent": "40", "target-year": "2030", "target-kind": "per_capita"},
    )
    assert response.status_code == 302
    page = staff_client.get("/climate/").content.decode()
    assert "40.0 % lower" in page or "40,0 % lower" in page


def test_extras_page_adds_production_purchase_other_and_factors(staff_client):
    inv = factories.inventory(cells={("residential", "electricity"): "10000"})
    url = f"/staff/climate/inventories/{inv.pk}/other/"
    assert (
        staff_client.post(
            url,
            {
                "action": "electricity",
                "elec-technology": "chp",
                "elec-name": "KJ",
                "elec-produced_mwh": "500",
                "elec-fuel_natural_gas": "1250",
            },
        ).status_code
        == 302
    )
    assert (
        staff_client.post(
            url,
            {
                "action": "green",
                "green-supplier": "Ignitis",
                "green-mwh": "2000",
                "green-factor": "0,01",
            },
        ).status_code
        == 302
    )
    assert (
        staff_client.post(
            url, {"action": "other", "other-category": "waste", "other-co2_t": "12"}
        ).status_code
        == 302
    )
    assert (
        staff_client.post(url, {"action": "factors", "factors-electricity": "0,153"}).status_code
        == 302
    )
    report = selectors.inventory_report(inv)
    # ((10000 − 500 − 2000) × 0.153 + 252.5 + 20) / 10000 = (1147.5 + 272.5) / 10000 = 0.142
    assert report.result.factors["electricity"] == Decimal("0.142")
    assert report.result.other_co2_t == Decimal("12")
    bad = staff_client.post(url, {"action": "green", "green-mwh": "-1"})
    assert bad.status_code == 400
    assert staff_client.post(url, {"action": "nonsense"}).status_code == 400
    assert staff_client.post(url, {"action": "delete-green-999999"}).status_code == 404


def test_factor_library_edit_changes_every_inventory_without_its_own(staff_client):
    inv = factories.inventory(cells={("residential", "natural_gas"): "1000"})
    page = staff_client.get("/staff/climate/factors/")
    form = {"action": "library"}
    for key in page.context["form"].fields:
        form[f"lib-{key}"] = str(page.context["form"].initial[key])
    form["lib-ipcc_natural_gas"] = "0,25"
    assert staff_client.post("/staff/climate/factors/", form).status_code == 302
    assert selectors.inventory_report(inv).result.total_co2_t == Decimal("250")
    assert (
        staff_client.post(
            "/staff/climate/factors/",
            {"action": "national", "nat-year": "2012", "nat-approach": "ipcc", "nat-value": "0,2"},
        ).status_code
        == 302
    )


def approved_version_with_measure():
    version = plan_factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version, Measure.objects.filter(version=version).order_by("code").first()


def test_a_plan_measure_page_shows_its_climate_impact_at_once_after_a_change(
    client, django_capture_on_commit_callbacks
):
    version, measure = approved_version_with_measure()
    user = factories.staff()
    url = f"/versions/{version.pk}/measures/{measure.pk}/"
    assert (
        "Climate impact" not in client.get(url).content.decode()
    )  # now cached for anonymous readers
    with django_capture_on_commit_callbacks(execute=True):
        seap = services.seap_measure_create(
            user=user,
            plan=version.plan,
            measure_key=measure.key,
            title="LED",
            sector="public_lighting",
            start_year=2015,
            end_year=2019,
            energy_saving_mwh=Decimal("2900"),
            co2_reduction_t=Decimal("450"),
        )
    html = client.get(url).content.decode()
    assert "Climate impact" in html and "2,900 MWh/a" in html and "450 t/a" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.seap_measure_update(
            user=user,
            measure=seap,
            plan=version.plan,
            measure_key=measure.key,
            co2_reduction_t=Decimal("777"),
        )
    assert "777 t/a" in client.get(url).content.decode()


def test_the_link_follows_the_key_into_a_new_version(client, staff_client):
    version, measure = approved_version_with_measure()
    services.seap_measure_create(
        user=factories.staff(),
        plan=version.plan,
        measure_key=measure.key,
        title="Šiltinimas",
        sector="residential",
        start_year=2014,
        end_year=2020,
        co2_reduction_t=Decimal(5),
    )
    draft = plan_factories.VersionFactory(plan=version.plan, status=VersionStatus.DRAFT, number=2)
    copy = plan_factories.MeasureFactory(
        task=plan_factories.TaskFactory(
            goal=plan_factories.GoalFactory(
                priority=plan_factories.PriorityFactory(version=draft), version=draft
            ),
            version=draft,
        ),
        version=draft,
    )
    Measure.objects.filter(pk=copy.pk).update(key=measure.key, code="Z.9.9.9")
    page = staff_client.get(f"/versions/{draft.pk}/measures/{copy.pk}/").content.decode()
    assert "Climate impact" in page and "Šiltinimas" in page
    annex = selectors.pdf_annex(version=draft)
    assert annex["measures"][0].plan_measure.code == "Z.9.9.9"
    assert selectors.pdf_annex(version=version)["measures"][0].plan_measure.code == measure.code


def test_pdf_annex_is_none_without_data_and_renders_with_constant_queries():
    version, measure = approved_version_with_measure()
    assert selectors.pdf_annex(version=version) is None
    user = factories.staff()
    factories.inventory(user=user, cells={("residential", "heat"): "5"})
    services.target_set(user=user, percent=Decimal(20), year=2020, kind="absolute")
    services.seap_measure_create(
        user=user,
        plan=version.plan,
        measure_key=measure.key,
        title="A",
        sector="residential",
        start_year=2014,
        end_year=2016,
        co2_reduction_t=Decimal(1),
    )
    with CaptureQueriesContext(connection) as few:
        html = render_to_string(
            "climate/pdf_annex.html", {"annex": selectors.pdf_annex(version=version)}
        )
    assert "Climate annex" in html and measure.code in html and "<svg" in html
    factories.full_inventory(user=user, rows=5)
    for n in range(6):
        services.seap_measure_create(
            user=user,
            plan=version.plan,
            measure_key=measure.key,
            title=f"B{n}",
            sector="residential",
            start_year=2014,
            end_year=2016,
        )
    with CaptureQueriesContext(connection) as many:
        render_to_string("climate/pdf_annex.html", {"annex": selectors.pdf_annex(version=version)})
    assert len(many) == len(few)


def test_seap_list_shows_the_sum_against_the_gap(client):
    user = factories.staff()
    factories.inventory(
        user=user, population=10, cells={("residential", "natural_gas"): "10000"}
    )  # 2020 t
    services.target_set(
        user=user, percent=Decimal(20), year=2020, kind="absolute"
    )  # 404 t required
    services.seap_measure_create(
        user=user,
        title="A",
        sector="residential",
        start_year=2014,
        end_year=2016,
        co2_reduction_t=Decimal(100),
    )
    services.seap_measure_create(
        user=user,
        title="B",
        sector="citizens",
        start_year=2014,
        end_year=2016,
        co2_reduction_t=Decimal("2"),
    )
    html = client.get("/climate/measures/").content.decode()
    # Required: 2020 × 20 % = 404 t; the measures: 102 t/a, 25.2 % of it; 302 t still to find.
    assert "404" in html and "102" in html and "25.2" in html and "302" in html


def test_services_refuse_other_roles(resident_user):
    with pytest.raises(services.PermissionDenied):
        services.inventory_create(user=resident_user, year=2012, kind="baseline", population=5)
    inv = factories.inventory()
    with pytest.raises(services.PermissionDenied):
        services.consumption_replace(user=resident_user, inventory=inv, cells={})
    with pytest.raises(services.PermissionDenied):
        services.seap_measure_create(
            user=resident_user, title="x", sector="other", start_year=2014, end_year=2015
        )
    assert SeapMeasure.objects.count() == 0


def test_a_seap_measure_link_must_name_a_measure_of_the_plan():
    version, _measure = approved_version_with_measure()
    other, other_measure = approved_version_with_measure()
    with pytest.raises(services.ValidationError) as error:
        services.seap_measure_create(
            user=factories.staff(),
            plan=version.plan,
            measure_key=other_measure.key,
            title="x",
            sector="other",
            start_year=2014,
            end_year=2015,
        )
    assert "measure_key" in error.value.message_dict
    with pytest.raises(services.ValidationError):
        services.seap_measure_create(
            user=factories.staff(), title="x", sector="other", start_year=2016, end_year=2015
        )
    assert SeapMeasure.objects.count() == 0


def test_staff_measure_pages_create_edit_and_delete(staff_client):
    version, measure = approved_version_with_measure()
    link = f"{version.plan_id}:{measure.key}"
    form = {
        "title": "LED",
        "sector": "public_lighting",
        "start_year": "2015",
        "end_year": "2019",
        "co2_reduction_t": "450",
        "link": link,
    }
    assert staff_client.post("/staff/climate/measures/new/", form).status_code == 302
    seap = SeapMeasure.objects.get()
    assert seap.measure_key == measure.key and seap.plan_id == version.plan_id
    bad = staff_client.post(f"/staff/climate/measures/{seap.pk}/", {**form, "end_year": "2010"})
    assert bad.status_code == 400 and "before the start" in bad.content.decode()
    assert (
        staff_client.post(
            f"/staff/climate/measures/{seap.pk}/", {**form, "title": "LED 2", "link": ""}
        ).status_code
        == 302
    )
    seap.refresh_from_db()
    assert seap.title == "LED 2" and seap.measure_key is None
    assert staff_client.post(f"/staff/climate/measures/{seap.pk}/delete/").status_code == 302
    assert not SeapMeasure.objects.exists()
