"""The outline's text search and the API's ``q``: Lithuanian word forms,
ranking, each node on its own text (issue 15). Run on SQLite and PostgreSQL."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Measure, Priority, Task, VersionStatus
from plans.search import MAX_TERMS, Term, parse_query
from plans.selectors import TreeFilter, search_nodes, version_tree
from plans.selectors_search import forget_search_indexes, search_tree
from plans.services import node_update
from tests.plans.search_plan import build_search_plan

pytestmark = pytest.mark.django_db

KINDERGARTENS = {
    "Lopšelio-darželio „Žilvitis“ renovacija",
    "Naujo darželio statyba Pietinėje dalyje",
    "Darželių aikštelių atnaujinimas",
    "Lopšelis-darželis „Saulutė“: grupių steigimas",
}
ROADS = {"Kelio į Pramonės rajoną rekonstrukcija", "Vietinių kelių asfaltavimas"}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    forget_search_indexes()
    yield
    cache.clear()
    forget_search_indexes()


@pytest.fixture
def version():
    return build_search_plan()


def titles(version, q, **filters):
    search = search_tree(version_tree(version), TreeFilter(q=q, **filters))
    return [result.node.title for result in search.results]


def page_titles(client, version, q):
    response = client.get(f"/versions/{version.pk}/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    listed = re.search(r'<ol class="search-results".*?</ol>', html, re.S)
    return re.findall(r"<h3 class=\"node-line\">.*?<a [^>]*>([^<]+)</a>", listed.group(0), re.S)


# --- Word forms -------------------------------------------------------------------


def test_darzelis_finds_every_kindergarten_in_any_form_titles_first(version):
    found = titles(version, "darželis")

    assert set(found[:4]) == KINDERGARTENS
    # Only its description names a kindergarten: listed, after the titles.
    assert found[4:] == ["Mokyklų sporto salių remontas"]


def test_kelias_finds_the_roads_and_not_the_water_pipes(version):
    found = titles(version, "kelias")

    assert set(found[:2]) == ROADS
    assert set(found[2:]) == {"Patraukli ir tvari aplinka", "Pėsčiųjų tako įrengimas"}


def test_keliai_in_a_priority_description_does_not_list_its_children(version):
    found = titles(version, "keliai")

    assert "Patraukli ir tvari aplinka" in found
    assert "Vandentiekio vamzdynų keitimas" not in found
    assert "Nuotekų tinklų plėtra" not in found
    assert len(found) == 4


def test_atliekos_finds_the_same_as_atlieku(version):
    found = titles(version, "atliekos")

    assert set(found) == set(titles(version, "atliekų"))
    assert set(found) == {
        "Tvarkyti atliekas",
        "Atliekų rūšiavimo konteinerių įrengimas",
        "Didelių gabaritų atliekų aikštelė",
        "Žaliųjų zonų tvarkymas",
        "Patraukli ir tvari aplinka",
    }
    assert set(found[:3]) == {
        "Tvarkyti atliekas",
        "Atliekų rūšiavimo konteinerių įrengimas",
        "Didelių gabaritų atliekų aikštelė",
    }


def test_words_typed_without_lithuanian_letters_or_half_typed_still_match(version):
    assert titles(version, "ZALIUJU") == ["Žaliųjų zonų tvarkymas"]
    assert set(titles(version, "darz")) >= KINDERGARTENS
    assert titles(version, "vandentiek") == [
        "Vandentiekio vamzdynų keitimas",
        "Patraukli ir tvari aplinka",
    ]


def test_every_word_must_match_and_more_words_in_the_title_rank_first(version):
    assert titles(version, "darželio statyba") == ["Naujo darželio statyba Pietinėje dalyje"]
    # "žaliųjų" is in the title, "atliekos" in the description: still a match.
    assert titles(version, "žaliųjų atliekos") == ["Žaliųjų zonų tvarkymas"]
    found = titles(version, "kelių dangos")
    assert found == ["Vietinių kelių asfaltavimas"]


def test_when_no_node_has_every_word_those_with_the_most_are_shown(version, client):
    search = search_tree(version_tree(version), TreeFilter(q="darželio renovacija Vilniuje"))

    assert search.partial
    assert [r.node.title for r in search.results] == ["Lopšelio-darželio „Žilvitis“ renovacija"]
    html = client.get(f"/versions/{version.pk}/", {"q": "darželio renovacija Vilniuje"})
    assert 'id="search-partial"' in html.content.decode()


def test_a_code_finds_that_node_alone(version):
    task = Task.objects.get(version=version, title="Tvarkyti atliekas")

    search = search_tree(version_tree(version), TreeFilter(q=task.code.lower()))

    assert [(r.level, r.node.pk) for r in search.results] == [("task", task.pk)]
    assert [node.code for node in search.results[0].path] == [
        task.goal.priority.code,
        task.goal.code,
    ]


def test_the_year_filter_narrows_a_search_to_measures_running_that_year():
    version = build_search_plan(status=VersionStatus.DRAFT)
    Measure.objects.filter(title="Vietinių kelių asfaltavimas").update(
        start_year=2025, end_year=2026
    )

    found = titles(version, "kelias", year=2025)

    # The priority above it stays: a measure under it runs in 2025.
    assert found == ["Vietinių kelių asfaltavimas", "Patraukli ir tvari aplinka"]


# --- The page and the API ---------------------------------------------------------


def test_the_page_lists_the_results_ranked_with_the_path_to_each(client, version):
    found = page_titles(client, version, "darželis")

    assert set(found[:4]) == KINDERGARTENS and found[4] == "Mokyklų sporto salių remontas"
    html = client.get(f"/versions/{version.pk}/", {"q": "darželis"}).content.decode()
    assert 'id="outline"' not in html
    assert 'class="search-path"' in html and "Modernizuoti ugdymo įstaigas" in html


def test_the_api_q_filter_knows_word_forms_and_each_level_on_its_own(client, version):
    response = client.get("/api/v1/measures/", {"version": version.pk, "q": "darželis"})
    assert response.status_code == 200
    assert {m["title"] for m in response.json()["results"]} == KINDERGARTENS | {
        "Mokyklų sporto salių remontas"
    }

    priorities = client.get("/api/v1/priorities/", {"version": version.pk, "q": "keliai"})
    assert [p["title"] for p in priorities.json()["results"]] == ["Patraukli ir tvari aplinka"]


def test_search_nodes_filters_a_queryset_of_any_level(version):
    tasks = search_nodes(Task.objects.filter(version=version), "atliekų")
    priorities = search_nodes(Priority.objects.filter(version=version), "kultūra")

    assert [task.title for task in tasks] == ["Tvarkyti atliekas"]
    assert [p.title for p in priorities] == ["Sumani ir atvira bendruomenė"]


# --- Bad input --------------------------------------------------------------------


@pytest.mark.parametrize("q", ["!!! ... ???", "—", "ir", "'; DROP TABLE plans_measure; --"])
def test_punctuation_or_only_little_words_find_nothing_without_an_error(client, version, q):
    response = client.get(f"/versions/{version.pk}/", {"q": q})

    assert response.status_code == 200
    assert 'id="no-results"' in response.content.decode()
    api = client.get("/api/v1/measures/", {"version": version.pk, "q": q})
    assert api.status_code == 200 and api.json()["results"] == []


def test_an_overlong_query_is_refused_on_the_page_and_finds_nothing_in_the_api(client, version):
    q = "darželis " * 100

    page = client.get(f"/versions/{version.pk}/", {"q": q})
    api = client.get("/api/v1/measures/", {"version": version.pk, "q": q})

    assert page.status_code == 400 and 'id="search-results"' not in page.content.decode()
    assert api.status_code == 200 and api.json()["results"] == []


def test_a_nul_character_is_bad_input_not_a_server_error(client, version):
    assert client.get(f"/versions/{version.pk}/", {"q": "kel\x00ias"}).status_code == 400
    assert client.get("/api/v1/measures/", {"q": "kel\x00ias"}).status_code == 400


def test_parse_query_splits_hyphens_keeps_codes_and_drops_little_words():
    assert parse_query("Lopšelis-darželis ir D.1.3.") == (
        Term("lopšelis"),
        Term("darželis"),
        Term("d.1.3", code=True),
    )
    assert parse_query("a " * 300) == ()
    assert len(parse_query(" ".join(f"žodis{n}" for n in range(20)))) == MAX_TERMS


# --- Query counts -----------------------------------------------------------------


def queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context)


def test_a_search_runs_the_same_queries_when_the_plan_grows_threefold(client):
    small, large = build_search_plan(), build_search_plan(copies=3)
    assert (
        Measure.objects.filter(version=large).count()
        == 3 * Measure.objects.filter(version=small).count()
    )

    for q in ("darželis", "kelias dangos", "A.1.1"):
        cache.clear()
        small_count = queries(client, f"/versions/{small.pk}/", {"q": q})
        cache.clear()
        assert queries(client, f"/versions/{large.pk}/", {"q": q}) == small_count, q
    small_api = queries(client, "/api/v1/measures/", {"version": small.pk, "q": "kelias"})
    assert queries(client, "/api/v1/measures/", {"version": large.pk, "q": "kelias"}) == small_api


# --- Speed (issue 16) -------------------------------------------------------------


def first_search(client, version, q):
    """The queries of a search that nothing kept helps: the cache and this
    process's search indexes emptied first."""
    cache.clear()
    forget_search_indexes()
    return queries(client, f"/versions/{version.pk}/", {"q": q})


