"""Staff fill in an indicator's description card; a visitor reads it on its page."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Indicator, Measure, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_fill_a_card_and_a_visitor_reads_it(new_page):
    factories.UserFactory(username="staff-browser", role="staff")
    version = factories.VersionFactory(number=1, status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    measure = Measure.objects.get(version=version)

    staff = new_page()
    login(staff, "staff-browser")
    staff.goto(f"/staff/nodes/measure/{measure.pk}/")
    # "Pridėti rodiklį" saves the measure's form first, then opens the indicator form.
    staff.click("button[name=add_indicator]")
    staff.wait_for_url(re.compile(rf"/staff/nodes/measure/{measure.pk}/indicators/add/"))
    assert_no_axe_violations(staff, "indicator form")
    # Until the integrator merges this branch's translations the labels are English.
    card = staff.get_by_role("group", name=re.compile("Aprašymo kortelė|Description card"))
    expect(card).to_be_visible()
    staff.fill("#id_code", "P-01")
    staff.fill("#id_name", "Pasodinti medžiai")
    staff.fill("#id_unit", "vnt.")
    card.locator("#id_definition").fill("Per metus pasodintų medžių skaičius.")
    card.locator("#id_calculation_method").fill("Seniūnijų ataskaitų suma.")
    card.locator("#id_data_source").fill("Seniūnijų ataskaitos")
    card.locator("#id_frequency").fill("Kasmet")
    card.locator("#id_responsible_body").fill("Aplinkosaugos skyrius")
    staff.fill("#id_targets-0-year", "2020")
    staff.fill("#id_targets-0-value", "1 500")
    staff.locator("main form button[type=submit]:not([name])").first.click()
    staff.wait_for_url(re.compile(rf"/staff/nodes/measure/{measure.pk}/"))

    indicator = Indicator.objects.get(measure=measure, name="Pasodinti medžiai")
    assert (indicator.code, indicator.frequency) == ("P-01", "Kasmet")

    # Approved, the version is public; an anonymous visitor follows the
    # indicator from its measure's page to the card.
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    visitor = new_page()
    visitor.goto(f"/versions/{version.pk}/measures/{measure.pk}/")
    visitor.locator("#indicators").get_by_role("link", name=re.compile("Pasodinti medžiai")).click()
    visitor.wait_for_url(re.compile(rf"/versions/{version.pk}/indicators/{indicator.pk}/$"))

    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Pasodinti medžiai")
    fields = visitor.locator("#indicator-card")
    expect(fields).to_contain_text("Seniūnijų ataskaitų suma.")
    expect(fields).to_contain_text("Aplinkosaugos skyrius")
    # Remarks were left empty: the card says so rather than leave a gap.
    expect(fields).to_contain_text("Nenurodyta")
    expect(visitor.locator("#targets tbody")).to_contain_text("1\u00a0500")
    assert_no_axe_violations(visitor, "indicator card")
