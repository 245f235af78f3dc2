import pytest

from plans.models import Goal, Indicator, IndicatorTarget, Measure, Task

pytestmark = pytest.mark.django_db


def test_staff_adds_an_indicator_to_a_task_with_its_targets(staff_api, small_draft):
    task = Task.objects.get(version=small_draft, code="A.1.1")
    response = staff_api.post(
        "/api/v1/indicators/",
        {
            "task": task.pk,
            "name": "Sutvarkyti nelegalūs sąvartynai",
            "unit": "vnt.",
            "baseline_value": 0,
            "baseline_year": 2013,
            "direction": "increase",
            "targets": [{"year": 2020, "value": 40}, {"year": 2016, "value": "15"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # A task's indicator is a result indicator unless the client says otherwise.
    assert (body["kind"], body["task"], body["goal"], body["measure"]) == (
        "result",
        task.pk,
        None,
        None,
    )
    assert body["targets"] == [
        {"year": 2016, "value": "15.0000"},
        {"year": 2020, "value": "40.0000"},
    ]
    assert body["key"] and body["revision"] == 1


@pytest.mark.parametrize(
    ("owners", "field"),
    [({}, "owner"), ({"goal": "goal", "task": "task"}, "owner"), ({"task": 999999}, "task")],
)
def test_an_indicator_needs_exactly_one_owner(staff_api, small_draft, owners, field):
    nodes = {
        "goal": Goal.objects.get(version=small_draft).pk,
        "task": Task.objects.get(version=small_draft).pk,
    }
    body = {name: nodes.get(value, value) for name, value in owners.items()}
    before = Indicator.objects.count()
    response = staff_api.post("/api/v1/indicators/", {**body, "name": "Rodiklis", "unit": "vnt."})
    assert response.status_code == 400
    assert response.json()[field]
    assert Indicator.objects.count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"targets": [{"year": 2020, "value": 1}, {"year": 2020, "value": 2}]}, "targets"),
        ({"targets": [{"year": "2020 m.", "value": 1}]}, "targets"),
        ({"baseline_value": "daug"}, "baseline_value"),
        ({"baseline_year": 1800}, "baseline_year"),
        ({"kind": "feeling"}, "kind"),
        ({"name": ""}, "name"),
        ({"measure": "the other measure"}, "measure"),
    ],
)
def test_bad_indicator_input_is_a_400_and_changes_nothing(staff_api, small_draft, change, field):
    indicator = Indicator.objects.filter(version=small_draft, measure__isnull=False).first()
    if change.get("measure"):
        change = {
            "measure": Measure.objects.exclude(pk=indicator.measure_id).get(version=small_draft).pk
        }
    before = list(IndicatorTarget.objects.filter(indicator=indicator).values_list("year", "value"))
    response = staff_api.patch(f"/api/v1/indicators/{indicator.pk}/", change)
    assert response.status_code == 400
    assert response.json()[field]
    indicator.refresh_from_db()
    assert indicator.revision == 1
    assert (
        list(IndicatorTarget.objects.filter(indicator=indicator).values_list("year", "value"))
        == before
    )


def test_targets_sent_on_update_replace_the_old_ones(staff_api, small_draft):
    indicator = Indicator.objects.filter(version=small_draft, measure__isnull=False).first()
    response = staff_api.patch(
        f"/api/v1/indicators/{indicator.pk}/",
        {"targets": [{"year": 2018, "value": "5.5"}], "data_source": "Savivaldybės duomenys"},
    )
    assert response.status_code == 200
    assert response.json()["targets"] == [{"year": 2018, "value": "5.5000"}]
    assert response.json()["data_source"] == "Savivaldybės duomenys"


def test_a_stale_indicator_edit_is_a_409(staff_api, small_draft):
    indicator = Indicator.objects.filter(version=small_draft).first()
    path = f"/api/v1/indicators/{indicator.pk}/"
    assert staff_api.patch(path, {"name": "Pirmas", "revision": 1}).status_code == 200
    response = staff_api.patch(path, {"name": "Antras"}, **{"If-Match": '"1"'})
    assert response.status_code == 409
    assert response.json()["code"] == "stale_revision"
    assert response.json()["current_revision"] == 2
    indicator.refresh_from_db()
    assert indicator.name == "Pirmas"


def test_staff_deletes_an_indicator(staff_api, small_draft):
    indicator = Indicator.objects.filter(version=small_draft).first()
    assert staff_api.delete(f"/api/v1/indicators/{indicator.pk}/").status_code == 204
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_indicators_filter_by_owner_and_kind(staff_api, small_draft):
    measure = Measure.objects.get(version=small_draft, code="A.1.1.2")
    by_measure = staff_api.get(f"/api/v1/indicators/?measure={measure.pk}").json()["results"]
    assert [i["measure"] for i in by_measure] == [measure.pk]
    effects = staff_api.get(f"/api/v1/indicators/?version={small_draft.pk}&kind=effect").json()
    assert [i["kind"] for i in effects["results"]] == ["effect"]
