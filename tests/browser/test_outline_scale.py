"""The staff outline at the size of a real plan: folding remembered, going to
a code, a move to a chosen place from a row's menu, and typing that survives
another item's move; at a desktop's and a phone's width, axe on every state."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Goal, Measure, Priority, Task
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1366, 390]


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def open_outline(page, version, width):
    factories.UserFactory(username="staff-browser", role="staff")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "staff-browser")
    page.goto(f"/staff/versions/{version.pk}/outline/")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_folded_level_stays_folded_and_going_to_a_code_unfolds_its_path(page, width):
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=3, goals=2, tasks=2, measures=2, with_details=False)
    goal = Goal.objects.get(version=version, code="B.2")
    measure = Measure.objects.get(version=version, code="B.2.1.2")
    open_outline(page, version, width)
    assert_no_axe_violations(page, f"staff outline at {width} px")
    assert fits(page)

    toggle = page.locator(f"button.node-toggle[aria-controls='children-goal-{goal.pk}']")
    children = page.locator(f"#children-goal-{goal.pk}")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # By keyboard, as a disclosure button.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()

    page.reload()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(children).to_be_hidden()
    assert_no_axe_violations(page, f"staff outline with a folded goal at {width} px")

    # "Go to an item" with a code inside the folded goal opens the way to it.
    page.fill("#outline-goto", "b.2.1.2")
    page.locator(".outline-jump button[type=submit]").click()
    expect(page.locator(f"#node-measure-{measure.pk}:focus")).to_have_count(1)
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#node-measure-{measure.pk}")).to_be_in_viewport()

    # A code nothing has is said in the status region.
    page.fill("#outline-goto", "Z.9")
    page.locator(".outline-jump button[type=submit]").click()
    expect(page.locator("#outline-status")).to_contain_text("Z.9")

    # "Collapse all", then the address of an item: the fragment opens its path.
    page.locator("[data-outline-expand=none]").click()
    expect(page.locator(f"#node-measure-{measure.pk}")).to_be_hidden()
    page.goto("/staff/")
    page.goto(f"/staff/versions/{version.pk}/outline/#node-B.2.1.2")
    expect(page.locator(f"#node-measure-{measure.pk}:focus")).to_have_count(1)
    expect(page.locator(f"#node-measure-{measure.pk}")).to_be_visible()
    other = Priority.objects.get(version=version, code="A")
    expect(page.locator(f"#children-priority-{other.pk}")).to_be_hidden()
    assert fits(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_move_to_a_chosen_place_keeps_the_form_open_in_another_row(page, width):
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=3, goals=2, tasks=2, measures=2, with_details=False)
    measure = Measure.objects.get(version=version, code="A.1.1.1")
    target = Task.objects.get(version=version, code="B.2.2")
    was_first = Measure.objects.get(version=version, code="B.2.2.1")
    editing = Goal.objects.get(version=version, code="B.1")
    open_outline(page, version, width)

    # Another row's inline editor is open, with text typed and not saved.
    page.click(f"#node-goal-{editing.pk} ~ .node-actions > a:first-child")
    editor = page.locator(f"#slot-goal-{editing.pk} form")
    title = editor.get_by_label(re.compile("Pavadinimas"))
    title.fill("Neišsaugotas tikslo pavadinimas")
    editor.get_by_label(re.compile("Aprašymas")).fill("Ką tik įvesta")

    # The measure's menu: "Move to…", then a place before B.2.2.1.
    row = page.locator(f"li:has(> #node-measure-{measure.pk})")
    row.locator(".node-menu > summary").click()
    expect(row.locator(".node-menu-items")).to_be_visible()
    assert fits(page)
    assert_no_axe_violations(page, f"staff outline with a menu open at {width} px")
    row.locator(".node-menu-items a[href$='/move/']").click()
    expect(row.locator(".node-menu")).not_to_have_attribute("open", "")
    move_form = page.locator(f"#slot-measure-{measure.pk} form")
    move_form.locator("select").select_option(f"{target.pk}:1")
    assert_no_axe_violations(page, f"staff outline with the move form at {width} px")
    page.evaluate("window.__same_page = true")
    move_form.locator("button[type=submit]").click()

    moved = page.locator(f"#node-measure-{measure.pk}")
    expect(moved.locator(".node-code")).to_have_text("B.2.2.1")
    expect(page.locator(f"#node-measure-{was_first.pk} .node-code")).to_have_text("B.2.2.2")
    expect(page.locator(f"#node-measure-{measure.pk}:focus")).to_have_count(1)
    assert page.evaluate("window.__same_page") is True
    expect(page.locator(f"#slot-measure-{measure.pk}")).to_be_empty()

    # The other row's editor is still there with what was typed.
    editor = page.locator(f"#slot-goal-{editing.pk} form")
    expect(editor.get_by_label(re.compile("Pavadinimas"))).to_have_value(
        "Neišsaugotas tikslo pavadinimas"
    )
    expect(editor.get_by_label(re.compile("Aprašymas"))).to_have_value("Ką tik įvesta")

    # "Up" from a menu re-renders the outline again; the editor stays, and
    # focus stays on the button pressed, in its menu.
    third = Priority.objects.get(version=version, code="C")
    priority_row = page.locator(f"li:has(> #node-priority-{third.pk})")
    priority_row.locator("> .node-actions .node-menu > summary").click()
    priority_row.locator("> .node-actions form:has(input[value=up]) button").click()
    expect(page.locator(f"#node-priority-{third.pk} .node-code")).to_have_text("B")
    expect(page.locator("form:has(input[value=up]) button:focus")).to_have_count(1)
    expect(priority_row.locator("> .node-actions .node-menu")).to_have_attribute("open", "")
    expect(page.locator(f"#slot-goal-{editing.pk} form input[name$='-title']")).to_have_value(
        "Neišsaugotas tikslo pavadinimas"
    )
    assert_no_axe_violations(page, f"staff outline after two moves at {width} px")
    assert fits(page)

    # Saving the kept editor still works: it was not re-rendered, only moved back.
    page.locator(f"#slot-goal-{editing.pk} form button[type=submit]").click()
    expect(page.locator(f"#node-goal-{editing.pk} .node-title")).to_have_text(
        "Neišsaugotas tikslo pavadinimas"
    )
    measure.refresh_from_db()
    # Priority B went down when C went up, and the measure with it.
    assert (measure.task_id, measure.code) == (target.pk, "C.2.2.1")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_measure_page_keeps_what_was_typed_and_asks_before_leaving(page, width):
    version = factories.VersionFactory(number=2)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    measure = Measure.objects.get(version=version, code="A.1.1.1")
    open_outline(page, version, width)
    page.goto(f"/staff/nodes/measure/{measure.pk}/")
    assert_no_axe_violations(page, f"measure edit page at {width} px")

    page.fill("#id_start_year", "2016")
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("main a", has_text="Grįžti į struktūrą").first.click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert re.search(rf"/staff/nodes/measure/{measure.pk}/$", page.url)
    page.remove_listener("dialog", stay)

    # "Pridėti rodiklį" saves the year typed above on the way to the new indicator.
    page.click("button[name=add_indicator]")
    page.wait_for_url(re.compile(rf"/staff/nodes/measure/{measure.pk}/indicators/add/$"))
    assert_no_axe_violations(page, f"new indicator page at {width} px")
    measure.refresh_from_db()
    assert measure.start_year == 2016
