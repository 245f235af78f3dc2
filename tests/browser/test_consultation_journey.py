"""Public consultation in the browser: a resident's whole journey, scripts that
never run, axe-core on every consultation page, and the keyboard alone."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations import services
from consultations.models import Proposal
from plans.models import Measure
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree
from tests.consultations.conftest import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^\s]+")
SCRIPT = (
    '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Siūlymas su kodu'
)


@pytest.fixture
def setup(db):
    from django.core.cache import cache

    cache.clear()
    staff = factories.UserFactory(
        username="staff-member", role="staff", first_name="Ieva", last_name="Butkutė"
    )
    version = build_plan_tree(
        factories.VersionFactory(status="draft", number=2),
        priorities=1,
        goals=1,
        tasks=1,
        measures=2,
    )
    consultation = open_consultation(version, staff)
    measure = Measure.objects.filter(version=version).order_by("code").first()
    return {"staff": staff, "consultation": consultation, "measure": measure, "version": version}


def _tab_to(page, selector, limit=80):
    """Press Tab until ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def test_resident_registers_proposes_on_a_measure_and_reads_the_answer(page, new_page, setup):
    consultation, measure = setup["consultation"], setup["measure"]
    measure_url = f"/versions/{setup['version'].pk}/measures/{measure.pk}/"

    # The measure's page of the draft under consultation offers to propose.
    page.goto(measure_url)
    assert_no_axe_violations(page, "measure page under consultation")
    propose = page.locator(
        f"a[href='/consultations/{consultation.pk}/propose/?target={measure.key}']"
    )
    expect(propose).to_be_visible()
    propose_url = propose.get_attribute("href")

    # Register (the accounts app's pages), confirm by the link in the e-mail.
    page.goto(f"/accounts/register/?next={propose_url}")
    page.fill("#id_email", "ona.petraitiene@example.lt")
    page.fill("#id_first_name", "Ona")
    page.fill("#id_last_name", "Petraitienė")
    page.fill("#id_password", "Rudeninis-lapas-42")
    page.fill("#id_password_confirm", "Rudeninis-lapas-42")
    page.check("#id_consent")
    page.click("main form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/accounts/register/sent/"))
    link = LINK.search(mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("main button[type=submit]")
    if "/propose/" not in page.url:
        page.goto(propose_url)
    expect(page).to_have_url(re.compile(r"/propose/"))
    assert_no_axe_violations(page, "proposal form")

    # Propose on the measure, with the name shown.
    page.fill("#id_text", "Siūlau priemonę papildyti apšviestomis pėsčiųjų perėjomis prie mokyklų.")
    page.check("#id_show_name")
    page.check("#id_consent")
    page.click("main form.proposal-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/consultations/mine/"))
    assert_no_axe_violations(page, "my proposals")
    proposal = Proposal.objects.get()
    assert (
        proposal.target_key == measure.key and proposal.author.email == "ona.petraitiene@example.lt"
    )
    expect(page.locator(f"#proposal-{proposal.pk} .badge")).to_have_text(re.compile(r"\S"))

    # Staff answer and publish in their own browser.
    staff_page = new_page()
    login(staff_page, "staff-member")
    staff_page.goto(f"/consultations/staff/proposals/{proposal.pk}/")
    staff_page.check("input[name=status][value=partly_accepted]")
    staff_page.fill(
        "#id_text", "Iš dalies pritarta: perėjos prie dviejų mokyklų įtrauktos į priemonę."
    )
    mail.outbox.clear()
    staff_page.click("button[name=action][value=save_publish]")
    staff_page.wait_for_load_state("networkidle")

    # The resident is told by e-mail, and sees the answer.
    assert [m.to for m in mail.outbox] == [["ona.petraitiene@example.lt"]]
    page.goto("/consultations/mine/")
    # "My proposals" spans consultations: its cards are named by the proposal's id.
    expect(page.locator(f"#proposal-{proposal.pk} .proposal-answer")).to_contain_text(
        "Iš dalies pritarta"
    )
    page.goto(f"/consultations/{consultation.pk}/")
    card = page.locator(f"#proposal-{proposal.public_number}")
    expect(card).to_contain_text("Ona Petraitienė")
    expect(card).not_to_contain_text("@")


