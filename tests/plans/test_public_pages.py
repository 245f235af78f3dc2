"""The public plan pages as readers meet them: content, filters, permissions."""

from urllib.parse import quote

import pytest
from django.core.cache import cache

from plans.models import Measure, Priority, VersionStatus
from plans.services import node_update
from tests import factories
from tests.conftest import build_plan_tree


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def english(client):
    client.cookies["planportal_language"] = "en"
    return client


def set_status(version, status, **fields):
    type(version).objects.filter(pk=version.pk).update(status=status, **fields)
    version.refresh_from_db()
    return version


def page_text(response):
    return response.content.decode()


# --- The plan page ----------------------------------------------------------------


def test_plan_page_shows_the_version_in_force_with_its_outline(client, approved_version):
    set_status(approved_version, VersionStatus.APPROVED, decision_number="TS-402")
    response = english(client).get(f"/plans/{approved_version.plan_id}/")

    html = page_text(response)
    assert response.status_code == 200
    assert approved_version.plan.title in html
    assert "TS-402" in html
    assert approved_version.vision in html
    for measure in Measure.objects.filter(version=approved_version):
        assert f"/versions/{approved_version.pk}/measures/{measure.pk}/" in html
        assert measure.code in html
    assert f"/versions/{approved_version.pk}/budget/" in html


def test_plan_page_lists_drafts_only_to_staff_and_council(client, staff_client, approved_version):
    draft = factories.VersionFactory(
        plan=approved_version.plan, number=7, status=VersionStatus.DRAFT
    )
    url = f"/plans/{approved_version.plan_id}/"

    assert f'href="/versions/{draft.pk}/"' not in page_text(client.get(url))
    assert f'href="/versions/{draft.pk}/"' in page_text(staff_client.get(url))


def test_plan_without_approved_version_says_so_and_links_drafts_for_staff(
    client, staff_client, draft_version
):
    url = f"/plans/{draft_version.plan_id}/"

    anonymous = english(client).get(url)
    staff = english(staff_client).get(url)

    assert anonymous.status_code == 200
    assert "No version of this plan is in force yet" in page_text(anonymous)
    assert f"/versions/{draft_version.pk}/" not in page_text(anonymous)
    assert f'href="/versions/{draft_version.pk}/"' in page_text(staff)


def test_unknown_plan_and_version_are_not_found(client, db):
    assert client.get("/plans/987654/").status_code == 404
    assert client.get("/versions/987654/").status_code == 404
    assert client.get("/versions/987654/budget/").status_code == 404


# --- Version banners --------------------------------------------------------------


def test_superseded_version_links_to_the_version_in_force(client, approved_version):
    old = factories.VersionFactory(
        plan=approved_version.plan, number=0, status=VersionStatus.SUPERSEDED
    )

    html = page_text(english(client).get(f"/versions/{old.pk}/"))

    assert "no longer in force" in html
    assert f'<a href="/versions/{approved_version.pk}/">' in html


def test_draft_version_says_it_is_a_draft(staff_client, draft_version):
    html = page_text(english(staff_client).get(f"/versions/{draft_version.pk}/"))
    assert "version-banner-draft" in html
    assert "working draft" in html


# --- Node pages -------------------------------------------------------------------


def test_measure_page_shows_details_indicators_and_funding_with_totals(client, approved_version):
    measure = (
        Measure.objects.filter(version=approved_version)
        .select_related("task__goal__priority")
        .first()
    )

    response = english(client).get(f"/versions/{approved_version.pk}/measures/{measure.pk}/")
    html = page_text(response)

    assert response.status_code == 200
    assert f"{measure.code}" in html and measure.title in html
    # Breadcrumbs lead back through every level.
    for ancestor in (measure.task, measure.task.goal, measure.task.goal.priority):
        assert ancestor.code in html
    assert "Statybos skyrius" in html and "Seniūnijos" in html
    assert "Target 2017" in html and "Target 2020" in html
    # build_plan_tree funds each measure with 10 000 from SB and ES in 2016.
    assert 'id="funding"' in html
    assert html.count("20,000.00") >= 3  # row total, column total, grand total


