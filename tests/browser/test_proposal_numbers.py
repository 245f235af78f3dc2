"""One proposal number in the page, the proposal's own page, the CSV and the
XLSX (downloaded through the page and parsed), at desktop and phone widths
with axe-core on every page; and the staff's confirmation before publishing
every prepared answer."""

import csv
import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from consultations import services
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree
from tests.consultations.conftest import open_consultation
from tests.xlsx_checks import open_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SHOTS = Path(os.environ.get("CONSULTNUMBERS_SHOTS", "/work/shots/consultnumbers"))


def _shot(page, name):
    # Screenshots for the reviewers, when the folder exists (never required).
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def setup(db):
    from django.core.cache import cache

    cache.clear()
    staff = factories.UserFactory(username="staff-member", role="staff")
    version = build_plan_tree(
        factories.VersionFactory(status="draft", number=2),
        priorities=1,
        goals=1,
        tasks=1,
        measures=2,
    )
    consultation = open_consultation(version, staff)
    residents = [
        factories.UserFactory(username=f"gyventoja{n}", first_name="Ona", last_name=f"Ona{n}")
        for n in range(3)
    ]
    texts = [
        "Siūlau įrengti dviračių taką iki mokyklos.",
        "Reklama: pigūs langai, skambinkite dabar.",
        "Siūlau apšviesti perėją prie darželio.",
    ]
    proposals = [
        services.proposal_submit(user=r, consultation=consultation, text=t)
        for r, t in zip(residents, texts, strict=True)
    ]
    services.proposal_hide(user=staff, proposal=proposals[1], reason="Reklama")
    services.proposal_support(user=residents[0], proposal=proposals[2])
    return {"consultation": consultation, "proposals": proposals, "staff": staff}


def _download(page, link_name):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("width", WIDTHS)
def test_one_number_in_the_page_its_own_page_the_csv_and_the_xlsx(page, setup, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    consultation, proposals = setup["consultation"], setup["proposals"]
    third = proposals[2]
    assert third.public_number == 3

    page.goto(f"/consultations/{consultation.pk}/")
    card = page.locator("#proposal-3")
    expect(card).to_contain_text("Pasiūlymas Nr. 3")
    assert_no_axe_violations(page, f"consultation page ({width})")
    card.get_by_role("link", name="Pasiūlymas Nr. 3", exact=True).click()

    expect(page).to_have_url(
        f"{page.url.split('/consultations/')[0]}/consultations/{consultation.pk}/proposals/3/"
    )
    expect(page.locator("h1")).to_have_text("Pasiūlymas Nr. 3")
    expect(page.locator("main")).to_contain_text("Siūlau apšviesti perėją prie darželio.")
    assert_no_axe_violations(page, f"proposal page ({width})")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, f"proposal-page-{width}")

    # The hidden one keeps number 2: the public finds no page for it.
    response = page.goto(f"/consultations/{consultation.pk}/proposals/2/")
    assert response.status == 404

    page.goto(f"/consultations/{consultation.pk}/outcome/")
    table = page.locator("table.outcome-table")
    expect(table.get_by_role("link", name="3", exact=True)).to_have_attribute(
        "href", f"/consultations/{consultation.pk}/proposals/3/"
    )
    expect(table.get_by_role("link", name="2", exact=True)).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Žemiau pateikti 2 pasiūlymai.")
    assert_no_axe_violations(page, f"outcome page ({width})")
    _shot(page, f"outcome-{width}")

    raw = _download(page, "Atsisiųsti CSV").decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(raw)))
    by_number = {row[0]: row for row in rows[1:]}
    assert set(by_number) == {"1", "3"}
    assert by_number["3"][3] == "Siūlau apšviesti perėją prie darželio."

    book = open_workbook(_download(page, "Atsisiųsti XLSX"))
    sheet = book.worksheets[0]
    numbers = {row[0]: row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(numbers) == {1, 3}
    assert numbers[3] == "Siūlau apšviesti perėją prie darželio."


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_see_what_publishing_all_answers_does_before_it_is_done(page, setup, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    consultation, proposals, staff = setup["consultation"], setup["proposals"], setup["staff"]
    for proposal in (proposals[0], proposals[2]):
        services.proposal_answer(
            user=staff, proposal=proposal, status="partly_accepted", text="Iš dalies pritarta."
        )
    login(page, "staff-member")
    page.goto(f"/consultations/staff/proposals/{proposals[0].pk}/")
    assert_no_axe_violations(page, f"staff proposal ({width})")
    page.goto(f"/consultations/staff/{consultation.pk}/")
    page.get_by_role("link", name="Paskelbti visus parengtus atsakymus").click()
    main = page.locator("main")
    expect(main).to_contain_text("2 parengti atsakymai bus iš karto paskelbti")
    # Two authors and one supporter (gyventoja0 supports No. 3 and wrote No. 1).
    expect(main).to_contain_text("Laiškus gaus 2 gyventojai")
    assert_no_axe_violations(page, f"publish confirmation ({width})")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _shot(page, f"publish-confirmation-{width}")
    page.get_by_role("button", name="Paskelbti 2 atsakymus ir išsiųsti laiškus").click()
    expect(page.locator("body")).to_contain_text("Paskelbta atsakymų: 2")

    page.goto(f"/consultations/{consultation.pk}/proposals/1/")
    expect(page.locator(".proposal-answer")).to_contain_text("Iš dalies pritarta.")
