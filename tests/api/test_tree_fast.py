"""The tree API built from rows and kept as bytes (issue 16, plans/api/tree_document.py).

The document is the one the nested serializers made; its queries do not grow
with the plan; an immutable version's document is kept and served to
anonymous readers without a query, retired by ``pagecache.bump()``; a
draft's is built on every request, for those who may read it.
"""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from planportal import pagecache
from plans.api.serializers import VersionTreeSerializer
from plans.models import Measure, PlanVersion, VersionStatus
from plans.selectors import version_tree
from plans.services import node_update
from tests.growth import grow_version


def tree_path(version):
    return f"/api/v1/versions/{version.pk}/tree/"


def serializer_document(version):
    """What ``GET …/tree/`` answered before issue 16: the nested serializers' JSON."""
    return json.loads(JSONRenderer().render(VersionTreeSerializer(version_tree(version)).data))


def demo_versions():
    return list(PlanVersion.objects.select_related("plan").order_by("pk"))


def test_the_tree_is_the_document_the_serializers_made_for_every_demo_version(demo, staff_api):
    versions = demo_versions()
    assert {v.status for v in versions} >= {VersionStatus.APPROVED, VersionStatus.DRAFT}
    for version in versions:
        response = staff_api.get(tree_path(version))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content) == serializer_document(version), version
        # A second reading (from the cache, for an immutable version) is the same.
        assert json.loads(staff_api.get(tree_path(version)).content) == serializer_document(version)


def test_the_demo_tree_shows_links_funding_and_description_cards(demo, anonymous_api):
    # The demo's action plan links measures to the development plan: the
    # comparison above covers these fields only if the demo fills them.
    documents = [
        json.loads(anonymous_api.get(tree_path(version)).content)
        for version in demo_versions()
        if version.status in {VersionStatus.APPROVED, VersionStatus.SUPERSEDED}
    ]
    measures = [
        measure
        for document in documents
        for priority in document["priorities"]
        for goal in priority["goals"]
        for task in goal["tasks"]
        for measure in task["measures"]
    ]
    assert any(measure["implements"] for measure in measures)
    assert any(measure["co_executors"] for measure in measures)
    assert any(measure["funding"] for measure in measures)
    assert any(measure["indicators"] for measure in measures)


def test_tree_queries_stay_the_same_at_one_five_and_ten_times_the_demo(
    demo, staff_api, django_assert_num_queries
):
    source = PlanVersion.objects.in_force().get(plan__kind="spp_2013")
    counts = []
    for factor in (1, 5, 10):
        version = grow_version(source, factor)
        assert Measure.objects.filter(version=version).count() == factor * (
            Measure.objects.filter(version=source).count()
        )
        with CaptureQueriesContext(connection) as queries:
            response = staff_api.get(tree_path(version))
        assert response.status_code == 200
        document = response.json()
        assert len(document["priorities"]) == factor * len(source.priorities.all())
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
    # And the count is pinned, so a query added per node would show here too.
    version = grow_version(source, 2)
    with django_assert_num_queries(counts[0]):
        staff_api.get(tree_path(version))


def test_an_immutable_tree_is_read_once_then_served_to_anonymous_readers_without_a_query(
    anonymous_api, approved_version
):
    first = anonymous_api.get(tree_path(approved_version))
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = anonymous_api.get(tree_path(approved_version))
    assert second.status_code == 200
    assert len(queries) == 0
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert json.loads(second.content) == serializer_document(approved_version)


def test_a_signed_in_reader_of_an_immutable_tree_is_still_authenticated(
    council_api, approved_version
):
    council_api.get(tree_path(approved_version))
    with CaptureQueriesContext(connection) as queries:
        response = council_api.get(tree_path(approved_version))
    assert response.status_code == 200
    # The session and its user are read, and the version: not the tree.
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" in sql
    assert "plans_priority" not in sql and "plans_measure" not in sql


def test_a_bad_token_is_refused_even_for_a_kept_tree(anonymous_api, approved_version):
    assert anonymous_api.get(tree_path(approved_version)).status_code == 200
    response = anonymous_api.get(tree_path(approved_version), Authorization="Token not-a-token")
    assert response.status_code == 401


def test_a_drafts_edit_shows_in_the_next_reading(staff_api, staff_user, draft_version):
    measure = Measure.objects.filter(version=draft_version).first()
    before = staff_api.get(tree_path(draft_version)).json()
    node_update(user=staff_user, node=measure, title="Nauja priemonės antraštė")
    after = staff_api.get(tree_path(draft_version)).json()
    titles = [
        m["title"]
        for p in after["priorities"]
        for g in p["goals"]
        for t in g["tasks"]
        for m in t["measures"]
    ]
    assert "Nauja priemonės antraštė" in titles
    assert after != before
    assert after == serializer_document(draft_version)


def test_a_bump_retires_the_kept_tree(anonymous_api, staff_api, approved_version):
    assert anonymous_api.get(tree_path(approved_version)).json()["status"] == "approved"
    # A newer version comes into force: the council's decision supersedes
    # this one and bumps the page cache's generation, as every transition does.
    PlanVersion.objects.filter(pk=approved_version.pk).update(status=VersionStatus.SUPERSEDED)
    # A signed-in reader loads the version, so its new status shows at once.
    assert staff_api.get(tree_path(approved_version)).json()["status"] == "superseded"
    pagecache.bump()
    with CaptureQueriesContext(connection) as queries:
        rebuilt = anonymous_api.get(tree_path(approved_version)).json()
    assert len(queries) > 0
    assert rebuilt["status"] == "superseded"
    approved_version.refresh_from_db()
    assert rebuilt == serializer_document(approved_version)
    with CaptureQueriesContext(connection) as queries:
        assert anonymous_api.get(tree_path(approved_version)).json() == rebuilt
    assert len(queries) == 0


def test_a_draft_tree_is_for_the_council_and_not_for_the_public(
    anonymous_api, resident_api, council_api, draft_version
):
    path = tree_path(draft_version)
    assert council_api.get(path).json() == serializer_document(draft_version)
    assert anonymous_api.get(path).status_code == 404
    assert resident_api.get(path).status_code == 404
    # Reading it twice keeps nothing for the public either.
    council_api.get(path)
    assert anonymous_api.get(path).status_code == 404


def test_the_browsable_api_still_shows_the_tree(staff_client, approved_version):
    response = staff_client.get(tree_path(approved_version), headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert approved_version.priorities.first().title.encode() in response.content


def test_the_schema_still_describes_the_tree(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/?format=json").json()
    answer = schema["paths"]["/api/v1/versions/{id}/tree/"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    tree = schema["components"]["schemas"][name]
    assert {"id", "status", "vision", "priorities"} <= set(tree["properties"])


def test_a_kept_tree_answers_304_to_a_reader_who_has_it(
    anonymous_api, council_api, approved_version, draft_version
):
    first = anonymous_api.get(tree_path(approved_version))
    etag = first["ETag"]
    for api in (anonymous_api, council_api):
        again = api.get(tree_path(approved_version), **{"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert api.get(tree_path(approved_version), **{"If-None-Match": '"other"'}).content == (
            first.content
        )
    # A draft can change at any moment: it is sent whole every time.
    assert not council_api.get(tree_path(draft_version)).has_header("ETag")
