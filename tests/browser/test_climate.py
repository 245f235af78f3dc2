"""Climate pages in a real browser: staff type into the Table A grid and see
the totals follow; axe-core finds no WCAG 2.1 A/AA violation on any climate
page, public or staff."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from climate import services
from climate.models import Consumption
from plans.models import Measure, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.climate import factories as climate_factories
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def climate_data():
    climate_factories.ensure_default_factors()
    user = factories.UserFactory(username="klimatas", role="staff")
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    measure = Measure.objects.filter(version=version).order_by("code").first()
    baseline = climate_factories.inventory(
        user=user,
        year=2012,
        population=87000,
        cells={
            ("residential", "electricity"): "98000",
            ("residential", "natural_gas"): "135000",
            ("private_transport", "diesel"): "365000",
        },
    )
    monitoring = climate_factories.full_inventory(user=user, year=2018, rows=1)
    services.target_set(user=user, percent=Decimal(20), year=2020, kind="absolute")
    seap = services.seap_measure_create(
        user=user,
        plan=version.plan,
        measure_key=measure.key,
        title="Gatvių apšvietimo modernizavimas",
        sector="public_lighting",
        start_year=2015,
        end_year=2019,
        energy_saving_mwh=Decimal(2900),
        co2_reduction_t=Decimal(450),
    )
    # What it achieved: the achieved columns, table and chart line show.
    services.seap_progress_set(
        user=user, measure=seap, year=2016, status="in_progress", co2_reduction_t="150"
    )
    services.seap_progress_set(
        user=user,
        measure=seap,
        year=2017,
        status="delayed",
        co2_reduction_t="170",
        note="Užsitęsė pirkimai.",
    )
    return {
        "baseline": baseline,
        "monitoring": monitoring,
        "seap": seap,
        "version": version,
        "measure": measure,
    }


def test_staff_enter_part_of_table_a_and_see_the_totals(page, climate_data):
    inventory = climate_data["baseline"]
    login(page, "klimatas")
    page.goto(f"/staff/climate/inventories/{inventory.pk}/")
    assert_no_axe_violations(page, "Table A editor")

    # Each cell is named by its row and column (Lithuanian once translated, English until then).
    municipal = re.compile(
        r"^(Savivaldybės pastatai, įranga ir įrenginiai"
        r"|Municipal buildings, equipment and facilities) (Elektra|Electricity)$"
    )
    residential = re.compile(
        r"^(Gyvenamieji pastatai|Residential buildings) (Elektra|Electricity)$"
    )
    page.get_by_role("textbox", name=municipal).fill("1 000,5")
    page.get_by_role("textbox", name=residential).fill("2000")
    expect(page.locator('[data-row-total="municipal_buildings"]')).to_have_text("1\u00a0000,5")
    # The electricity column: 1 000,5 + 2 000 = 3 000,5.
    expect(page.locator('[data-col-total="electricity"]')).to_have_text("3\u00a0000,5")
    # Residential: 2 000 + 135 000 = 137 000.
    expect(page.locator('[data-row-total="residential"]')).to_have_text("137\u00a0000")
    # All: 1 000,5 + 2 000 + 135 000 + 365 000 = 503 000,5.
    expect(page.locator("[data-grand-total]")).to_have_text("503\u00a0000,5")

    page.locator("form[data-climate-grid] button[type=submit]").click()
    expect(page.locator("[data-grand-total]")).to_have_text("503\u00a0000,5")  # now from the server
    saved = Consumption.objects.get(
        inventory=inventory, sector="municipal_buildings", carrier="electricity"
    )
    assert saved.mwh == Decimal("1000.5")


def test_a_bad_cell_is_named_and_nothing_is_saved(page, climate_data):
    inventory = climate_data["baseline"]
    login(page, "klimatas")
    page.goto(f"/staff/climate/inventories/{inventory.pk}/")
    page.fill("#cell-industry-coal", "-7")
    page.locator("form[data-climate-grid] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#cell-industry-coal")).to_have_attribute("aria-invalid", "true")
    assert not Consumption.objects.filter(inventory=inventory, carrier="coal").exists()
    assert_no_axe_violations(page, "Table A editor with an error")


def test_every_public_climate_page_passes_axe(page, climate_data):
    version, measure = climate_data["version"], climate_data["measure"]
    for url in [
        "/climate/",
        f"/climate/inventories/{climate_data['baseline'].pk}/",
        f"/climate/inventories/{climate_data['monitoring'].pk}/",
        "/climate/measures/",
        f"/versions/{version.pk}/measures/{measure.pk}/",
    ]:
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        assert_no_axe_violations(page, url)
    expect(page.locator(".climate-impact")).to_contain_text("450")


def test_every_staff_climate_page_passes_axe(page, climate_data):
    login(page, "klimatas")
    monitoring = climate_data["monitoring"]
    for url in [
        "/staff/climate/",
        f"/staff/climate/inventories/{monitoring.pk}/",
        f"/staff/climate/inventories/{monitoring.pk}/other/",
        f"/staff/climate/inventories/{monitoring.pk}/delete/",
        "/staff/climate/factors/",
        "/staff/climate/measures/",
        "/staff/climate/measures/new/",
        f"/staff/climate/measures/{climate_data['seap'].pk}/",
        f"/staff/climate/measures/{climate_data['seap'].pk}/delete/",
        f"/staff/climate/measures/{climate_data['seap'].pk}/progress/",
    ]:
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        assert_no_axe_violations(page, url)


SHOTS = "/work/shots/climate"


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_an_energy_manager_publishes_a_draft_inventory_after_the_missing_factor_warning(
    new_page, climate_data, width
):
    """Issue 15: a new inventory is a draft the public cannot see; district heat
    without a factor is a warning on every page; staff publish through a
    confirmation that repeats it."""
    from climate.models import Inventory

    staff, public = new_page(), new_page()
    for p in (staff, public):
        p.set_viewport_size({"width": width, "height": 900})
    login(staff, "klimatas")
    staff.goto("/staff/climate/")
    staff.select_option("#id_new-kind", "monitoring")
    staff.fill("#id_new-year", "2016")
    staff.fill("#id_new-population", "98 450")  # grouped as people write it
    staff.locator("form[action$='/inventories/new/'] button[type=submit]").click()
    staff.wait_for_load_state("networkidle")
    inventory = Inventory.objects.get(kind="monitoring", year=2016)
    assert inventory.population == 98450 and inventory.status == "draft"
    expect(staff.locator(".climate-draft")).to_be_visible()

    # District heat without a heat factor or Table D: a warning, not a silent zero.
    staff.fill("#cell-residential-heat", "152 500")
    staff.locator("form[data-climate-grid] button[type=submit]").click()
    staff.wait_for_load_state("networkidle")
    warning = staff.locator(".climate-warnings")
    expect(warning).to_contain_text("152\u00a0500")
    # The sector column stays in view when Table A scrolls sideways.
    wrap = staff.locator(".climate-grid-form .climate-table-wrap")
    sector = staff.locator("#row-residential")
    before = sector.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 600; }")
    assert wrap.evaluate("el => el.scrollLeft") > 0 or width == 1366
    assert abs(sector.bounding_box()["x"] - before) < 1
    wrap.evaluate("el => { el.scrollLeft = 0; }")
    assert _no_sideways_scroll(staff)
    assert_no_axe_violations(staff, "draft inventory's Table A with a warning")
    staff.screenshot(path=f"{SHOTS}/staff-table-a-draft-{width}.png", full_page=True)

    # The public does not find the draft.
    response = public.goto(f"/climate/inventories/{inventory.pk}/")
    assert response.status == 404
    public.goto("/climate/")
    expect(public.locator("main")).not_to_contain_text("MEI 2016")

    # Publishing asks first, repeating the warning.
    staff.locator(".climate-draft a").click()
    staff.wait_for_load_state("networkidle")
    expect(staff.locator("main h1")).to_contain_text("MEI 2016")
    expect(staff.locator(".climate-warnings")).to_contain_text("152\u00a0500")
    assert Inventory.objects.get(pk=inventory.pk).status == "draft"
    assert _no_sideways_scroll(staff)
    assert_no_axe_violations(staff, "publish confirmation")
    staff.screenshot(path=f"{SHOTS}/staff-publish-confirm-{width}.png", full_page=True)
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_load_state("networkidle")
    assert Inventory.objects.get(pk=inventory.pk).status == "published"
    expect(staff.locator(".climate-draft")).to_have_count(0)

    # Now public, with the warning beside the figures.
    public.goto(f"/climate/inventories/{inventory.pk}/")
    expect(public.locator(".climate-warnings")).to_contain_text("152\u00a0500")
    assert_no_axe_violations(public, "published inventory with a warning")
    public.screenshot(path=f"{SHOTS}/public-inventory-{width}.png", full_page=True)
    public.goto("/climate/")
    expect(public.locator("main")).to_contain_text("MEI 2016")
    expect(public.locator(".climate-warnings").first).to_be_visible()
    assert _no_sideways_scroll(public)
    # The charts' smallest text is readable at this width (at least 10 px).
    smallest = public.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.climate-chart')].map(svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const sizes = [...svg.querySelectorAll('text')].map(t => +t.getAttribute('font-size'));
            return Math.min(...sizes) * scale;
        }))"""
    )
    assert smallest >= 10, smallest
    assert_no_axe_violations(public, "climate overview")
    public.screenshot(path=f"{SHOTS}/public-overview-{width}.png", full_page=True)
