import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Measure, PlanVersion, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def draft_of(version, **kwargs):
    """A draft of the same plan as ``version``, with a tree of its own."""
    number = version.plan.versions.count() + 1
    draft = factories.VersionFactory(plan=version.plan, number=number, **kwargs)
    return build_plan_tree(draft, priorities=1, goals=1, tasks=1, measures=1)


def test_plan_list_names_the_version_in_force(anonymous_api, small_approved, small_draft):
    response = anonymous_api.get("/api/v1/plans/")
    assert response.status_code == 200
    plans = {plan["id"]: plan for plan in response.json()["results"]}
    assert plans[small_approved.plan_id]["current_version"] == small_approved.pk
    assert plans[small_draft.plan_id]["current_version"] is None
    assert plans[small_approved.plan_id]["period_start"] == 2013
    assert plans[small_approved.plan_id]["numbering"] == "letters"


def test_plan_detail_lists_only_the_versions_the_reader_may_see(
    anonymous_api, council_api, small_approved
):
    draft = draft_of(small_approved)
    path = f"/api/v1/plans/{small_approved.plan_id}/"
    public = anonymous_api.get(path).json()["versions"]
    internal = council_api.get(path).json()["versions"]
    assert public == [{"id": small_approved.pk, "number": 1, "status": "approved"}]
    assert [v["id"] for v in internal] == [draft.pk, small_approved.pk]


def test_staff_creates_a_draft_copied_from_the_version_in_force(staff_api, small_approved):
    response = staff_api.post(f"/api/v1/plans/{small_approved.plan_id}/versions/")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "number", "status"}
    assert (body["number"], body["status"]) == (2, "draft")
    copied = set(Measure.objects.filter(version_id=body["id"]).values_list("key", "code"))
    assert copied == set(Measure.objects.filter(version=small_approved).values_list("key", "code"))


def test_a_draft_can_be_copied_from_a_chosen_version(staff_api, small_approved):
    other_draft = draft_of(small_approved)
    response = staff_api.post(
        f"/api/v1/plans/{small_approved.plan_id}/versions/", {"source": other_draft.pk}
    )
    assert response.status_code == 201
    assert PlanVersion.objects.get(pk=response.json()["id"]).based_on == other_draft
    assert Measure.objects.filter(version_id=response.json()["id"]).count() == 1


