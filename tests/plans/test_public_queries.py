"""Query counts and caching of the public plan pages.

Every page runs the same number of queries however large the plan grows;
pages of approved versions are cached per version, language and filters, and
drafts never are.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planportal import pagecache
from plans.models import FundingSource, Measure, VersionStatus
from plans.services import measure_set_funding, node_update
from tests import factories, growth


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def page_urls(version):
    measure = Measure.objects.filter(version=version).select_related("task__goal").first()
    base = f"/versions/{version.pk}"
    return {
        "plan": f"/plans/{version.plan_id}/",
        "filtered version": f"{base}/?q=Priem&year=2016",
        "structurally filtered version": f"{base}/?year=2016",
        "priority": f"{base}/priorities/{measure.task.goal.priority_id}/",
        "goal": f"{base}/goals/{measure.task.goal_id}/",
        "task": f"{base}/tasks/{measure.task_id}/",
        "measure": f"{base}/measures/{measure.pk}/",
        "budget": f"{base}/budget/",
    }


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def test_public_pages_run_the_same_queries_when_the_plan_grows_fivefold(demo, resident_client):
    small = growth.grow_plan(demo.approved_version, 1).approved
    large = growth.grow_plan(demo.approved_version, 5).approved
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )

    small_urls, large_urls = page_urls(small), page_urls(large)
    for page in small_urls:
        cache.clear()
        small_count = queries_for(resident_client, small_urls[page])
        cache.clear()
        large_count = queries_for(resident_client, large_urls[page])
        assert small_count == large_count, page


def test_draft_pages_run_the_same_queries_when_the_plan_grows_fivefold(demo, staff_client):
    staff = demo.staff_user
    small = growth.add_draft(growth.grow_plan(demo.approved_version, 1), staff)
    large = growth.add_draft(growth.grow_plan(demo.approved_version, 5), staff)

    small_urls, large_urls = page_urls(small), page_urls(large)
    del small_urls["plan"], large_urls["plan"]  # the plan page shows the version in force
    for page in small_urls:
        assert queries_for(staff_client, small_urls[page]) == queries_for(
            staff_client, large_urls[page]
        ), page


def test_cached_pages_of_an_approved_version_need_fewer_queries(client, approved_version):
    pages = page_urls(approved_version)
    del pages["filtered version"]  # free text is never cached (see the last test)
    for page, url in pages.items():
        first = client.get(url)
        with CaptureQueriesContext(connection) as uncached:
            cache.clear()
            client.get(url)
        with CaptureQueriesContext(connection) as cached:
            second = client.get(url)

        assert len(cached) < len(uncached), page
        assert without_csrf_tokens(second) == without_csrf_tokens(first), page


def without_csrf_tokens(response):
    # The CSRF token is masked afresh for every response, cached or not.
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())


def test_a_draft_edit_is_visible_at_once(staff_client, staff_user, draft_version):
    measure = Measure.objects.filter(version=draft_version).first()
    urls = [
        f"/versions/{draft_version.pk}/",
        f"/versions/{draft_version.pk}/measures/{measure.pk}/",
        f"/versions/{draft_version.pk}/budget/",
    ]
    for url in urls:
        staff_client.get(url)

    node_update(user=staff_user, node=measure, title="Naujas pavadinimas")
    source = FundingSource.objects.get(code="SB")
    measure_set_funding(
        user=staff_user,
        measure=measure,
        lines=[{"year": 2016, "source": source, "amount": "1234567.89"}],
    )

    for url in urls[:2]:
        assert "Naujas pavadinimas" in staff_client.get(url).content.decode(), url
    assert "1\xa0234\xa0567,89" in staff_client.get(urls[1]).content.decode()
    # The budget cell of the measure's priority, 2016, SB: the new amount and
    # the 10 000 of each of the priority's seven other measures.
    assert "1\xa0304\xa0567,89" in staff_client.get(urls[2]).content.decode()


def test_cached_pages_never_show_another_readers_header(
    resident_client, staff_client, approved_version
):
    draft = factories.VersionFactory(plan=approved_version.plan, number=5)
    url = f"/plans/{approved_version.plan_id}/"

    resident_page = resident_client.get(url).content.decode()
    staff_page = staff_client.get(url).content.decode()

    assert "resident-user" in resident_page
    assert "resident-user" not in staff_page and "staff-member" in staff_page
    assert f'href="/versions/{draft.pk}/"' in staff_page
    assert f'href="/versions/{draft.pk}/"' not in resident_page


def test_cached_pages_follow_the_readers_language(client, approved_version):
    measure = Measure.objects.filter(version=approved_version).first()
    url = f"/versions/{approved_version.pk}/measures/{measure.pk}/"

    lithuanian = client.get(url).content.decode()
    client.cookies["planportal_language"] = "en"
    english = client.get(url).content.decode()

    assert "20\xa0000,00" in lithuanian and "20,000.00" not in lithuanian
    assert "20,000.00" in english


def test_a_superseded_version_is_cached_apart_from_its_approved_past(client, approved_version):
    url = f"/versions/{approved_version.pk}/budget/"
    client.get(url)
    type(approved_version).objects.filter(pk=approved_version.pk).update(
        status=VersionStatus.SUPERSEDED
    )
    pagecache.bump()  # as every status transition does

    with CaptureQueriesContext(connection) as after:
        response = client.get(url)

    assert "version-banner-superseded" in response.content.decode()
    # The summary is computed again (three queries more than a cache hit).
    assert any("SUM" in query["sql"].upper() for query in after.captured_queries)


def test_searches_that_find_nothing_or_unknown_ids_are_not_kept_in_the_cache(
    client, approved_version
):
    base = f"/versions/{approved_version.pk}/"
    for url in (f"{base}?q=Zuikiaslapis", f"{base}?unit=987654"):
        first = queries_for(client, url)
        again = queries_for(client, url)
        # A kept page would run no query at all; the view runs again (a search
        # reuses the approved version's search index, so it runs fewer).
        assert 0 < again <= first, url


def test_a_search_that_finds_something_is_kept_for_a_while(client, approved_version):
    url = f"/versions/{approved_version.pk}/?q=Priemon%C4%97"
    assert client.get(url)["X-Page-Cache"] == "stored"
    assert queries_for(client, url) == 0
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Priemon" in response.content.decode()
