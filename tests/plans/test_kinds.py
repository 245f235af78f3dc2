"""The three kinds of plan: their words, codes, indicators and measure fields."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from plans import services
from plans.kinds import KINDS, PlanKind
from plans.models import Goal, MeasureLink, Task, VersionStatus
from tests.factories import UnitFactory


def make_plan(user, kind, **extra):
    return services.plan_create(
        user=user,
        title=f"Planas {kind}",
        municipality="Kauno rajono savivaldybė",
        period_start=2025,
        period_end=2027,
        kind=kind,
        **extra,
    )


def one_of_each(user, version):
    priority = services.node_create(user=user, level="priority", parent=version, title="P")
    goal = services.node_create(user=user, level="goal", parent=priority, title="T")
    task = services.node_create(user=user, level="task", parent=goal, title="U")
    measure = services.node_create(user=user, level="measure", parent=task, title="M")
    return priority, goal, task, measure


@pytest.mark.parametrize(
    ("kind", "lithuanian", "english"),
    [
        ("spp_2013", "Prioritetas", "Priority"),
        ("development", "Prioritetas", "Priority"),
        ("action", "Programa", "Programme"),
    ],
)
def test_each_kind_names_its_top_level_in_both_languages(kind, lithuanian, english):
    with translation.override("lt"):
        assert KINDS[kind].level_labels() == [lithuanian, "Tikslas", "Uždavinys", "Priemonė"]
    with translation.override("en"):
        assert KINDS[kind].level_labels() == [english, "Goal", "Task", "Measure"]


@pytest.mark.parametrize(
    ("kind", "codes"),
    [
        ("spp_2013", ["A", "A.1", "A.1.1", "A.1.1.1"]),
        ("development", ["1", "1.1", "1.1.1", "1.1.1.1"]),
        ("action", ["01", "01.01", "01.01.01", "01.01.01.01"]),
    ],
)
def test_each_kind_numbers_its_tree_in_its_own_way(staff_user, kind, codes):
    plan = make_plan(staff_user, kind)
    nodes = one_of_each(staff_user, plan.versions.get())
    assert [node.code for node in nodes] == codes


def test_an_action_plan_refuses_an_indicator_kind_its_level_does_not_carry(staff_user):
    plan = make_plan(staff_user, PlanKind.ACTION)
    _, goal, _, measure = one_of_each(staff_user, plan.versions.get())
    indicator = services.indicator_save(
        user=staff_user, owner=measure, name="Renginiai", unit="vnt."
    )
    assert indicator.kind == "output"
    with pytest.raises(ValidationError) as refusal:
        services.indicator_save(user=staff_user, owner=goal, name="X", unit="%", kind="output")
    assert "kind" in refusal.value.message_dict
    assert not goal.indicators.exists()


def test_the_seeds_kind_still_takes_any_indicator_kind_below_priorities(staff_user):
    plan = make_plan(staff_user, PlanKind.SPP_2013)
    _, goal, _, _ = one_of_each(staff_user, plan.versions.get())
    assert (
        services.indicator_save(user=staff_user, owner=goal, name="X", unit="%", kind="output").kind
        == "output"
    )


def test_a_development_plans_measure_has_no_appropriation_manager(staff_user):
    plan = make_plan(staff_user, PlanKind.DEVELOPMENT)
    version = plan.versions.get()
    _, _, task, measure = one_of_each(staff_user, version)
    with pytest.raises(ValidationError) as refusal:
        services.node_create(
            user=staff_user,
            level="measure",
            parent=task,
            title="Naujas",
            appropriation_manager=UnitFactory(),
        )
    assert "appropriation_manager" in refusal.value.message_dict
    with pytest.raises(ValidationError):
        services.node_update(user=staff_user, node=measure, kind="continuing")
    assert task.measures.count() == 1


def development_with_task(user):
    development = make_plan(user, PlanKind.DEVELOPMENT)
    _, goal, task, _ = one_of_each(user, development.versions.get())
    return development, goal, task


def test_an_action_plans_measure_implements_development_plan_tasks_by_key(staff_user):
    development, goal, task = development_with_task(staff_user)
    action = make_plan(staff_user, PlanKind.ACTION, development_plan=development)
    _, _, action_task, _ = one_of_each(staff_user, action.versions.get())
    measure = services.node_create(
        user=staff_user,
        level="measure",
        parent=action_task,
        title="Dviračių takas",
        implements=[str(task.key), str(goal.key)],
    )
    assert list(measure.links.values_list("level", "key")) == [
        ("task", task.key),
        ("goal", goal.key),
    ]


def test_the_link_survives_new_versions_of_both_plans(staff_user):
    development, goal, task = development_with_task(staff_user)
    action = make_plan(staff_user, PlanKind.ACTION, development_plan=development)
    _, _, action_task, measure = one_of_each(staff_user, action.versions.get())
    services.node_update(user=staff_user, node=measure, implements=[task.key])
    for plan in (development, action):
        plan.versions.update(status=VersionStatus.APPROVED)
        services.version_create_draft(user=staff_user, plan=plan)
    new_action_draft = action.versions.get(number=2)
    link = MeasureLink.objects.get(measure__version=new_action_draft)
    assert Task.objects.get(version=development.versions.get(number=2), key=link.key)
    assert Goal.objects.filter(version__plan=development, key=goal.key).count() == 2


@pytest.mark.parametrize(
    "keys", [["not-a-key"], ["00000000-0000-0000-0000-000000000000"]], ids=["bad", "unknown"]
)
def test_a_link_to_something_that_is_no_goal_or_task_is_refused(staff_user, keys):
    development, _, _ = development_with_task(staff_user)
    action = make_plan(staff_user, PlanKind.ACTION, development_plan=development)
    _, _, action_task, measure = one_of_each(staff_user, action.versions.get())
    with pytest.raises(ValidationError) as refusal:
        services.node_update(user=staff_user, node=measure, implements=keys)
    assert "implements" in refusal.value.message_dict
    assert not measure.links.exists()


def test_only_an_action_plan_names_a_development_plan(staff_user):
    development, _, _ = development_with_task(staff_user)
    with pytest.raises(ValidationError):
        services.plan_create(
            user=staff_user,
            title="Kitas",
            municipality="Kauno rajono savivaldybė",
            period_start=2025,
            period_end=2030,
            kind=PlanKind.DEVELOPMENT,
            development_plan=development,
        )


def test_the_plan_api_gives_the_kind_and_its_level_names(client, staff_user):
    plan = make_plan(staff_user, PlanKind.ACTION)
    body = client.get(f"/api/v1/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="lt").json()
    # A plan with only a draft is not public: read it as staff.
    if "kind" not in body:
        client.force_login(staff_user)
        body = client.get(f"/api/v1/plans/{plan.pk}/", HTTP_ACCEPT_LANGUAGE="lt").json()
    assert body["kind"] == "action"
    assert body["levels"] == ["Programa", "Tikslas", "Uždavinys", "Priemonė"]
