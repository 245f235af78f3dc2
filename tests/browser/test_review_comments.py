"""A council member comments on a measure of a draft under review; staff resolve it."""

import pytest
from playwright.sync_api import expect

from notifications import services
from plans.models import Measure, VersionStatus
from review.models import ReviewThread
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_member_comments_on_a_measure_and_staff_resolve_it(page):
    factories.UserFactory(username="administracija", role="staff")
    member = factories.UserFactory(username="tarybos-narys", role="council")
    version = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.COUNCIL_REVIEW)
    measure = Measure.objects.filter(version=version).order_by("code").first()
    url = f"/versions/{version.pk}/measures/{measure.pk}/"

    login(page, "tarybos-narys")
    page.goto(url)
    page.fill("#new-comment", "Kodėl finansavimas tik 2016 metams?")
    page.locator("form.review-new-form button[type=submit]").click()
    thread = ReviewThread.objects.get()
    article = page.locator(f"#thread-{thread.pk}")
    expect(article).to_contain_text("Kodėl finansavimas tik 2016 metams?")
    assert article.locator("form[action$='/resolve/']").count() == 0
    # The page with a thread and a notification in the header passes axe-core.
    services.notify(users=[member], kind="test", subject="Svarstymui pateiktas projektas", url=url)
    page.goto(url)
    expect(page.locator(".notification-badge")).to_contain_text("1")
    assert_no_axe_violations(page, "node page with review threads")

    page.goto("/notifications/")
    expect(page.get_by_role("link", name="Svarstymui pateiktas projektas")).to_be_visible()
    assert_no_axe_violations(page, "notifications page")

    page.context.clear_cookies()
    login(page, "administracija")
    page.goto(url)
    page.locator(f"#thread-{thread.pk} form[action$='/resolve/'] button").click()
    expect(page.locator(f"#thread-{thread.pk}")).to_have_class(
        "review-thread review-thread-resolved"
    )
    thread.refresh_from_db()
    assert thread.resolved
    assert_no_axe_violations(page, "node page with a resolved thread")
