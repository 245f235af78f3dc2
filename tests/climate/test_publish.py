"""Issue 15, "Climate and the PDF": an inventory is a draft until staff publish
it (hidden from the public everywhere), a carrier consumed without an emission
factor is a visible warning, never a silent zero; the staff grid, the
population field and the CSV import read what people type."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from climate import report as climate_report
from climate import selectors, services
from climate.forms import InventoryForm
from climate.models import Consumption, Inventory, InventoryStatus

from . import factories

pytestmark = pytest.mark.django_db

DISTRICT_HEAT = {("residential", "heat"): "152500", ("residential", "electricity"): "1000"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# --- Drafts and publishing ----------------------------------------------------------


def test_a_new_inventory_is_a_draft_that_only_staff_see(client, staff_client):
    draft = factories.inventory(year=2012, published=False, cells=DISTRICT_HEAT)
    assert draft.status == InventoryStatus.DRAFT and draft.published_at is None
    base = f"/climate/inventories/{draft.pk}/"
    for url in (base, base + "table-a.csv", base + "table-a-excel.csv"):
        assert client.get(url).status_code == 404, url
        assert staff_client.get(url).status_code == 200, url
    overview = client.get("/climate/").content.decode()
    assert (
        "BEI 2012" not in overview and "No emission inventory has been published yet." in overview
    )
    staff_page = staff_client.get(base).content.decode()
    assert "This inventory is a draft: only administration staff can see it." in staff_page
    staff_overview = staff_client.get("/climate/").content.decode()
    assert "This page includes 1 draft inventory" in staff_overview
    assert client.get("/api/v1/climate/inventories/").json()["count"] == 0
    assert client.get(f"/api/v1/climate/inventories/{draft.pk}/").status_code == 404
    assert selectors.inventory_list() == []
    assert selectors.inventory_list(user=factories.staff("other-staff")) == [draft]


def test_staff_publish_a_draft_through_a_confirmation_step(client, staff_client):
    draft = factories.inventory(year=2012, published=False, cells=DISTRICT_HEAT)
    url = f"/staff/climate/inventories/{draft.pk}/publish/"
    confirm = staff_client.get(url)
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "Publish BEI 2012?" in html and "Once published, the inventory is public" in html
    # The confirmation repeats what the figures lack before anything is public.
    assert "Heat/cold: 152,500 MWh consumed without an emission factor" in html
    assert Inventory.objects.get(pk=draft.pk).status == InventoryStatus.DRAFT
    response = staff_client.post(url)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == InventoryStatus.PUBLISHED and draft.published_at is not None
    assert client.get(f"/climate/inventories/{draft.pk}/").status_code == 200
    assert "BEI 2012" in client.get("/climate/").content.decode()
    # Publishing twice is refused with a conflict, in the browser and the API.
    again = staff_client.post(url)
    assert again.status_code == 409
    api = staff_client.post(f"/api/v1/climate/inventories/{draft.pk}/publish/")
    assert api.status_code == 409 and api.json()["code"] == "already_published"


def test_only_staff_may_publish(resident_client):
    draft = factories.inventory(year=2012, published=False)
    resident = resident_client.get(f"/staff/climate/inventories/{draft.pk}/publish/")
    assert resident.status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.inventory_publish(user=None, inventory=draft)
    assert Inventory.objects.get(pk=draft.pk).status == InventoryStatus.DRAFT


def test_the_yearly_report_section_leaves_drafts_out(approved_version):
    factories.inventory(year=2012, cells=DISTRICT_HEAT)
    factories.inventory(kind="monitoring", year=2018, published=False, cells=DISTRICT_HEAT)
    section = climate_report.build(plan=approved_version.plan, year=2020, version=approved_version)
    assert [(r["kind"], r["year"]) for r in section["emissions"]["rows"]] == [("baseline", 2012)]


def test_the_migration_publishes_what_was_there():
    import importlib

    migration = importlib.import_module("climate.migrations.0004_inventory_status")
    add_status = migration.Migration.operations[0]
    assert add_status.field.default == "published"
    assert migration.Migration.operations[-1].field.default == "draft"


def test_the_demo_inventories_are_published():
    from types import SimpleNamespace

    from climate import demo

    demo.load(
        SimpleNamespace(
            staff_user=factories.staff(), plan=None, approved_version=None, say=lambda t: None
        )
    )
    assert set(Inventory.objects.values_list("status", flat=True)) == {"published"}


# --- No silent zero ---------------------------------------------------------------------


def test_district_heat_without_a_factor_is_a_warning_not_a_silent_zero(client, staff_client):
    inv = factories.inventory(year=2012, population=100, cells=DISTRICT_HEAT)
    report = selectors.inventory_report(inv)
    assert [(w["carrier"], w["mwh"]) for w in report.warnings] == [("heat", Decimal("152500"))]
    message = "Heat/cold: 152,500 MWh consumed without an emission factor are counted as 0 t CO2."
    for page in (f"/climate/inventories/{inv.pk}/", "/climate/"):
        assert message in client.get(page).content.decode(), page
    assert message in staff_client.get(f"/staff/climate/inventories/{inv.pk}/").content.decode()
    body = client.get(f"/api/v1/climate/inventories/{inv.pk}/").json()
    assert body["warnings"] == [
        {"code": "missing_factor", "carrier": "heat", "mwh": "152500", "message": message}
    ]


def test_a_heat_factor_or_table_d_clears_the_warning():
    staff = factories.staff()
    inv = factories.inventory(year=2012, cells=DISTRICT_HEAT)
    services.production_add(
        user=staff,
        inventory=inv,
        output="heat",
        technology="district_heating",
        name="Katilinė",
        produced_mwh=Decimal("160000"),
        fuels={"natural_gas": Decimal("170000")},
    )
    assert selectors.inventory_report(inv).warnings == []
    other = factories.inventory(kind="monitoring", year=2018, cells=DISTRICT_HEAT)
    services.factors_replace(user=staff, inventory=other, factors={"heat": Decimal("0")})
    # A zero the inventory set itself is its choice, not a missing factor.
    assert selectors.inventory_report(other).warnings == []


def test_renewables_at_zero_under_the_standard_approach_are_not_warned_about():
    inv = factories.inventory(year=2012, cells={("residential", "other_biomass"): "5000"})
    assert selectors.inventory_report(inv).warnings == []
    services.library_factor_set(
        user=factories.staff(), carrier="other_biomass", approach="lca", value=Decimal("0")
    )
    lca = factories.inventory(
        kind="monitoring", year=2018, approach="lca", cells={("residential", "other_biomass"): "5"}
    )
    assert [w["carrier"] for w in selectors.inventory_report(lca).warnings] == ["other_biomass"]


# --- What people type ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["98 450", "98\u00a0450", "98\u2009450", "98\u202f450", "98450"])
def test_the_population_field_accepts_grouped_digits(typed):
    form = InventoryForm(
        {"kind": "baseline", "year": 2012, "population": typed, "approach": "ipcc"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["population"] == 98450


def test_a_new_inventory_with_population_98_450_is_created(staff_client):
    response = staff_client.post(
        "/staff/climate/inventories/new/",
        {
            "new-kind": "baseline",
            "new-year": 2012,
            "new-population": "98 450",
            "new-approach": "ipcc",
        },
    )
    assert response.status_code == 302
    assert Inventory.objects.get().population == 98450


def test_the_csv_refuses_a_sector_the_inventory_does_not_have_naming_those_it_has(staff_client):
    inv = factories.inventory(cells={("residential", "heat"): "7"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "a.csv", b"sector,electricity\nresidential,5\nagriculture,3\n", content_type="text/csv"
    )
    response = staff_client.post(f"/staff/climate/inventories/{inv.pk}/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Row 3, column 1: the inventory has no sector „agriculture“." in html
    assert (
        "Its sectors are: municipal_buildings, tertiary, residential, public_lighting, "
        "industry, municipal_fleet, public_transport, private_transport." in html
    )
    assert list(Consumption.objects.values_list("sector", "mwh")) == [("residential", Decimal(7))]


def test_a_refused_grid_shows_what_was_typed_and_adds_that_up(staff_client):
    inv = factories.inventory(cells={("residential", "heat"): "7", ("industry", "coal"): "900"})
    response = staff_client.post(
        f"/staff/climate/inventories/{inv.pk}/",
        {
            "action": "grid",
            "cell-residential-heat": "1 200,5",
            "cell-residential-electricity": "abc",
            "cell-industry-coal": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'name="cell-residential-heat" value="1 200,5"' in html
    assert 'name="cell-residential-electricity" value="abc"' in html
    assert 'name="cell-industry-coal" value=""' in html  # emptied, not the stored 900
    # The totals add up what is shown (the bad cell as zero), not what is stored.
    assert 'data-row-total="residential">1,200.5<' in html
    assert 'data-row-total="industry">0<' in html
    assert "data-grand-total>1,200.5<" in html


def test_the_publish_confirmation_runs_the_same_queries_small_or_large(staff_client):
    small = factories.inventory(year=2012, published=False, cells=DISTRICT_HEAT)
    large = factories.full_inventory(year=2018, rows=5, published=False)
    counts = []
    for inv in (small, large):
        with CaptureQueriesContext(connection) as context:
            assert (
                staff_client.get(f"/staff/climate/inventories/{inv.pk}/publish/").status_code == 200
            )
        counts.append(len(context))
    assert counts[0] == counts[1]
