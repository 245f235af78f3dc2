"""A council member compares the draft with the version in force in a real browser."""

import pytest
from playwright.sync_api import expect

from plans import services
from plans.models import Measure, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_member_compares_the_draft_with_the_version_in_force(page):
    staff = factories.UserFactory(username="administracija", role="staff")
    factories.UserFactory(username="tarybos-narys", role="council")
    in_force = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(in_force, priorities=2, goals=1, tasks=1, measures=2)
    type(in_force).objects.filter(pk=in_force.pk).update(status=VersionStatus.APPROVED)
    in_force.refresh_from_db()
    draft = services.version_create_draft(user=staff, plan=in_force.plan)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    services.node_update(user=staff, node=measure, title="Įrengti Neries vandens turizmo trasą")

    login(page, "tarybos-narys")
    page.goto(draft.get_absolute_url())
    page.select_option("#compare-against", str(in_force.pk))
    page.locator("form.compare-form button[type=submit]").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#count-changed")).to_have_text("1")
    change = page.locator(f"#change-{measure.key}")
    expect(change.get_by_role("heading", level=3)).to_contain_text(measure.code)
    expect(change.locator("ins").first).to_contain_text("Įrengti Neries vandens turizmo trasą")
    expect(change.locator("del").first).to_contain_text(
        Measure.objects.get(version=in_force, key=measure.key).title
    )
    assert_no_axe_violations(page, "compare page")
