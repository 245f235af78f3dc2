"""Staff sign in from the home page and land on their work page."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Consultation, Proposal
from tests import factories
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/work/shots/numbers"


@pytest.fixture
def draft_in_consultation():
    draft = factories.VersionFactory(number=2)
    build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=2)
    now = timezone.now()
    consultation = Consultation.objects.create(
        version=draft,
        title="Plano projekto viešas aptarimas",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=14),
    )
    Proposal.objects.create(
        consultation=consultation,
        author=factories.UserFactory(username="gyventoja"),
        text="Įrengti dviračių taką iki mokyklos",
        public_number=1,
    )
    return draft


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_log_in_and_land_on_their_work_page(page, draft_in_consultation, width):
    factories.UserFactory(username="planuotoja", role="staff")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/")
    page.locator("header").get_by_role("link", name="Prisijungti").click()
    page.fill("#id_username", "planuotoja")
    page.fill("#id_password", "secret-pass-123")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/accounts/work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mano darbai")
    drafts = page.locator("#work-drafts")
    expect(drafts.get_by_role("heading", level=2)).to_contain_text("Rengiami projektai")
    title = draft_in_consultation.plan.title
    expect(drafts.get_by_role("link", name=title, exact=False)).to_be_visible()
    proposals = page.locator("#work-proposals")
    expect(proposals).to_contain_text("1 pasiūlymas laukia atsakymo")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_axe_violations(page, f"work page at {width} px")
    if os.path.isdir(SHOTS):
        page.screenshot(path=f"{SHOTS}/work-{width}.png", full_page=True)

    # The header leads back to it; a proposal is one click away.
    expect(page.locator("header").get_by_role("link", name="Mano darbai")).to_be_attached()
    proposals.get_by_role("link", name="Plano projekto viešas aptarimas").click()
    expect(page.locator("main")).to_contain_text("Įrengti dviračių taką iki mokyklos")
    assert_no_axe_violations(page, f"proposals to answer at {width} px")
