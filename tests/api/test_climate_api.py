"""The climate API as docs/api-contract.md ("Climate") describes it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from climate.constants import CARRIER_SLUGS, SECTOR_SLUGS
from climate.models import Consumption, FactorOverride, Inventory, SeapMeasure
from tests.climate import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_factors(db):
    factories.ensure_default_factors()


def create(api, **body):
    response = api.post(
        "/api/v1/climate/inventories/",
        {"year": 2012, "kind": "baseline", "population": 100, **body},
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_create_fill_and_read_an_inventory(staff_api, anonymous_api):
    pk = create(staff_api)
    cells = [
        {"sector": "residential", "carrier": "electricity", "mwh": 1000},
        {"sector": "residential", "carrier": "natural_gas", "mwh": "2000"},
        {"sector": "private_transport", "carrier": "diesel", "mwh": 500.5},
    ]
    assert staff_api.put(f"/api/v1/climate/inventories/{pk}/consumption/", cells).status_code == 200
    # A draft until staff publish it: the public does not find it.
    assert anonymous_api.get(f"/api/v1/climate/inventories/{pk}/").status_code == 404
    assert staff_api.get(f"/api/v1/climate/inventories/{pk}/").json()["status"] == "draft"
    published = staff_api.post(f"/api/v1/climate/inventories/{pk}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    data = anonymous_api.get(f"/api/v1/climate/inventories/{pk}/").json()
    assert (data["year"], data["kind"], data["population"]) == (2012, "baseline", 100)
    assert data["warnings"] == []
    # 1000 × 0.153 + 2000 × 0.202 + 500.5 × 0.267 = 153 + 404 + 133.6335 = 690.6335 t
    assert Decimal(data["total_mwh"]) == Decimal("3500.5")
    assert Decimal(data["total_co2_t"]) == Decimal("690.6335")
    assert Decimal(data["co2_per_capita_t"]) == Decimal("6.906335")
    assert set(data["co2_by_sector"]) == set(SECTOR_SLUGS)
    assert Decimal(data["co2_by_sector"]["residential"]) == Decimal("557")
    assert set(data["factors"]) == set(CARRIER_SLUGS)
    assert Decimal(data["factors"]["natural_gas"]) == Decimal("0.202")


def test_put_consumption_replaces_the_whole_table(staff_api):
    pk = create(staff_api)
    staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [{"sector": "industry", "carrier": "coal", "mwh": 5}],
    )
    staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [{"sector": "tertiary", "carrier": "heat", "mwh": 7}],
    )
    assert list(Consumption.objects.values_list("sector", "carrier", "mwh")) == [
        ("tertiary", "heat", Decimal("7"))
    ]


@pytest.mark.parametrize(
    "cells, message",
    [
        ([{"sector": "farms", "carrier": "electricity", "mwh": 1}], "unknown sector"),
        ([{"sector": "industry", "carrier": "steam", "mwh": 1}], "unknown energy carrier"),
        ([{"sector": "industry", "carrier": "coal", "mwh": -1}], "must not be negative"),
        ([{"sector": "industry", "carrier": "coal", "mwh": "many"}], "is not a number"),
        ([{"sector": "industry", "carrier": "coal", "mwh": None}], "a number is required"),
        (
            [
                {"sector": "industry", "carrier": "coal", "mwh": 1},
                {"sector": "industry", "carrier": "coal", "mwh": 2},
            ],
            "given twice",
        ),
        ({"sector": "industry"}, "Send a list"),
    ],
)
def test_bad_consumption_is_a_400_naming_the_item_and_changes_nothing(staff_api, cells, message):
    pk = create(staff_api)
    staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [{"sector": "residential", "carrier": "heat", "mwh": 3}],
    )
    response = staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [{"sector": "residential", "carrier": "heat", "mwh": 9}, *cells]
        if isinstance(cells, list)
        else cells,
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Consumption.objects.values_list("mwh", flat=True)) == [Decimal("3")]


def test_factors_override_the_defaults_and_electricity_includes_local_production(
    staff_api, anonymous_api
):
    pk = create(staff_api)
    staff_api.post(f"/api/v1/climate/inventories/{pk}/publish/")
    staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [
            {"sector": "residential", "carrier": "electricity", "mwh": 10000},
            {"sector": "residential", "carrier": "natural_gas", "mwh": 100},
        ],
    )
    response = staff_api.put(
        f"/api/v1/climate/inventories/{pk}/factors/", {"natural_gas": "0.25", "electricity": 0.2}
    )
    assert response.status_code == 200
    data = anonymous_api.get(f"/api/v1/climate/inventories/{pk}/").json()
    assert Decimal(data["factors"]["natural_gas"]) == Decimal("0.25")
    assert Decimal(data["factors"]["electricity"]) == Decimal("0.2")
    # Local PV of 2000 MWh (no fuel): EFE = (10000 − 2000) × 0.2 / 10000 = 0.16.
    from climate import services

    services.production_add(
        user=factories.staff(),
        inventory=Inventory.objects.get(pk=pk),
        output="electricity",
        technology="pv",
        name="PV",
        produced_mwh=Decimal(2000),
        fuels={},
    )
    data = anonymous_api.get(f"/api/v1/climate/inventories/{pk}/").json()
    assert Decimal(data["factors"]["electricity"]) == Decimal("0.16")
    # 10000 × 0.16 + 100 × 0.25 = 1625 t
    assert Decimal(data["total_co2_t"]) == Decimal("1625")


@pytest.mark.parametrize(
    "body", [{"plutonium": 1}, {"diesel": -0.1}, {"diesel": "x"}, {"diesel": 11}, ["diesel"]]
)
def test_bad_factors_are_refused_and_change_nothing(staff_api, body):
    pk = create(staff_api)
    staff_api.put(f"/api/v1/climate/inventories/{pk}/factors/", {"coal": 0.3})
    response = staff_api.put(
        f"/api/v1/climate/inventories/{pk}/factors/",
        {"coal": 0.4, **body} if isinstance(body, dict) else body,
    )
    assert response.status_code == 400
    assert list(FactorOverride.objects.values_list("carrier", "value")) == [
        ("coal", Decimal("0.3"))
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"year": 2012, "kind": "baseline"},
        {"year": "soon", "kind": "baseline", "population": 5},
        {"year": 2012, "kind": "guess", "population": 5},
        {"year": 2012, "kind": "baseline", "population": 0},
        {"year": 1800, "kind": "baseline", "population": 5},
    ],
)
def test_bad_inventories_are_refused(staff_api, body):
    assert staff_api.post("/api/v1/climate/inventories/", body).status_code == 400
    assert not Inventory.objects.exists()


def test_patch_changes_the_header_and_refuses_nonsense(staff_api):
    pk = create(staff_api)
    assert (
        staff_api.patch(f"/api/v1/climate/inventories/{pk}/", {"population": 90000}).json()[
            "population"
        ]
        == 90000
    )
    assert staff_api.patch(f"/api/v1/climate/inventories/{pk}/", ["population"]).status_code == 400
    assert (
        staff_api.patch(f"/api/v1/climate/inventories/{pk}/", {"population": -1}).status_code == 400
    )
    assert Inventory.objects.get().population == 90000


def test_only_one_baseline_and_one_monitoring_inventory_a_year(staff_api):
    create(staff_api)
    second = staff_api.post(
        "/api/v1/climate/inventories/", {"year": 2014, "kind": "baseline", "population": 5}
    )
    assert second.status_code == 400 and second.json()["code"] == "invalid"
    assert second.json()["kind"]  # the refusal names the field: one baseline only
    create(staff_api, kind="monitoring", year=2016)
    again = staff_api.post(
        "/api/v1/climate/inventories/", {"year": 2016, "kind": "monitoring", "population": 5}
    )
    assert again.status_code == 400 and again.json()["year"]
    assert Inventory.objects.count() == 2


def test_writes_are_for_staff_only(anonymous_api, resident_api, council_api):
    inv = factories.inventory(cells={("residential", "heat"): "1"})
    for api, expected in ((anonymous_api, 401), (resident_api, 403), (council_api, 403)):
        assert (
            api.post(
                "/api/v1/climate/inventories/",
                {"year": 2020, "kind": "monitoring", "population": 5},
            ).status_code
            == expected
        )
        assert (
            api.put(f"/api/v1/climate/inventories/{inv.pk}/consumption/", []).status_code
            == expected
        )
        assert api.put(f"/api/v1/climate/inventories/{inv.pk}/factors/", {}).status_code == expected
        assert api.delete(f"/api/v1/climate/inventories/{inv.pk}/").status_code == expected
        assert (
            api.post(
                "/api/v1/climate/measures/",
                {"title": "x", "sector": "other", "start_year": 2014, "end_year": 2015},
            ).status_code
            == expected
        )
        assert api.get(f"/api/v1/climate/inventories/{inv.pk}/").status_code == 200
    assert (
        Inventory.objects.count() == 1
        and Consumption.objects.count() == 1
        and not SeapMeasure.objects.exists()
    )


def test_detail_runs_the_same_queries_for_a_small_and_a_large_inventory(anonymous_api):
    user = factories.staff()
    small = factories.inventory(user=user, cells={("residential", "heat"): "1"})
    large = factories.full_inventory(user=user, rows=8)
    counts = []
    for inv in (small, large):
        with CaptureQueriesContext(connection) as context:
            assert anonymous_api.get(f"/api/v1/climate/inventories/{inv.pk}/").status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]


def test_seap_measures_api_with_the_linked_plan_measure_code(
    staff_api, anonymous_api, small_approved
):
    from plans.models import Measure

    measure = Measure.objects.filter(version=small_approved).order_by("code").first()
    body = {
        "title": "LED",
        "sector": "public_lighting",
        "start_year": 2015,
        "end_year": 2019,
        "co2_reduction_t": "450",
        "plan": small_approved.plan_id,
        "measure_key": str(measure.key),
    }
    response = staff_api.post("/api/v1/climate/measures/", body)
    assert response.status_code == 201, response.content
    assert response.json()["plan_measure"]["code"] == measure.code
    listed = anonymous_api.get("/api/v1/climate/measures/").json()["results"]
    assert listed[0]["plan_measure"]["code"] == measure.code
    bad = staff_api.post(
        "/api/v1/climate/measures/", {**body, "measure_key": "00000000-0000-0000-0000-000000000000"}
    )
    assert bad.status_code == 400
    assert (
        staff_api.post("/api/v1/climate/measures/", {**body, "end_year": 2000}).status_code == 400
    )
    assert SeapMeasure.objects.count() == 1


def test_target_api(staff_api, anonymous_api, resident_api):
    assert anonymous_api.get("/api/v1/climate/target/").status_code == 404
    assert (
        resident_api.put("/api/v1/climate/target/", {"percent": 20, "year": 2020}).status_code
        == 403
    )
    assert (
        staff_api.put("/api/v1/climate/target/", {"percent": 120, "year": 2020}).status_code == 400
    )
    assert (
        staff_api.put(
            "/api/v1/climate/target/", {"percent": "40", "year": 2030, "kind": "per_capita"}
        ).status_code
        == 200
    )
    assert anonymous_api.get("/api/v1/climate/target/").json() == {
        "percent": "40.00",
        "year": 2030,
        "kind": "per_capita",
    }