def test_measure_funding_is_written_the_lithuanian_way_by_default(client, approved_version):
    measure = Measure.objects.filter(version=approved_version).first()
    html = page_text(client.get(f"/versions/{approved_version.pk}/measures/{measure.pk}/"))
    assert "20\xa0000,00" in html


@pytest.mark.parametrize("level", ["priority", "goal", "task", "measure"])
def test_every_node_level_has_a_page_listing_its_children(client, approved_version, level):
    from plans.levels import LEVELS

    node = LEVELS[level].model.objects.filter(version=approved_version).first()
    plural = {"priority": "priorities", "goal": "goals", "task": "tasks", "measure": "measures"}[
        level
    ]

    response = client.get(f"/versions/{approved_version.pk}/{plural}/{node.pk}/")

    assert response.status_code == 200
    assert node.title in page_text(response)
    child_level = {"priority": "goals", "goal": "tasks", "task": "measures"}.get(level)
    if child_level:
        assert f"/versions/{approved_version.pk}/{child_level}/" in page_text(response)


def test_node_of_another_version_is_not_found(client, approved_version):
    other = build_plan_tree(factories.VersionFactory(), priorities=1, goals=1, tasks=1, measures=1)
    foreign = Measure.objects.get(version=other)

    response = client.get(f"/versions/{approved_version.pk}/measures/{foreign.pk}/")

    assert response.status_code == 404


# --- Search and filters -----------------------------------------------------------


def outline_measure_codes(html):
    import re

    return set(re.findall(r'<span class="node-code">([A-Z]\.\d+\.\d+\.\d+)</span>', html))


def test_text_search_ignores_case_and_lithuanian_letters(client, staff_user, draft_version):
    measure = (
        Measure.objects.filter(version=draft_version).select_related("task__goal__priority").last()
    )
    node_update(user=staff_user, node=measure, title="Žaliųjų zonų tvarkymas")
    set_status(draft_version, VersionStatus.APPROVED)

    html = page_text(english(client).get(f"/plans/{draft_version.plan_id}/", {"q": "ZALIUJU"}))

    assert outline_measure_codes(html) == {measure.code}
    assert measure.task.code in html and measure.task.goal.priority.title in html
    assert "1 item of the plan matches." in html


def test_text_matching_a_priority_lists_it_and_not_everything_under_it(client, approved_version):
    priority = Priority.objects.filter(version=approved_version).last()

    html = page_text(
        english(client).get(f"/versions/{approved_version.pk}/", {"q": priority.title})
    )

    assert outline_measure_codes(html) == set()
    assert f"/priorities/{priority.pk}/" in html
    assert "1 item of the plan matches." in html


def test_unit_source_and_year_filters_narrow_the_outline(client, draft_version):
    other_unit = factories.UnitFactory(name="Švietimo skyrius")
    kvp = factories.FundingSourceFactory(code="KPPP", name="Kelių priežiūros programa")
    special = Measure.objects.filter(version=draft_version).last()
    Measure.objects.filter(pk=special.pk).update(
        responsible_unit=other_unit, start_year=2019, end_year=2020
    )
    special.co_executors.clear()
    factories.FundingLineFactory(measure=special, source=kvp, year=2019, amount=500)
    approved_version = set_status(draft_version, VersionStatus.APPROVED)
    url = f"/versions/{approved_version.pk}/"

    by_unit = page_text(client.get(url, {"unit": other_unit.pk}))
    by_source = page_text(client.get(url, {"source": kvp.pk}))
    by_year = page_text(client.get(url, {"year": 2013}))

    assert outline_measure_codes(by_unit) == {special.code}
    assert outline_measure_codes(by_source) == {special.code}
    # Every other measure runs 2014–2020; the special one starts in 2019.
    assert special.code not in outline_measure_codes(page_text(client.get(url, {"year": 2015})))
    assert outline_measure_codes(by_year) == set()


