"""Formal acts ask first, and staff hear of the council's comments, in a real browser.

Staff submit a draft from its outline through the confirmation page with the
draft's check; a council member comments on a measure; staff see the notice
and the open threads on the outline; a voting is closed through the
confirmation page showing the turnout and the quorum. At 1366 and 390 px,
with axe-core on every page.
"""

import os

import pytest
from playwright.sync_api import expect

from council import services as council_services
from council.models import Voting
from notifications.models import Notification
from plans.models import Indicator, Measure, PlanVersion, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("FORMAL_SHOTS", "")


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def look(page, name, width):
    """Every page of the journey: axe finds nothing, nothing sticks out sideways."""
    assert_no_axe_violations(page, f"{name} at {width} px")
    assert no_overflow(page), f"{name} overflows at {width} px"
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_submit_after_the_check_hear_of_a_comment_and_close_after_the_count(new_page, width):
    staff = factories.UserFactory(username="administracija", role="staff", email="a@krs.lt")
    factories.UserFactory(username="tarybos-narys", role="council")
    for i in range(2):
        factories.UserFactory(username=f"tarybos-narys-{i}", role="council")
    draft = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=2)
    bare = Measure.objects.filter(version=draft).order_by("code").first()
    Indicator.objects.filter(measure=bare).delete()

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "administracija")

    # The outline offers the submit page; the page checks the draft and asks first.
    page.goto(f"/staff/versions/{draft.pk}/outline/")
    expect(page.locator("#council-work-box")).to_be_visible()
    look(page, "outline-draft", width)
    page.locator("#council-work-submit").click()
    expect(page.locator("#draft-check-list")).to_contain_text(bare.code)
    expect(page.locator("#draft-check-list")).to_contain_text("Nėra rodiklio")
    expect(page.locator("#submit-consequence")).to_contain_text("užšaldoma")
    look(page, "submit-confirm", width)
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    page.locator("#confirm-submit").click()
    page.wait_for_load_state("networkidle")
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.COUNCIL_REVIEW

    # A council member comments on the measure.
    member = new_page()
    member.set_viewport_size({"width": width, "height": 900})
    login(member, "tarybos-narys")
    member.goto(f"/versions/{draft.pk}/measures/{bare.pk}/")
    member.locator("#new-comment").fill("Kaip bus matuojamas rezultatas?")
    member.locator("form.review-new-form button[type=submit]").click()
    member.wait_for_load_state("networkidle")
    assert Notification.objects.filter(recipient=staff, kind="review_comment").exists()

    # Staff see the notice and the open thread on the outline.
    page.goto("/notifications/")
    expect(page.locator(".notification-unread").first).to_contain_text(bare.code)
    look(page, "notifications", width)
    page.goto(f"/staff/versions/{draft.pk}/outline/")
    expect(page.locator("#read-only-notice")).to_contain_text("grąžinkite ją tobulinti")
    expect(page.locator("#review-work-total")).to_contain_text("1 atvira")
    expect(page.locator("#review-work-items")).to_contain_text(bare.code)
    expect(page.locator("#council-work-withdraw")).to_be_visible()
    look(page, "outline-under-review", width)
    page.goto(f"/versions/{draft.pk}/")
    expect(page.locator("#review-work-total")).to_contain_text("1 atvira")
    expect(page.locator("#council-work-state")).to_be_visible()
    look(page, "version-page", width)
    page.goto(f"/staff/versions/{draft.pk}/outline/")
    page.locator("#review-work-items a").first.click()
    expect(page.get_by_text("Kaip bus matuojamas rezultatas?")).to_be_visible()

    # One ballot of three members: the closing page warns that there is no quorum.
    voting = council_services.voting_open(user=staff, version=draft)
    council_services.ballot_cast(
        user=council_services.council_members().first(), voting=voting, choice="for"
    )
    page.goto(voting.get_absolute_url())
    look(page, "voting", width)
    page.locator("#close-voting-link").click()
    expect(page.locator("#close-cast")).to_contain_text("1 iš 3")
    expect(page.locator("#quorum-warning")).to_be_visible()
    expect(page.locator("#close-result")).to_contain_text("Nepritarta")
    look(page, "close-confirm", width)
    assert Voting.objects.get(pk=voting.pk).is_open
    page.locator("#confirm-close").click()
    expect(page.locator(".voting-outcome")).to_contain_text("Nepritarta")
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
