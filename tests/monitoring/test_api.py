"""The monitoring API (docs/monitoring/api.md): shapes, roles, refusals, query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring import services
from monitoring.models import ActualValue, MeasureImplementation, MonitoringRound, UnitMembership
from plans.models import Indicator, IndicatorTarget, Measure, VersionStatus
from tests import factories
from tests.api.conftest import ApiClient
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 2, 15)


def api_of(user=None) -> ApiClient:
    client = Client()
    if user is not None:
        client.force_login(user)
    return ApiClient(client)


def member_of(unit):
    user = factories.UserFactory()
    UnitMembership.objects.create(unit=unit, user=user)
    return user


@pytest.fixture
def round_2020(approved_version, staff_user):
    return services.round_open(user=staff_user, plan=approved_version.plan, year=2020, due=DUE)


@pytest.fixture
def indicator(approved_version):
    return Indicator.objects.filter(version=approved_version, measure__isnull=False).first()


@pytest.fixture
def member(indicator):
    return member_of(indicator.measure.responsible_unit)


@pytest.fixture
def other_measure(approved_version, indicator):
    """A measure (with its indicator) of another unit, under another task."""
    measure = (
        Measure.objects.filter(version=approved_version)
        .exclude(task_id=indicator.measure.task_id)
        .first()
    )
    Measure._base_manager.filter(pk=measure.pk).update(
        responsible_unit=factories.UnitFactory(name="Švietimo skyrius")
    )
    measure.refresh_from_db()
    return measure


def actual_url(indicator, year=2020):
    return f"/api/v1/indicators/{indicator.pk}/actuals/{year}/"


def implementation_url(measure, year=2020):
    return f"/api/v1/measures/{measure.pk}/implementation/{year}/"


# --- Rounds --------------------------------------------------------------------------


def test_staff_open_list_and_publish_a_round(approved_version, staff_user):
    staff = api_of(staff_user)
    url = f"/api/v1/plans/{approved_version.plan_id}/rounds/"
    response = staff.post(url, {"year": 2020, "due": "2021-02-15"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body == {"id": body["id"], "year": 2020, "status": "open", "due": "2021-02-15"}
    assert staff.post(url, {"year": 2020, "due": "2021-02-15"}).json()["code"] == "already_done"
    assert api_of().get(url).json() == []  # the public sees published rounds only
    assert [r["status"] for r in staff.get(url).json()] == ["open"]
    published = staff.post(f"/api/v1/rounds/{body['id']}/publish/")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert [r["year"] for r in api_of().get(url).json()] == [2020]


def test_only_staff_open_or_publish_rounds(approved_version, council_user, member, round_2020):
    url = f"/api/v1/plans/{approved_version.plan_id}/rounds/"
    body = {"year": 2021, "due": "2022-02-15"}
    assert api_of().post(url, body).status_code == 401
    assert api_of(council_user).post(url, body).status_code == 403
    assert api_of(member).post(url, body).status_code == 403
    assert api_of(member).post(f"/api/v1/rounds/{round_2020.pk}/publish/").status_code == 403
    assert MonitoringRound.objects.count() == 1 and MonitoringRound.objects.get().is_open


def test_unknown_fields_are_refused(approved_version, staff_user):
    response = api_of(staff_user).post(
        f"/api/v1/plans/{approved_version.plan_id}/rounds/",
        {"year": 2020, "due": "2021-02-15", "status": "published"},
    )
    assert response.status_code == 400 and "status" in response.json()
    assert not MonitoringRound.objects.exists()


def test_the_items_a_reader_may_write(
    approved_version, round_2020, staff_user, member, indicator, other_measure
):
    url = f"/api/v1/rounds/{round_2020.pk}/items/"
    everything = api_of(staff_user).get(url).json()
    assert set(everything["measures"]) == set(
        Measure.objects.filter(version=approved_version).values_list("pk", flat=True)
    )
    assert (
        len(everything["indicators"]) == Indicator.objects.filter(version=approved_version).count()
    )
    mine = api_of(member).get(url).json()
    assert indicator.pk in mine["indicators"] and indicator.measure_id in mine["measures"]
    assert other_measure.pk not in mine["measures"]
    goal_indicators = Indicator.objects.filter(version=approved_version, goal__isnull=False)
    assert not set(mine["indicators"]) & set(goal_indicators.values_list("pk", flat=True))
    stranger = member_of(other_measure.responsible_unit)
    theirs = api_of(stranger).get(url).json()
    assert theirs["measures"] == [other_measure.pk]
    assert set(other_measure.indicators.values_list("pk", flat=True)) <= set(theirs["indicators"])
    # An open round is not public: a resident or an anonymous reader does not see it.
    assert api_of(factories.UserFactory()).get(url).status_code == 404
    assert api_of().get(url).status_code == 404
    services.round_publish(user=staff_user, round=round_2020)
    assert api_of().get(url).json() == {"indicators": [], "measures": []}


def test_items_take_a_fixed_number_of_queries(round_2020, member):
    from monitoring.selectors import items_for

    with CaptureQueriesContext(connection) as queries:
        items_for(member, round_2020)
    assert len(queries) <= 5


# --- Actual values -----------------------------------------------------------------------


def test_a_member_enters_and_corrects_a_value(round_2020, member, indicator):
    api = api_of(member)
    created = api.put(actual_url(indicator), {"value": "12,5", "note": "Skyriaus duomenys"})
    assert created.status_code == 201, created.json()
    assert created.json()["value"] == "12.5000" and created.json()["revision"] == 1
    assert "entered_by" not in created.json()
    changed = api.put(actual_url(indicator), {"value": 13, "note": "", "revision": 1})
    assert changed.status_code == 200 and changed.json()["revision"] == 2
    stale = api.put(actual_url(indicator), {"value": 14, "note": "", "revision": 1})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_revision" and stale.json()["current_revision"] == 2
    assert ActualValue.objects.get().value == Decimal(13)
    assert api.get(actual_url(indicator)).json()["value"] == "13.0000"


def test_who_may_not_enter_a_value_changes_nothing(
    round_2020, council_user, resident_user, indicator, other_measure
):
    stranger = member_of(other_measure.responsible_unit)
    body = {"value": "1", "note": ""}
    assert api_of().put(actual_url(indicator), body).status_code == 401
    for user in (council_user, resident_user, stranger):
        response = api_of(user).put(actual_url(indicator), body)
        assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    response = api_of(stranger).put(
        implementation_url(indicator.measure), {"status": "in_progress", "note": ""}
    )
    assert response.status_code == 403
    assert not ActualValue.objects.exists() and not MeasureImplementation.objects.exists()


def test_a_year_without_an_open_round_and_a_bad_number_are_refused(
    round_2020, staff_user, indicator
):
    api = api_of(staff_user)
    response = api.put(actual_url(indicator, 2019), {"value": "1", "note": ""})
    assert response.status_code == 409 and response.json()["code"] == "round_not_open"
    response = api.put(actual_url(indicator), {"value": "daug", "note": ""})
    assert response.status_code == 400 and "value" in response.json()
    response = api.put(actual_url(indicator), {"value": "1", "colour": "red"})
    assert response.status_code == 400 and "colour" in response.json()
    assert not ActualValue.objects.exists()


def test_the_history_names_who_entered_for_staff_only(
    approved_version, round_2020, staff_user, member, indicator
):
    api_of(member).put(actual_url(indicator), {"value": "5", "note": ""})
    url = f"/api/v1/indicators/{indicator.pk}/actuals/"
    staff_view = api_of(staff_user).get(url).json()
    assert [(row["year"], row["value"]) for row in staff_view] == [(2020, "5.0000")]
    assert staff_view[0]["entered_by"] == (member.get_full_name() or member.username)
    assert "entered_by" not in api_of(member).get(url).json()[0]
    assert api_of().get(url).json() == []  # not published yet
    assert api_of().get(actual_url(indicator)).status_code == 404
    services.round_publish(user=staff_user, round=round_2020)
    public = api_of().get(url).json()
    assert [row["value"] for row in public] == ["5.0000"] and "entered_by" not in public[0]


# --- Implementation of measures ----------------------------------------------------------


def test_a_member_records_a_measures_implementation_with_money(round_2020, member, indicator):
    api = api_of(member)
    measure = indicator.measure
    body = {"status": "delayed", "note": "", "spent": []}
    refused = api.put(implementation_url(measure), body)
    assert refused.status_code == 400 and "note" in refused.json()
    body = {
        "status": "delayed",
        "note": "Rangovas vėluoja",
        "spent": [{"source": "SB", "amount": "1200.50"}],
    }
    created = api.put(implementation_url(measure), body)
    assert created.status_code == 201, created.json()
    assert created.json()["spent"] == [{"source": "SB", "amount": "1200.50"}]
    body = {"status": "in_progress", "note": "", "revision": 1}
    assert api.put(implementation_url(measure), body).status_code == 200
    assert api.put(implementation_url(measure), {**body, "status": "completed"}).status_code == 409
    assert api.put(implementation_url(measure), {"status": "done", "note": ""}).status_code == 400
    bad_money = {"status": "in_progress", "spent": [{"source": "SB", "amount": "-1"}]}
    assert api.put(implementation_url(measure), bad_money).status_code == 400
    entry = MeasureImplementation.objects.get()
    assert entry.status == "in_progress" and entry.spent.count() == 1
    listed = api.get(f"/api/v1/measures/{measure.pk}/implementation/").json()
    assert [(row["year"], row["status"]) for row in listed] == [(2020, "in_progress")]


def test_implementation_needs_an_open_round(approved_version, staff_user, indicator):
    response = api_of(staff_user).put(
        implementation_url(indicator.measure), {"status": "in_progress"}
    )
    assert response.status_code == 409 and response.json()["code"] == "round_not_open"


# --- Progress ------------------------------------------------------------------------------


def half_way(indicator):
    # An approved version's indicators are frozen: baseline 10, target 20 set
    # on the rows past the guards, as in tests/monitoring/test_selectors.py.
    Indicator._base_manager.filter(pk=indicator.pk).update(baseline_value=Decimal(10))
    IndicatorTarget._base_manager.filter(indicator=indicator).update(value=20)


def test_progress_has_the_contracts_shape_and_the_public_waits_for_publication(
    approved_version, round_2020, staff_user, indicator
):
    half_way(indicator)
    api_of(staff_user).put(actual_url(indicator), {"value": "15", "note": ""})
    url = f"/api/v1/versions/{approved_version.pk}/progress/"
    body = api_of(staff_user).get(url).json()
    assert set(body) == {"progress", "nodes", "indicators"}
    node = next(n for n in body["nodes"] if n["key"] == str(indicator.measure.key))
    assert set(node) == {"key", "code", "level", "progress", "status"}
    assert node["level"] == "measure" and node["progress"] == pytest.approx(0.5)
    item = next(i for i in body["indicators"] if i["key"] == str(indicator.key))
    assert set(item) == {"key", "progress", "status", "actuals"}
    assert item["actuals"] == [{"year": 2020, "value": "15.0000"}]
    assert item["progress"] == pytest.approx(0.5)

    public = api_of().get(url).json()
    item = next(i for i in public["indicators"] if i["key"] == str(indicator.key))
    assert item["actuals"] == [] and item["progress"] is None
    assert all(i["actuals"] == [] for i in public["indicators"])
    services.round_publish(user=staff_user, round=round_2020)
    public = api_of().get(url).json()
    item = next(i for i in public["indicators"] if i["key"] == str(indicator.key))
    assert item["actuals"] == [{"year": 2020, "value": "15.0000"}]


def test_a_drafts_progress_is_hidden_from_the_public(draft_version, staff_user):
    url = f"/api/v1/versions/{draft_version.pk}/progress/"
    assert api_of().get(url).status_code in (403, 404)
    assert api_of(staff_user).get(url).status_code == 200


def progress_queries(size, staff_user):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size, goals=2, tasks=2, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    services.round_open(user=staff_user, plan=version.plan, year=2020, due=DUE)
    for indicator in Indicator.objects.filter(version=version, measure__isnull=False)[:size]:
        services.actual_set(user=staff_user, indicator=indicator, year=2020, value="12")
    api = api_of(staff_user)
    with CaptureQueriesContext(connection) as queries:
        response = api.get(f"/api/v1/versions/{version.pk}/progress/")
    assert response.status_code == 200
    return len(queries)


def test_progress_takes_the_same_number_of_queries_as_the_plan_grows_fivefold(staff_user):
    assert progress_queries(1, staff_user) == progress_queries(5, staff_user)


@pytest.mark.parametrize(
    "body",
    [
        {"value": ["1"]},
        {"value": {"a": 1}},
        {"value": True},
        {"value": "NaN"},
        {"value": "1e999"},
        {"value": "1", "measured_on": "vakar"},
        {"value": "1", "revision": "x"},
    ],
)
def test_bad_values_are_400s(round_2020, staff_user, indicator, body):
    response = api_of(staff_user).put(actual_url(indicator), body)
    assert response.status_code == 400, response.content[:300]
    assert not ActualValue.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"status": "in_progress", "spent": "SB"},
        {"status": "in_progress", "spent": ["SB"]},
        {"status": "in_progress", "spent": [{"source": "XX", "amount": "1"}]},
        {"status": "in_progress", "spent": [{"source": "99999999999999999999", "amount": "1"}]},
        {"status": "in_progress", "spent": [{"source": "SB", "amount": "1", "year": 2020}]},
        {"status": ["in_progress"]},
    ],
)
def test_bad_implementation_bodies_are_400s(round_2020, staff_user, indicator, body):
    response = api_of(staff_user).put(implementation_url(indicator.measure), body)
    assert response.status_code == 400, response.content[:300]
    assert not MeasureImplementation.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/indicators/99999999999999999999/actuals/2020/",
        "/api/v1/indicators/1/actuals/99999999999999999999/",
        "/api/v1/measures/1/implementation/99999999999999999999/",
        "/api/v1/rounds/99999999999999999999/items/",
        "/api/v1/plans/99999999999999999999/rounds/",
        "/api/v1/versions/99999999999999999999/progress/",
    ],
)
def test_ids_and_years_beyond_64_bits_are_not_server_errors(staff_user, indicator, path):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    assert client.get(path).status_code == 404
    response = client.put(path, '{"value": "1"}', content_type="application/json")
    assert response.status_code < 500
