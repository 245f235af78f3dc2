"""The moderation record in the browser (issue 11): the moderator hides a proposal
and sees its earlier texts; the author is told why, cannot edit it any more,
and every page stays accessible."""

import pytest
from playwright.sync_api import expect

from consultations import services
from consultations.models import Proposal
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree
from tests.consultations.conftest import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_moderator_hides_an_edited_proposal_and_the_author_is_told_and_cannot_edit(
    page, browser, live_server
):
    from django.core.cache import cache

    cache.clear()
    factories.UserFactory(username="staff-member", role="staff")
    author = factories.UserFactory(username="resident-user")
    version = build_plan_tree(
        factories.VersionFactory(status="draft", number=2),
        priorities=1,
        goals=1,
        tasks=1,
        measures=1,
    )
    consultation = open_consultation(version, factories.UserFactory(username="x", role="staff"))
    proposal = services.proposal_submit(
        user=author, consultation=consultation, text="Pirmas, įžeidžiantis tekstas."
    )
    services.proposal_edit(user=author, proposal=proposal, text="Antras, mandagus tekstas.")

    staff_context = browser.new_context(base_url=live_server.url, locale="lt-LT")
    staff_page = staff_context.new_page()
    login(staff_page, "staff-member")
    staff_page.goto(f"/consultations/staff/proposals/{proposal.pk}/")
    expect(staff_page.locator("#revisions-heading + article")).to_contain_text(
        "Pirmas, įžeidžiantis tekstas."
    )
    assert_no_axe_violations(staff_page, "staff proposal with earlier texts")
    staff_page.fill("#id_reason", "Įžeidžia kitus gyventojus")
    staff_page.click("button[name=action][value=hide]")
    staff_page.wait_for_load_state("load")
    staff_context.close()
    assert Proposal.objects.get(pk=proposal.pk).hidden

    login(page, "resident-user")
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text("Įžeidžia kitus gyventojus")
    page.goto("/consultations/mine/")
    article = page.locator(f"#proposal-{proposal.pk}")
    expect(article).to_contain_text("Įžeidžia kitus gyventojus")
    expect(article.locator(f"a[href$='/proposals/{proposal.pk}/edit/']")).to_have_count(0)
    assert_no_axe_violations(page, "mine with a hidden proposal")
    response = page.goto(f"/consultations/proposals/{proposal.pk}/edit/")
    assert response.status == 409
    expect(page.locator("main [role=alert]")).to_contain_text("Įžeidžia kitus gyventojus")
    expect(page.locator("main form")).to_have_count(0)
    assert_no_axe_violations(page, "edit page of a hidden proposal")