def test_a_script_in_a_proposal_never_runs(page, setup):
    consultation, staff = setup["consultation"], setup["staff"]
    author = factories.UserFactory(username="scripter")
    proposal = services.proposal_submit(
        user=author, consultation=consultation, text=SCRIPT, target=str(setup["measure"].key)
    )
    services.proposal_answer(
        user=staff, proposal=proposal, status="not_accepted", text=SCRIPT, publish=True
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    login(page, "scripter")
    for url in (
        f"/consultations/{consultation.pk}/",
        f"/consultations/{consultation.pk}/outcome/",
        "/consultations/mine/",
        f"/consultations/proposals/{proposal.pk}/report/",
    ):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("() => window.__pwned") is None, url
        expect(page.locator("main")).to_contain_text("<script>window.__pwned = 1</script>")
    assert dialogs == []


def test_every_consultation_page_passes_axe_for_residents_and_staff(page, new_page, setup):
    consultation, measure = setup["consultation"], setup["measure"]
    author = factories.UserFactory(username="resident-user", first_name="Jonas", last_name="Rimkus")
    mine = services.proposal_submit(
        user=author,
        consultation=consultation,
        text="Siūlau pratęsti dviračių taką.",
        target=str(measure.key),
        show_name=True,
    )
    other = services.proposal_submit(
        user=setup["staff"], consultation=consultation, text="Pasiūlymas visam planui."
    )
    services.proposal_answer(
        user=setup["staff"],
        proposal=other,
        status="already_in_plan",
        text="Jau yra plane.",
        publish=True,
    )
    hidden = services.proposal_submit(
        user=setup["staff"], consultation=consultation, text="Reklama čia."
    )
    services.proposal_hide(user=setup["staff"], proposal=hidden, reason="Reklama")

    for url in (
        "/consultations/",
        f"/consultations/{consultation.pk}/",
        f"/consultations/{consultation.pk}/outcome/",
        f"/consultations/{consultation.pk}/?status=pending",
        f"/consultations/{consultation.pk}/?q=dviračių&sort=supported",
        f"/versions/{setup['version'].pk}/",
    ):
        page.goto(url)
        assert_no_axe_violations(page, f"anonymous {url}")

    login(page, "resident-user")
    for url in (
        f"/consultations/{consultation.pk}/",
        f"/consultations/{consultation.pk}/propose/",
        f"/consultations/{consultation.pk}/propose/?target={measure.key}",
        "/consultations/mine/",
        f"/consultations/proposals/{mine.pk}/edit/",
        f"/consultations/proposals/{mine.pk}/withdraw/",
        f"/consultations/proposals/{other.pk}/report/",
    ):
        page.goto(url)
        assert_no_axe_violations(page, f"resident {url}")
    # A form with errors: announced, and still accessible.
    page.goto(f"/consultations/{consultation.pk}/propose/")
    page.click("main form.proposal-form button[type=submit]")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page, "proposal form with errors")

    staff_page = new_page()
    login(staff_page, "staff-member")
    draft = factories.VersionFactory(status="draft")
    for url in (
        "/consultations/staff/",
        f"/consultations/staff/open/{draft.pk}/",
        f"/consultations/staff/{consultation.pk}/",
        f"/consultations/staff/proposals/{mine.pk}/",
    ):
        staff_page.goto(url)
        assert_no_axe_violations(staff_page, f"staff {url}")


def test_keyboard_only_a_resident_tabs_to_the_form_types_and_submits_with_enter(page, setup):
    consultation, measure = setup["consultation"], setup["measure"]
    factories.UserFactory(username="keyboard-user")
    login(page, "keyboard-user")
    page.goto(f"/versions/{setup['version'].pk}/measures/{measure.pk}/")
    propose_link = f"a[href='/consultations/{consultation.pk}/propose/?target={measure.key}']"
    _tab_to(page, propose_link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/propose/"))
    _tab_to(page, "#id_text")
    page.keyboard.type("Siūlau įrengti suoliukus prie autobusų stotelių.")
    _tab_to(page, "#id_consent", limit=6)
    page.keyboard.press("Space")
    _tab_to(page, "main form.proposal-form button[type=submit]", limit=3)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/consultations/mine/"))
    proposal = Proposal.objects.get()
    assert proposal.text == "Siūlau įrengti suoliukus prie autobusų stotelių."
    assert proposal.target_key == measure.key and proposal.author.username == "keyboard-user"