def test_filters_that_match_nothing_say_so_with_a_way_back(client, approved_version):
    url = f"/versions/{approved_version.pk}/"

    html = page_text(english(client).get(url, {"q": "no such words anywhere"}))

    assert 'id="no-results"' in html
    assert "0 items of the plan match." in html
    assert f'<a href="{url}">Show the whole plan</a>' in html


def test_the_filter_form_keeps_what_the_reader_chose(client, approved_version):
    html = page_text(
        client.get(f"/versions/{approved_version.pk}/", {"q": "Priemonė", "year": "2016"})
    )
    assert 'value="Priemonė"' in html
    assert '<option value="2016" selected>' in html


def test_invalid_filter_is_a_clear_400_and_the_plan_is_still_shown(client, approved_version):
    response = english(client).get(f"/versions/{approved_version.pk}/", {"year": "next year"})

    html = page_text(response)
    assert response.status_code == 400
    assert "Some filters could not be used" in html
    assert len(outline_measure_codes(html)) == 16


# --- Permissions ------------------------------------------------------------------

PAGES = ["version", "budget", "priority", "goal", "task", "measure"]


def page_url(version, page):
    from plans.levels import LEVELS

    if page == "version":
        return f"/versions/{version.pk}/"
    if page == "budget":
        return f"/versions/{version.pk}/budget/"
    node = LEVELS[page].model.objects.filter(version=version).first()
    plural = {"priority": "priorities", "goal": "goals", "task": "tasks", "measure": "measures"}[
        page
    ]
    return f"/versions/{version.pk}/{plural}/{node.pk}/"


@pytest.fixture
def clients(client, resident_client, council_client, staff_client):
    return {
        "anonymous": client,
        "resident": resident_client,
        "council": council_client,
        "staff": staff_client,
    }


@pytest.mark.parametrize("role", ["anonymous", "resident", "council", "staff"])
def test_everyone_reads_every_page_of_an_approved_version(clients, approved_version, role):
    for page in PAGES:
        response = clients[role].get(page_url(approved_version, page))
        assert response.status_code == 200, page


@pytest.mark.parametrize(
    "role, expected", [("anonymous", 302), ("resident", 403), ("council", 200), ("staff", 200)]
)
def test_only_staff_and_council_read_a_draft(clients, draft_version, role, expected):
    for page in PAGES:
        url = page_url(draft_version, page)

        response = clients[role].get(url)

        assert response.status_code == expected, page
        if expected == 302:
            assert response["Location"] == f"/accounts/login/?next={quote(url)}"
        if expected == 403:
            assert draft_version.vision not in page_text(response)


@pytest.mark.parametrize("role", ["anonymous", "resident"])
def test_a_version_under_consultation_is_public(clients, draft_version, role):
    set_status(draft_version, VersionStatus.CONSULTATION)
    assert clients[role].get(f"/versions/{draft_version.pk}/").status_code == 200


def test_refused_reader_is_told_why(resident_client, draft_version):
    response = english(resident_client).get(f"/versions/{draft_version.pk}/")
    assert "only administration staff and council members" in page_text(response)


# --- Home -------------------------------------------------------------------------


def test_home_lists_plans_with_the_version_in_force_and_links(
    client, approved_version, draft_version
):
    html = page_text(english(client).get("/"))

    assert approved_version.plan.title in html
    assert f"/plans/{approved_version.plan_id}/" in html
    assert f"/versions/{approved_version.pk}/budget/" in html
    assert "Version 1 in force" in html
    assert "2013–2020" in html
    assert draft_version.plan.title in html
    assert "No version has been approved yet." in html


def test_healthz_answers_ok_without_the_database(client):
    # No database fixture: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
