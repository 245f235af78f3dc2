"""What the SEAP measures achieved by year: the service's rules, the
measures page (achieved beside planned), the climate page (achieved
reductions against the target path), the API and the demo."""

import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from climate import selectors, services
from climate.models import SeapMeasure, SeapProgress
from tests import factories as plan_factories

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff():
    return factories.staff()


@pytest.fixture
def seap(staff):
    return services.seap_measure_create(
        user=staff,
        title="Gatvių apšvietimo modernizavimas",
        sector="public_lighting",
        start_year=2015,
        end_year=2019,
        energy_saving_mwh=Decimal("2900"),
        co2_reduction_t=Decimal("450"),
    )


def test_staff_enter_and_replace_a_year(staff, seap):
    row, created = services.seap_progress_set(
        user=staff,
        measure=seap,
        year=2016,
        status="in_progress",
        energy_saving_mwh="1 200,5",
        co2_reduction_t=Decimal("180"),
    )
    assert created and row.energy_saving_mwh == Decimal("1200.5")
    row, created = services.seap_progress_set(
        user=staff, measure=seap, year=2016, status="completed", co2_reduction_t="200"
    )
    assert not created and row.status == "completed" and row.co2_reduction_t == Decimal("200")
    assert SeapProgress.objects.count() == 1


def test_refusals_change_nothing(staff, seap):
    resident = plan_factories.UserFactory(username="someone")
    with pytest.raises(PermissionDenied):
        services.seap_progress_set(user=resident, measure=seap, year=2016, status="in_progress")
    with pytest.raises(ValidationError) as error:
        services.seap_progress_set(
            user=staff, measure=seap, year=2014, status="delayed", co2_reduction_t="-1"
        )
    assert set(error.value.message_dict) == {"year", "note", "co2_reduction_t"}
    with pytest.raises(ValidationError) as error:
        services.seap_progress_set(user=staff, measure=seap, year=2016, status="finished")
    assert "status" in error.value.message_dict
    assert not SeapProgress.objects.exists()


def _with_baseline_and_target(staff):
    factories.inventory(
        user=staff, kind="baseline", year=2012, cells={("residential", "natural_gas"): "10000"}
    )
    services.target_set(user=staff, percent=Decimal("20"), year=2020, kind="absolute")


def test_measures_page_shows_achieved_beside_planned(client, staff, seap):
    services.seap_progress_set(
        user=staff,
        measure=seap,
        year=2017,
        status="delayed",
        co2_reduction_t="123.4",
        note="Užsitęsė pirkimai.",
    )
    html = client.get("/climate/measures/").content.decode()
    assert "CO2 reduction achieved, t" in html
    assert "Delayed (2017)" in html and "Užsitęsė pirkimai." in html
    assert "123.4" in html or "123,4" in html


def test_climate_page_compares_achieved_reductions_with_the_path(client, staff, seap):
    _with_baseline_and_target(staff)
    services.seap_progress_set(
        user=staff, measure=seap, year=2016, status="in_progress", co2_reduction_t="100"
    )
    overview = selectors.climate_overview()
    (row,) = overview["progress"]["achieved"]
    assert row["year"] == 2016 and row["achieved"] == Decimal("100")
    # 2 of the 5 years of 2015–2019 are done: 2/5 of 450 t expected.
    assert row["expected"] == Decimal("180")
    assert row["required"] is not None and row["required"] > 0
    html = client.get("/climate/").content.decode()
    assert "Reductions achieved against the target path" in html
    assert "Baseline less the achieved reduction" in html


def test_climate_pages_answer_without_any_progress(client, staff, seap):
    _with_baseline_and_target(staff)
    assert (
        "Reductions achieved against the target path"
        not in client.get("/climate/").content.decode()
    )
    assert "Not reported" in client.get("/climate/measures/").content.decode()


def test_api_puts_a_year_and_lists_it_with_the_measure(staff_client, client, seap):
    url = f"/api/v1/climate/measures/{seap.pk}/progress/2016/"
    body = {"status": "in_progress", "energy_saving_mwh": "800", "co2_reduction_t": "120.5"}
    response = staff_client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    again = staff_client.put(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 200
    bad = staff_client.put(
        url, json.dumps({"status": "cancelled"}), content_type="application/json"
    )
    assert bad.status_code == 400 and "note" in bad.json()
    assert client.put(url, json.dumps(body), content_type="application/json").status_code in (
        401,
        403,
    )
    data = client.get(f"/api/v1/climate/measures/{seap.pk}/").json()
    assert data["progress"] == [
        {
            "year": 2016,
            "status": "in_progress",
            "energy_saving_mwh": "800.000",
            "renewable_mwh": "0.000",
            "co2_reduction_t": "120.500",
            "note": "",
        }
    ]
    listed = client.get("/api/v1/climate/measures/").json()
    assert listed["results"][0]["progress"][0]["year"] == 2016


def test_the_demo_reports_what_its_measures_achieved(demo):
    measures = selectors.seap_measures()
    reported = [m for m in measures if m.progress_rows]
    assert len(reported) == SeapMeasure.objects.count()
    assert all("Demonstracinis įrašas" in r.note for m in reported for r in m.progress_rows)
    assert SeapProgress.objects.filter(status="delayed").exists()
    for m in reported:
        # Close to the plan, not above it by more than a little.
        assert m.latest_progress.co2_reduction_t <= m.co2_reduction_t * Decimal("1.06")
    achieved = selectors.climate_overview()["progress"]["achieved"]
    assert [row["year"] for row in achieved] == list(range(2014, 2020))


def test_staff_page_enters_a_year_and_shows_errors(staff_client, client, seap):
    url = f"/staff/climate/measures/{seap.pk}/progress/"
    assert staff_client.get(url).status_code == 200
    bad = staff_client.post(url, {"year": "2016", "status": "cancelled", "co2_reduction_t": ""})
    assert bad.status_code == 400
    assert "Say why the measure is delayed or cancelled." in bad.content.decode()
    assert not SeapProgress.objects.exists()
    done = staff_client.post(
        url, {"year": "2016", "status": "in_progress", "co2_reduction_t": "12,5", "note": ""}
    )
    assert done.status_code == 302
    row = SeapProgress.objects.get()
    assert (row.year, row.co2_reduction_t, row.energy_saving_mwh) == (
        2016,
        Decimal("12.5"),
        Decimal("0"),
    )
    assert (
        "12.5" in staff_client.get(url).content.decode()
        or "12,5" in staff_client.get(url).content.decode()
    )
    assert client.post(url, {"year": "2017", "status": "in_progress"}).status_code in (302, 403)
    assert SeapProgress.objects.count() == 1
