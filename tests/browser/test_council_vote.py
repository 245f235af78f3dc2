"""A council member reviews a draft under review and votes, in a real browser."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from council import services as council_services
from council.models import Ballot
from plans import services
from plans.models import Measure, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_member_opens_the_draft_compares_it_and_votes(page):
    staff = factories.UserFactory(username="administracija", role="staff")
    member = factories.UserFactory(username="tarybos-narys", role="council")
    in_force = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(in_force, priorities=1, goals=1, tasks=1, measures=2)
    type(in_force).objects.filter(pk=in_force.pk).update(status=VersionStatus.APPROVED)
    draft = services.version_create_draft(user=staff, plan=in_force.plan)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    services.node_update(user=staff, node=measure, title="Įrengti Neries vandens turizmo trasą")
    council_services.version_submit(user=staff, version=draft)
    voting = council_services.voting_open(user=staff, version=draft)

    login(page, "tarybos-narys")
    page.goto("/council/")
    expect(page.locator(f"#review-{draft.pk}")).to_be_visible()
    assert_no_axe_violations(page, "council page")

    page.locator(f"#review-{draft.pk} a[href='{voting.get_absolute_url()}']").click()
    page.locator("#compare-link").click()
    expect(page.locator("#count-changed")).to_have_text("1")
    page.go_back()

    page.locator("#id_choice_1").check()  # against
    page.locator("form[action$='/ballot/'] button[type=submit]").click()
    expect(page.locator("#my-ballot")).to_be_visible()
    page.get_by_role("radio").first.check()  # for: a member may change the vote until closing
    page.locator("form[action$='/ballot/'] button[type=submit]").click()
    expect(page.locator("#ballots-cast")).to_contain_text("1")
    assert list(Ballot.objects.values_list("voter", "choice")) == [(member.pk, "for")]
    assert_no_axe_violations(page, "voting page")

    council_services.voting_close(
        user=staff,
        voting=voting,
        decision_number="TS-402",
        # The local date: the voting opened today in the portal's time zone.
        decision_date=timezone.localdate(),
    )
    page.goto(f"/plans/{draft.plan_id}/history/")
    expect(page.locator(f"#version-{draft.pk} .decision")).to_contain_text("TS-402")
    page.locator(f"#version-{draft.pk} details summary").first.click()
    expect(page.locator(f"#version-{draft.pk} details")).to_contain_text("tarybos-narys")
    assert_no_axe_violations(page, "history page")


def test_staff_council_pages_have_no_accessibility_violations(page):
    factories.UserFactory(username="administracija", role="staff")
    staff = factories.UserFactory(username="administracija2", role="staff")
    draft = factories.VersionFactory(status=VersionStatus.DRAFT, number=3)
    under_review = factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW, number=2)
    voting = council_services.voting_open(
        user=staff, version=factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)
    )

    login(page, "administracija")
    page.goto("/council/")
    expect(page.locator(f"form[action='/council/versions/{draft.pk}/submit/']")).to_be_visible()
    expect(page.locator(f"#deadline-{under_review.pk}")).to_be_visible()
    assert_no_axe_violations(page, "council page for staff")
    page.goto(voting.get_absolute_url())
    page.locator("#close-voting-link").click()
    expect(page.locator("#quorum-warning")).to_be_visible()  # nobody voted
    assert_no_axe_violations(page, "closing confirmation without a quorum")
    page.locator("#confirm-close").click()
    expect(page.locator(".voting-outcome")).to_be_visible()
    assert_no_axe_violations(page, "closed voting page")
    page.goto(f"/council/versions/{under_review.pk}/withdraw/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".field-error")).to_be_visible()
    assert_no_axe_violations(page, "take-back form with an error")
