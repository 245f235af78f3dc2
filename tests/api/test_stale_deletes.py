"""A DELETE with If-Match checks the revision by reading it: refused, it writes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Indicator, Measure, PlanVersion

pytestmark = pytest.mark.django_db


def plan_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "plans_" in q["sql"]
    ]


def test_a_stale_if_match_on_delete_is_a_409_that_writes_nothing(staff_api, small_draft):
    measure = Measure.objects.get(version=small_draft, code="A.1.1.1")
    path = f"/api/v1/measures/{measure.pk}/"
    assert staff_api.patch(path, {"title": "Pirmas", "revision": 1}).status_code == 200
    history = measure.history.count()
    with CaptureQueriesContext(connection) as queries:
        response = staff_api.delete(path, **{"If-Match": '"1"'})
    assert response.status_code == 409
    assert response.json()["current_revision"] == 2
    assert plan_writes(queries) == []
    measure.refresh_from_db()
    assert (measure.title, measure.revision, measure.history.count()) == ("Pirmas", 2, history)


def test_a_current_if_match_deletes_without_a_change_record_first(staff_api, small_draft):
    measure = Measure.objects.get(version=small_draft, code="A.1.1.1")
    before = list(measure.history.values_list("history_id", flat=True))
    response = staff_api.delete(f"/api/v1/measures/{measure.pk}/", **{"If-Match": '"1"'})
    assert response.status_code == 204
    new = measure.history.exclude(history_id__in=before)
    assert list(new.values_list("history_type", "revision")) == [("-", 1)]


def test_stale_deletes_of_indicators_and_versions_write_nothing(staff_api, small_draft):
    indicator = Indicator.objects.filter(version=small_draft).first()
    with CaptureQueriesContext(connection) as queries:
        refused = [
            staff_api.delete(f"/api/v1/indicators/{indicator.pk}/", **{"If-Match": '"7"'}),
            staff_api.delete(f"/api/v1/versions/{small_draft.pk}/", **{"If-Match": '"7"'}),
        ]
    assert [r.status_code for r in refused] == [409, 409]
    assert plan_writes(queries) == []
    assert Indicator.objects.filter(pk=indicator.pk, revision=indicator.revision).exists()
    assert PlanVersion.objects.filter(pk=small_draft.pk, revision=small_draft.revision).exists()
