"""Staff enter a measure's funding as a grid: paste from a spreadsheet, totals, save."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from plans.models import FundingLine, FundingSource, Measure
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}

# Three rows of two cells, as Excel puts them on the clipboard: tabs between
# cells, a line break after each row, Lithuanian and English decimals, an
# empty cell.
EXCEL_BLOCK = "1 234,56\t1000\r\n2000.5\t\r\n300\t400,44\r\n"

PASTE = """text => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  document.activeElement.dispatchEvent(
    new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
  );
}"""


def text_of(page, selector):
    return page.locator(selector).inner_text().replace("\xa0", " ").replace("\u202f", " ")


def no_page_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page, name):
    folder = os.environ.get("FUNDING_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_paste_a_block_from_excel_see_totals_save_and_are_refused_outside_the_period(
    page, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    factories.UserFactory(username="staff-browser", role="staff")
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    factories.FundingSourceFactory(code="VB", name="Valstybės biudžetas")
    # The grid's columns in the sources' order: SB, ES, VB.
    for position, code in enumerate(("SB", "ES", "VB")):
        FundingSource.objects.filter(code=code).update(position=position)
    measure = Measure.objects.get(version=version)  # 2014–2020, SB and ES in 2016
    sb, es = (FundingSource.objects.get(code=code) for code in ("SB", "ES"))

    login(page, "staff-browser")
    page.goto(f"/staff/nodes/measure/{measure.pk}/")
    page.click("#edit-funding")
    page.wait_for_url(re.compile(rf"/staff/measures/{measure.pk}/funding/$"))
    expect(page.locator("h1")).to_contain_text("Finansavimas")
    assert_no_axe_violations(page, f"funding grid ({width})")
    assert no_page_overflow(page)
    shot(page, f"grid-{width}")

    # Paste the block from 2017 SB on: it fills 2017–2019 × SB, ES.
    page.focus(f"[name=cell-2017-{sb.pk}]")
    page.evaluate(PASTE, EXCEL_BLOCK)
    assert page.input_value(f"[name=cell-2017-{sb.pk}]") == "1 234,56"
    assert page.input_value(f"[name=cell-2018-{es.pk}]") == ""
    assert page.input_value(f"[name=cell-2019-{es.pk}]") == "400,44"
    expect(page.locator("[data-grid-status]")).to_have_text("Įklijuota langelių: 6.")
    # Row 2017, column SB and the grand total, computed as the cells change.
    assert text_of(page, "[data-row-total='3']") == "2 234,56"
    assert text_of(page, "[data-col-total='0']") == "13 535,06"
    assert text_of(page, "#funding-grid-total") == "24 935,50"

    # The arrow keys and Enter move between cells (Enter does not submit).
    page.keyboard.press("ArrowDown")
    expect(page.locator(f"[name=cell-2018-{sb.pk}]")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"[name=cell-2019-{sb.pk}]")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"[name=cell-2019-{es.pk}]")).to_be_focused()
    assert no_page_overflow(page)
    shot(page, f"grid-pasted-{width}")

    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{measure.pk}/"))
    assert text_of(page, "#funding-grand-total") == "24 935,50"
    expect(page.locator("#funding-totals")).to_contain_text("2019")
    assert_no_axe_violations(page, f"measure page after saving the grid ({width})")
    assert no_page_overflow(page)
    shot(page, f"measure-{width}")
    assert sorted(
        FundingLine.objects.filter(measure=measure).values_list("year", "source__code", "amount")
    ) == [
        (2016, "ES", Decimal("10000.00")),
        (2016, "SB", Decimal("10000.00")),
        (2017, "ES", Decimal("1000.00")),
        (2017, "SB", Decimal("1234.56")),
        (2018, "SB", Decimal("2000.50")),
        (2019, "ES", Decimal("400.44")),
        (2019, "SB", Decimal("300.00")),
    ]

    # The measure now runs 2014–2018 (as saved before the rule): the 2019
    # money shows outside the period and is refused until it is removed.
    Measure.objects.filter(pk=measure.pk).update(end_year=2018)
    page.click("#edit-funding")
    expect(page.locator("#funding-outside-note")).to_contain_text("2019")
    page.fill(f"[name=cell-2014-{sb.pk}]", "50")
    page.locator("main form button[type=submit]").click()
    message = "2019 m. finansavimas nepatenka į priemonės laikotarpį 2014–2018."
    expect(page.locator(".error-summary")).to_contain_text(message)
    expect(page.locator(f"#id_cell-2019-{sb.pk}_error")).to_have_text(message)
    # What was typed is kept.
    assert page.input_value(f"[name=cell-2014-{sb.pk}]") == "50"
    assert_no_axe_violations(page, f"funding grid with a refusal ({width})")
    assert no_page_overflow(page)
    shot(page, f"grid-refused-{width}")
    assert not FundingLine.objects.filter(measure=measure, year=2014).exists()
