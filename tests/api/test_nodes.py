import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import FundingLine, Goal, Measure, Priority, Task
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def codes(version, model):
    return dict(model.objects.filter(version=version).values_list("pk", "code"))


def test_a_new_priority_goes_last_and_carries_key_and_code(staff_api, small_draft):
    response = staff_api.post(
        "/api/v1/priorities/", {"version": small_draft.pk, "title": "Klimatas"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "B"
    assert body["key"] and body["id"] and body["revision"] == 1
    assert Priority.objects.get(pk=body["id"]).title == "Klimatas"


def test_a_goal_inserted_first_renumbers_its_siblings(staff_api, draft_version):
    priority = Priority.objects.get(version=draft_version, code="B")
    old_first = Goal.objects.get(version=draft_version, code="B.1")
    response = staff_api.post(
        "/api/v1/goals/", {"priority": priority.pk, "title": "Naujas tikslas", "position": 1}
    )
    assert response.status_code == 201
    assert response.json()["code"] == "B.1"
    old_first.refresh_from_db()
    assert old_first.code == "B.2"
    assert Measure.objects.filter(task__goal=old_first, code="B.2.1.1").exists()


def test_a_measure_is_created_with_its_funding_and_co_executors(staff_api, small_draft):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    unit = factories.UnitFactory(name="Švietimo skyrius")
    response = staff_api.post(
        "/api/v1/measures/",
        {
            "task": task.pk,
            "title": "Modulinis darželis Akademijoje",
            "kind": "progress",
            "responsible_unit": unit.pk,
            "co_executors": [unit.pk],
            "start_year": 2015,
            "end_year": 2017,
            "funding": [
                {"year": 2015, "source": "SB", "amount": "150000.00"},
                {"year": 2016, "source": "ES", "amount": 900000},
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "A.1.1.3"
    assert body["funding_total"] == "1050000.00"
    assert body["funding"][1] == {"year": 2016, "source": "ES", "amount": "900000.00"}
    assert body["co_executors"] == [unit.pk]
    assert body["responsible_unit_name"] == "Švietimo skyrius"


@pytest.mark.parametrize(
    ("funding", "message_in"),
    [
        ([{"year": 2015, "source": "SB", "amount": "-1"}], "greater than or equal to 0"),
        ([{"year": "kitais metais", "source": "SB", "amount": "1"}], "valid integer"),
        ([{"year": 2015, "source": "XX", "amount": "1"}], "XX"),
        (
            [
                {"year": 2015, "source": "SB", "amount": "1"},
                {"year": 2015, "source": "SB", "amount": "2"},
            ],
            "2015",
        ),
        ([{"year": 1950, "source": "SB", "amount": "1"}], "1990"),
    ],
)
def test_bad_funding_is_refused_and_no_measure_is_half_saved(
    staff_api, small_draft, funding, message_in
):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    before = Measure.objects.count(), FundingLine.objects.count()
    response = staff_api.post(
        "/api/v1/measures/", {"task": task.pk, "title": "Priemonė", "funding": funding}
    )
    assert response.status_code == 400
    assert message_in in str(response.json()["funding"])
    assert (Measure.objects.count(), FundingLine.objects.count()) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": "   "}, "title"),
        ({"task": 999999, "title": "Priemonė"}, "task"),
        ({"task": "A.1.1", "title": "Priemonė"}, "task"),
        ({"start_year": "2015 m.", "title": "Priemonė"}, "start_year"),
        ({"start_year": 2018, "end_year": 2015, "title": "Priemonė"}, "end_year"),
        ({"code": "Z.9", "title": "Priemonė"}, "code"),
        ({"responsible_unit": 999999, "title": "Priemonė"}, "responsible_unit"),
    ],
)
def test_bad_node_input_is_a_400_naming_the_field(staff_api, small_draft, body, field):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    body = {"task": task.pk, **body}
    before = Measure.objects.count()
    response = staff_api.post("/api/v1/measures/", body)
    assert response.status_code == 400
    assert response.json()[field]
    assert Measure.objects.count() == before


def test_a_missing_parent_is_a_400(staff_api, small_draft):
    response = staff_api.post("/api/v1/goals/", {"title": "Be prioriteto"})
    assert response.status_code == 400
    assert "priority" in response.json()


def test_malformed_json_is_a_400(staff_client, small_draft):
    response = staff_client.post(
        "/api/v1/priorities/", data='{"title": "Klimatas",', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "JSON" in response.json()["detail"]


def test_a_list_instead_of_an_object_is_a_400(staff_api, small_draft):
    response = staff_api.post("/api/v1/priorities/", [{"title": "Klimatas"}])
    assert response.status_code == 400


def test_staff_renames_a_node_with_its_revision(staff_api, small_draft):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    path = f"/api/v1/tasks/{task.pk}/"
    etag = staff_api.get(path)["ETag"]
    assert etag == '"1"'
    response = staff_api.patch(path, {"title": "Sutvarkyti sąvartynus"}, **{"If-Match": etag})
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    task.refresh_from_db()
    assert task.title == "Sutvarkyti sąvartynus"


def test_a_stale_revision_is_a_409_with_the_current_one_and_writes_nothing(staff_api, small_draft):
    measure = Measure.objects.get(version=small_draft, code="A.1.1.1")
    path = f"/api/v1/measures/{measure.pk}/"
    assert staff_api.patch(path, {"title": "Pirmas", "revision": 1}).status_code == 200
    for body, headers in [
        ({"title": "Antras", "revision": 1}, {}),
        ({"title": "Antras"}, {"If-Match": '"1"'}),
        ({"position": 2, "revision": 1}, {}),
        ({"funding": [], "revision": 1}, {}),
    ]:
        response = staff_api.patch(path, body, **headers)
        assert response.status_code == 409
        assert response.json()["code"] == "stale_revision"
        assert response.json()["current_revision"] == 2
    measure.refresh_from_db()
    assert (measure.title, measure.code, measure.funding.count()) == ("Pirmas", "A.1.1.1", 2)
    stale_delete = staff_api.delete(path, **{"If-Match": '"1"'})
    assert stale_delete.status_code == 409
    assert stale_delete.json()["code"] == "stale_revision"
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_malformed_if_match_is_a_400(staff_api, small_draft):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    response = staff_api.patch(f"/api/v1/tasks/{task.pk}/", {"title": "X"}, **{"If-Match": "abc"})
    assert response.status_code == 400
    assert "If-Match" in response.json()


def test_a_changed_position_moves_the_node_and_renumbers(staff_api, small_draft):
    first = Measure.objects.get(version=small_draft, code="A.1.1.1")
    second = Measure.objects.get(version=small_draft, code="A.1.1.2")
    response = staff_api.patch(f"/api/v1/measures/{second.pk}/", {"position": 1})
    assert response.status_code == 200
    assert response.json()["code"] == "A.1.1.1"
    first.refresh_from_db()
    assert first.code == "A.1.1.2"


def test_a_changed_parent_moves_a_goal_under_another_priority(staff_api, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    target = Priority.objects.get(version=draft_version, code="B")
    response = staff_api.patch(f"/api/v1/goals/{goal.pk}/", {"priority": target.pk, "position": 1})
    assert response.status_code == 200
    assert response.json()["code"] == "B.1"
    assert sorted(codes(draft_version, Goal).values()) == ["A.1", "B.1", "B.2", "B.3"]


def test_a_node_cannot_move_into_another_version(staff_api, draft_version, small_draft):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    elsewhere = Priority.objects.get(version=small_draft, code="A")
    response = staff_api.patch(f"/api/v1/goals/{goal.pk}/", {"priority": elsewhere.pk})
    assert response.status_code == 400
    assert response.json()["priority"]
    goal.refresh_from_db()
    assert goal.code == "A.2"


def test_a_measure_moves_under_another_task_at_a_chosen_position(staff_api, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    target = Task.objects.get(version=draft_version, code="B.2.2")
    response = staff_api.patch(
        f"/api/v1/measures/{measure.pk}/", {"task": target.pk, "position": 2}
    )
    assert response.status_code == 200
    assert response.json()["code"] == "B.2.2.2"
    assert sorted(Measure.objects.filter(task=target).values_list("code", flat=True)) == [
        "B.2.2.1",
        "B.2.2.2",
        "B.2.2.3",
    ]


def test_a_move_into_another_version_answers_with_the_code_invalid_move(
    staff_api, draft_version, small_draft
):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    elsewhere = Priority.objects.get(version=small_draft, code="A")
    response = staff_api.patch(f"/api/v1/goals/{goal.pk}/", {"priority": elsewhere.pk})
    assert response.json()["code"] == "invalid_move"


def test_funding_sent_on_update_replaces_the_lines(staff_api, small_draft):
    measure = Measure.objects.get(version=small_draft, code="A.1.1.2")
    response = staff_api.patch(
        f"/api/v1/measures/{measure.pk}/",
        {"funding": [{"year": 2019, "source": "SB", "amount": "1234.50"}]},
    )
    assert response.status_code == 200
    assert response.json()["funding"] == [{"year": 2019, "source": "SB", "amount": "1234.50"}]
    assert list(measure.funding.values_list("year", "source__code")) == [(2019, "SB")]


def test_a_full_update_needs_a_title(staff_api, small_draft):
    priority = Priority.objects.get(version=small_draft, code="A")
    response = staff_api.put(f"/api/v1/priorities/{priority.pk}/", {"description": "Tik aprašas"})
    assert response.status_code == 400
    assert "title" in response.json()
    ok = staff_api.put(
        f"/api/v1/priorities/{priority.pk}/", {"title": "Ekonomika", "description": "Aprašas"}
    )
    assert ok.status_code == 200
    assert ok.json()["description"] == "Aprašas"


def test_deleting_a_priority_renumbers_the_rest(staff_api, draft_version):
    first = Priority.objects.get(version=draft_version, code="A")
    assert staff_api.delete(f"/api/v1/priorities/{first.pk}/").status_code == 204
    assert list(codes(draft_version, Priority).values()) == ["A"]
    assert Measure.objects.filter(version=draft_version).count() == 8


def test_node_lists_hide_drafts_from_residents(
    resident_api, council_api, small_draft, small_approved
):
    public = resident_api.get("/api/v1/priorities/").json()
    assert {p["version"] for p in public["results"]} == {small_approved.pk}
    internal = council_api.get("/api/v1/priorities/").json()
    assert {p["version"] for p in internal["results"]} == {small_approved.pk, small_draft.pk}


def listed_codes(api, path):
    response = api.get(path)
    assert response.status_code == 200, response.json()
    return [node["code"] for node in response.json()["results"]]


def test_node_lists_filter_by_version_parent_code_and_text(staff_api, draft_version, small_draft):
    goal = Goal.objects.get(version=draft_version, code="B.2")
    Task.objects.filter(pk=goal.tasks.get(code="B.2.1").pk).update(
        description="Nelegalūs sąvartynai"
    )
    assert listed_codes(staff_api, f"/api/v1/tasks/?version={draft_version.pk}") == [
        "A.1.1",
        "A.1.2",
        "A.2.1",
        "A.2.2",
        "B.1.1",
        "B.1.2",
        "B.2.1",
        "B.2.2",
    ]
    assert listed_codes(staff_api, f"/api/v1/tasks/?goal={goal.pk}") == ["B.2.1", "B.2.2"]
    assert listed_codes(staff_api, f"/api/v1/tasks/?parent={goal.pk}") == ["B.2.1", "B.2.2"]
    assert listed_codes(staff_api, f"/api/v1/goals/?version={draft_version.pk}&code=b.1") == ["B.1"]
    assert listed_codes(staff_api, "/api/v1/tasks/?q=sąvartyn") == ["B.2.1"]


def test_measures_filter_by_unit_source_year_and_kind(staff_api, draft_version):
    base = f"/api/v1/measures/?version={draft_version.pk}"
    special = Measure.objects.get(version=draft_version, code="A.2.1.2")
    other_unit = factories.UnitFactory(name="Kultūros skyrius")
    Measure.objects.filter(pk=special.pk).update(
        responsible_unit=other_unit, start_year=2018, end_year=2019, kind="continuing"
    )
    factories.FundingLineFactory(
        measure=special, year=2014, source=factories.FundingSourceFactory(code="SAARSP")
    )
    assert listed_codes(staff_api, f"{base}&responsible_unit={other_unit.pk}") == ["A.2.1.2"]
    assert listed_codes(staff_api, f"{base}&source=saarsp") == ["A.2.1.2"]
    assert listed_codes(staff_api, f"{base}&kind=continuing") == ["A.2.1.2"]
    # Out of its period in 2014 but funded that year; 2017 is neither.
    assert "A.2.1.2" in listed_codes(staff_api, f"{base}&year=2014")
    assert "A.2.1.2" not in listed_codes(staff_api, f"{base}&year=2017")
    assert len(listed_codes(staff_api, f"{base}&year=2017")) == 15


def test_a_non_numeric_filter_is_a_400(staff_api, small_draft):
    response = staff_api.get("/api/v1/measures/?year=praeitais")
    assert response.status_code == 400
    assert "year" in response.json()


def list_queries(api, path):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


ENDPOINTS = ["priorities", "goals", "tasks", "measures", "indicators"]


def test_node_list_query_counts_do_not_grow_with_the_plan(staff_api):
    small_version = build_plan_tree(factories.VersionFactory(), priorities=1)
    small = {
        e: list_queries(staff_api, f"/api/v1/{e}/?version={small_version.pk}") for e in ENDPOINTS
    }
    big_version = build_plan_tree(factories.VersionFactory(), priorities=5)
    big = {e: list_queries(staff_api, f"/api/v1/{e}/?version={big_version.pk}") for e in ENDPOINTS}
    for endpoint in ENDPOINTS:
        assert big[endpoint][1] == 5 * small[endpoint][1]
        assert big[endpoint][0] == small[endpoint][0], endpoint