def test_a_search_runs_the_same_queries_at_one_five_and_ten_times_the_plan(
    client, django_assert_num_queries
):
    plans = [build_search_plan(copies=copies) for copies in (1, 5, 10)]
    assert (
        Measure.objects.filter(version=plans[2]).count()
        == 10 * Measure.objects.filter(version=plans[0]).count()
    )

    for q in ("darželis", "kelias dangos", "A.1.1", "atliekos"):
        first, again = (
            first_search(client, plans[0], q),
            queries(client, f"/versions/{plans[0].pk}/", {"q": q}),
        )
        for version in plans[1:]:
            cache.clear()
            forget_search_indexes()
            with django_assert_num_queries(first):
                client.get(f"/versions/{version.pk}/", {"q": q})
            with django_assert_num_queries(again):
                client.get(f"/versions/{version.pk}/", {"q": q})


def test_an_approved_versions_index_is_built_once_and_reused(client, version):
    first = first_search(client, version, "darželis")

    # Another word: the index (the tree's queries) is not read again.
    assert queries(client, f"/versions/{version.pk}/", {"q": "kelias"}) < first
    assert set(page_titles(client, version, "kelias")[:2]) == ROADS
    # Kept apart from what the shared cache holds, and rebuilt from it.
    forget_search_indexes()
    assert queries(client, f"/versions/{version.pk}/", {"q": "atliekos"}) < first
    assert len(page_titles(client, version, "atliekos")) == 5


def test_an_edit_of_a_draft_is_found_by_the_next_search(staff_client, staff_user):
    draft = build_search_plan(status=VersionStatus.DRAFT)
    measure = Measure.objects.get(version=draft, title="Vietinių kelių asfaltavimas")
    assert "Vietinių kelių asfaltavimas" in page_titles(staff_client, draft, "kelias")

    node_update(user=staff_user, node=measure, title="Tilto per Nerį statyba")

    assert page_titles(staff_client, draft, "tiltas") == ["Tilto per Nerį statyba"]
    assert "Tilto per Nerį statyba" not in page_titles(staff_client, draft, "kelias")
    # Every search of a draft reads its tree afresh: no query fewer the second time.
    again = queries(staff_client, f"/versions/{draft.pk}/", {"q": "kelias"})
    assert queries(staff_client, f"/versions/{draft.pk}/", {"q": "kelias"}) == again
