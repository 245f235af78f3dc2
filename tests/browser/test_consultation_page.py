"""The consultation's page in the browser, at a desktop's and a phone's width:
a resident finds what is consulted and the proposals first, searches and sorts
them, and opens a collapsed part of the draft's outline; axe-core finds
nothing and the page never scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from consultations import services
from plans.models import Measure, PlanVersion, Task, VersionStatus
from plans.services import version_create_draft, version_renumber
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree
from tests.consultations.conftest import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def setup(db):
    from django.core.cache import cache

    cache.clear()
    staff = factories.UserFactory(username="staff-member", role="staff")
    approved = build_plan_tree(
        factories.VersionFactory(status=VersionStatus.DRAFT, number=1), priorities=2
    )
    PlanVersion.objects.filter(pk=approved.pk).update(status=VersionStatus.APPROVED)
    # An amendment: one measure retitled, one added, so the outline marks them.
    draft = version_create_draft(user=staff, plan=approved.plan)
    first = Measure.objects.filter(version=draft).order_by("code").first()
    Measure.objects.filter(pk=first.pk).update(title="Įrengti apšviestas pėsčiųjų perėjas")
    factories.MeasureFactory(
        task=Task.objects.get(pk=first.task_id), version=draft, title="Pastatyti naują darželį"
    )
    version_renumber(draft)
    consultation = open_consultation(draft, staff)
    author = factories.UserFactory(username="author", first_name="Ona", last_name="Onaitė")
    supporter = factories.UserFactory(username="supporter")
    factories.UserFactory(username="reader", first_name="Jonas", last_name="Rimkus")
    texts = [
        "Siūlau prie mokyklų įrengti apšviestas perėjas ir greičio kalnelius.",
        "Garliavoje trūksta vietų darželiuose: siūlau statyti didesnį darželį.",
        "Reikėtų daugiau suoliukų ir šiukšliadėžių parke prie ežero.",
    ]
    proposals = [
        services.proposal_submit(
            user=author, consultation=consultation, text=text, target=str(first.key)
        )
        for text in texts
    ]
    services.proposal_support(user=supporter, proposal=proposals[0])
    return {"consultation": consultation, "proposals": proposals, "first": first}


def _check(page, what):
    assert page.evaluate(NO_OVERFLOW), f"the page scrolls sideways: {what}"
    assert_no_axe_violations(page, what)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_resident_finds_the_proposals_first_searches_sorts_and_opens_the_outline(
    new_page, setup, width
):
    consultation, proposals = setup["consultation"], setup["proposals"]
    url = f"/consultations/{consultation.pk}/"
    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})

    # Anonymous: the lead, the count of supports and a way to log in to support.
    page.goto(url)
    expect(page.locator(".consultation-lead")).to_contain_text("Gyventojai kviečiami")
    expect(page.locator(f"#proposal-{proposals[0].public_number}")).to_contain_text(
        "Pritaria 1 gyventojas"
    )
    expect(
        page.locator(f"#proposal-{proposals[0].public_number} .proposal-login-hint a")
    ).to_have_text(re.compile("Prisijunkite, kad pritartumėte"))
    _check(page, f"anonymous consultation page at {width}")

    login(page, "reader")
    page.goto(url)
    lead = page.locator(".consultation-lead").bounding_box()
    how = page.locator("#take-part-heading").bounding_box()
    first_card = page.locator("article.proposal").first.bounding_box()
    outline = page.locator("#draft-heading").bounding_box()
    assert lead["y"] < how["y"] < first_card["y"] < outline["y"]
    # The newest proposal first, by default.
    expect(page.locator("article.proposal").first).to_have_id(
        f"proposal-{proposals[2].public_number}"
    )
    expect(page.locator(".result-count")).to_have_text("3 pasiūlymai.")
    _check(page, f"resident's consultation page at {width}")

    # Search by a word form: "darželis" finds "darželiuose".
    page.fill("#filter-q", "darželis")
    page.click("#proposals form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"q=dar%C5%BEelis"))
    expect(page.locator("article.proposal")).to_have_count(1)
    expect(page.locator("article.proposal")).to_contain_text("trūksta vietų darželiuose")
    expect(page.locator(".result-count")).to_have_text("Atitinka 1 pasiūlymas iš 3.")
    _check(page, f"searched proposals at {width}")

    # Sort by support: the supported proposal comes first.
    page.click("text=Rodyti visus pasiūlymus")
    page.select_option("#filter-sort", "supported")
    page.click("#proposals form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"sort=supported"))
    expect(page.locator("article.proposal").first).to_have_id(
        f"proposal-{proposals[0].public_number}"
    )
    _check(page, f"sorted proposals at {width}")

    # The outline is collapsed; opening a priority shows its parts and marks.
    priority = page.locator(".consultation-outline > li.node-priority > details").first
    assert priority.get_attribute("open") is None
    goal_summary = priority.locator(":scope > div li.node-goal > details > summary").first
    expect(goal_summary).to_be_hidden()
    expect(page.locator(".draft-changes")).to_contain_text("Ką keičia projektas")
    priority.locator(":scope > summary").click()
    expect(goal_summary).to_be_visible()
    expect(priority.locator(":scope > summary")).to_contain_text("pakeitimai viduje")
    goal_summary.click()
    task = priority.locator("li.node-task > details").first
    task.locator(":scope > summary").click()
    measure_line = task.locator("li.node-measure .node-line").first
    expect(measure_line).to_be_visible()
    expect(measure_line).to_contain_text("3 pasiūlymai")
    expect(task).to_contain_text("Pridėta")
    _check(page, f"opened outline at {width}")


def test_the_home_page_tells_of_the_consultation_and_passes_axe(new_page, setup):
    consultation = setup["consultation"]
    for width in WIDTHS:
        page = new_page()
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/")
        notice = page.locator(".home-consultations")
        expect(notice).to_contain_text("Vyksta viešoji konsultacija")
        notice.locator("a").first.click()
        expect(page).to_have_url(re.compile(rf"/consultations/{consultation.pk}/$"))
        page.goto("/")
        _check(page, f"home page at {width}")