def test_a_draft_cannot_be_copied_from_another_plans_version(
    staff_api, small_approved, small_draft
):
    before = PlanVersion.objects.count()
    response = staff_api.post(
        f"/api/v1/plans/{small_approved.plan_id}/versions/", {"source": small_draft.pk}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "another plan" in response.json()["detail"]
    unknown = staff_api.post(
        f"/api/v1/plans/{small_approved.plan_id}/versions/", {"source": 999999}
    )
    assert unknown.status_code == 400
    assert "source" in unknown.json()
    assert PlanVersion.objects.count() == before


def test_version_list_hides_drafts_from_the_public_and_filters(
    anonymous_api, staff_api, small_approved, small_draft
):
    public = anonymous_api.get("/api/v1/versions/").json()
    assert [v["id"] for v in public["results"]] == [small_approved.pk]
    drafts = staff_api.get("/api/v1/versions/?status=draft").json()["results"]
    assert [v["id"] for v in drafts] == [small_draft.pk]
    of_plan = staff_api.get(f"/api/v1/versions/?plan={small_approved.plan_id}").json()
    assert [v["id"] for v in of_plan["results"]] == [small_approved.pk]
    bad = staff_api.get("/api/v1/versions/?status=finished")
    assert bad.status_code == 400
    assert "status" in bad.json()


def test_version_detail_has_the_contract_fields(council_api, small_draft):
    response = council_api.get(f"/api/v1/versions/{small_draft.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert {"id", "plan", "number", "status", "label", "vision", "revision"} <= set(body)
    assert (body["plan"], body["number"], body["status"]) == (small_draft.plan_id, 2, "draft")
    assert response["ETag"] == f'"{small_draft.revision}"'


def test_staff_edits_the_vision_of_a_draft_and_the_label_stays(staff_api, small_draft):
    PlanVersion.objects.filter(pk=small_draft.pk).update(label="2021 pakeitimas")
    response = staff_api.patch(
        f"/api/v1/versions/{small_draft.pk}/", {"vision": "Nauja vizija", "revision": 1}
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    small_draft.refresh_from_db()
    assert (small_draft.vision, small_draft.label) == ("Nauja vizija", "2021 pakeitimas")


def test_a_stale_vision_edit_is_a_conflict_and_writes_nothing(staff_api, small_draft):
    path = f"/api/v1/versions/{small_draft.pk}/"
    assert staff_api.patch(path, {"vision": "Pirma", "revision": 1}).status_code == 200
    response = staff_api.patch(path, {"vision": "Antra"}, **{"If-Match": '"1"'})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_revision"
    assert response.json()["current_revision"] == 2
    small_draft.refresh_from_db()
    assert small_draft.vision == "Pirma"


def test_a_versions_status_cannot_be_patched(staff_api, small_draft):
    response = staff_api.patch(f"/api/v1/versions/{small_draft.pk}/", {"status": "approved"})
    assert response.status_code == 400
    assert "status" in response.json()
    small_draft.refresh_from_db()
    assert small_draft.status == VersionStatus.DRAFT


def test_staff_deletes_a_draft_but_not_an_small_approved(staff_api, small_draft, small_approved):
    assert staff_api.delete(f"/api/v1/versions/{small_draft.pk}/").status_code == 204
    assert not PlanVersion.objects.filter(pk=small_draft.pk).exists()
    response = staff_api.delete(f"/api/v1/versions/{small_approved.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert response.json()["code"] == "frozen_version"
    assert PlanVersion.objects.filter(pk=small_approved.pk).exists()


def test_tree_is_nested_as_the_contract_says(anonymous_api, approved_version):
    response = anonymous_api.get(f"/api/v1/versions/{approved_version.pk}/tree/")
    assert response.status_code == 200
    tree = response.json()
    assert tree["vision"] == approved_version.vision
    assert [p["code"] for p in tree["priorities"]] == ["A", "B"]
    priority = tree["priorities"][0]
    goal = priority["goals"][0]
    task = goal["tasks"][0]
    measure = task["measures"][1]
    for node in (priority, goal, task, measure):
        assert {"id", "key", "code", "title", "description"} <= set(node)
    assert (goal["code"], task["code"], measure["code"]) == ("A.1", "A.1.1", "A.1.1.2")
    assert goal["indicators"][0]["kind"] == "effect"
    assert task["indicators"] == []
    indicator = measure["indicators"][0]
    assert {
        "kind",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "data_source",
        "direction",
    } <= set(indicator)
    assert indicator["targets"] == [
        {"year": 2017, "value": "10.0000"},
        {"year": 2020, "value": "20.0000"},
    ]
    assert measure["responsible_unit"] == "Statybos skyrius"
    assert measure["co_executors"][0]["name"] == "Seniūnijos"
    assert (measure["start_year"], measure["end_year"]) == (2014, 2020)
    assert sorted(line["source"] for line in measure["funding"]) == ["ES", "SB"]
    assert {line["year"] for line in measure["funding"]} == {2016}
    assert measure["funding_total"] == "20000.00"


def test_a_draft_tree_is_not_found_for_residents(resident_api, council_api, small_draft):
    path = f"/api/v1/versions/{small_draft.pk}/tree/"
    assert resident_api.get(path).status_code == 404
    assert council_api.get(path).status_code == 200


def tree_queries(api, version):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/versions/{version.pk}/tree/")
    assert response.status_code == 200
    return len(queries), response.json()


def test_tree_query_count_does_not_grow_with_the_plan(staff_api):
    small = build_plan_tree(factories.VersionFactory(), priorities=1)
    small_count, _ = tree_queries(staff_api, small)
    big = build_plan_tree(factories.VersionFactory(), priorities=5)
    big_count, tree = tree_queries(staff_api, big)
    assert len(tree["priorities"]) == 5
    assert big_count == small_count


def plans_with_versions(count):
    for _ in range(count):
        plan = factories.PlanFactory()
        factories.VersionFactory(plan=plan, number=1, status=VersionStatus.APPROVED)
        factories.VersionFactory(plan=plan, number=2, status=VersionStatus.DRAFT)


@pytest.mark.parametrize("path", ["/api/v1/plans/", "/api/v1/versions/"])
def test_plan_and_version_list_query_counts_do_not_grow(staff_api, path):
    plans_with_versions(2)
    with CaptureQueriesContext(connection) as small:
        assert staff_api.get(path).status_code == 200
    plans_with_versions(8)
    with CaptureQueriesContext(connection) as big:
        response = staff_api.get(path)
    assert response.json()["count"] in {10, 20}
    assert len(big) == len(small)
