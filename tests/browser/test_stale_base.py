"""Staff submit a draft left behind by a newer approval: the warning, what it
would undo, and the confirmation, in a real browser (with axe checks)."""

import pytest
from playwright.sync_api import expect

from council import services as council_services
from plans import services
from plans.models import PlanVersion, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_see_what_a_stale_draft_would_undo_before_submitting_it(page):
    staff = factories.UserFactory(username="administracija", role="staff")
    member = factories.UserFactory(username="tarybos-narys", role="council")
    in_force = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(in_force, priorities=1, goals=1, tasks=1, measures=1)
    type(in_force).objects.filter(pk=in_force.pk).update(status=VersionStatus.APPROVED)
    stale = services.version_create_draft(user=staff, plan=in_force.plan)
    newer = services.version_create_draft(user=staff, plan=in_force.plan)
    services.node_create(
        user=staff, level="priority", parent=newer, title="Skaitmeninė savivaldybė"
    )
    council_services.version_submit(user=staff, version=newer)
    voting = council_services.voting_open(user=staff, version=newer)
    council_services.ballot_cast(user=member, voting=voting, choice="for")
    council_services.voting_close(user=staff, voting=voting)

    login(page, "administracija")
    page.goto(f"/staff/versions/{stale.pk}/outline/")
    expect(page.locator(f"#stale-base-{stale.pk}")).to_be_visible()

    page.goto("/council/")
    expect(page.locator(f"#stale-base-{stale.pk}")).to_be_visible()
    page.locator(f"form[action='/council/versions/{stale.pk}/submit/'] button").click()
    expect(page.locator("#stale-undo")).to_contain_text("Skaitmeninė savivaldybė")
    assert_no_axe_violations(page, "confirmation of a stale submission")
    assert PlanVersion.objects.get(pk=stale.pk).status == VersionStatus.DRAFT

    page.locator("#confirm-stale-submit").click()
    expect(page.locator(f"#review-{stale.pk}")).to_be_visible()
    assert PlanVersion.objects.get(pk=stale.pk).status == VersionStatus.COUNCIL_REVIEW
