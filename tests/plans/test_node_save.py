"""node_save, the deletes that check a revision, and PlanVersion.objects.in_force()."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planportal.errors import Refusal
from plans import services
from plans.models import (
    FrozenVersionError,
    FundingLine,
    Goal,
    Indicator,
    Measure,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db


def writes(queries) -> list[str]:
    """The statements that changed a table of the plans app."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "plans_" in q["sql"]
    ]


def measure_state(measure):
    measure = Measure.objects.get(pk=measure.pk)
    lines = sorted(measure.funding.values_list("year", "source__code", "amount"))
    return measure.title, measure.code, measure.revision, lines, measure.history.count()


# --- The version in force -----------------------------------------------------------


def test_in_force_is_the_approved_version_of_each_plan(approved_version, staff_user):
    plan = approved_version.plan
    draft = services.version_create_draft(user=staff_user, plan=plan)
    other_plan_draft = factories.VersionFactory(status=VersionStatus.DRAFT)
    assert list(PlanVersion.objects.in_force()) == [approved_version]
    assert PlanVersion.objects.in_force_for(plan) == approved_version
    assert PlanVersion.objects.in_force_for(plan.pk) == approved_version
    assert PlanVersion.objects.in_force_for(other_plan_draft.plan) is None
    assert approved_version.is_in_force and not draft.is_in_force


def test_a_superseded_version_is_not_in_force(approved_version):
    PlanVersion.objects.filter(pk=approved_version.pk).update(status=VersionStatus.SUPERSEDED)
    assert PlanVersion.objects.in_force_for(approved_version.plan) is None
    assert not PlanVersion.objects.in_force().exists()


def test_locked_gives_the_version_with_its_plan(draft_version, django_assert_num_queries):
    with django_assert_num_queries(1):
        locked = PlanVersion.objects.locked(draft_version.pk)
        assert locked.plan.title == draft_version.plan.title


# --- node_save --------------------------------------------------------------------------


def test_a_stale_revision_is_refused_and_nothing_is_written(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    services.node_save(
        user=staff_user, node=measure, expected_revision=1, fields={"title": "Kolegos"}
    )
    before = measure_state(measure)
    other_task = Task.objects.get(version=draft_version, code="B.1.1")
    with (
        CaptureQueriesContext(connection) as queries,
        pytest.raises(services.ConflictError) as caught,
    ):
        services.node_save(
            user=staff_user,
            node=measure,
            expected_revision=1,
            fields={"title": "Mano"},
            parent=other_task,
            position=1,
            funding=[],
        )
    assert caught.value.current.title == "Kolegos"
    assert caught.value.current.revision == 2
    assert writes(queries) == []
    assert measure_state(measure) == before


def test_fields_and_funding_are_saved_in_one_go_with_one_new_revision(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    sb = factories.FundingSourceFactory(code="SB")
    unit = factories.UnitFactory(name="Švietimo skyrius")
    saved = services.node_save(
        user=staff_user,
        node=measure,
        expected_revision=measure.revision,
        fields={"title": "  Naujas darželis  ", "start_year": 2015, "co_executors": [unit]},
        funding=[
            {"year": 2015, "source": sb, "amount": "1500.50"},
            {"year": 2016, "source": sb.pk, "amount": Decimal("20")},
        ],
    )
    assert saved.revision == measure.revision + 1
    assert saved.title == "Naujas darželis"
    assert list(saved.co_executors.all()) == [unit]
    assert sorted(saved.funding.values_list("year", "amount")) == [
        (2015, Decimal("1500.50")),
        (2016, Decimal("20.00")),
    ]


def test_bad_funding_refuses_the_whole_save(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    sb = factories.FundingSourceFactory(code="SB")
    before = measure_state(measure)
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as caught:
        services.node_save(
            user=staff_user,
            node=measure,
            expected_revision=measure.revision,
            fields={"title": "Niekada neišsaugota"},
            funding=[{"year": 2090, "source": sb, "amount": 1}],
        )
    assert "funding" in caught.value.message_dict
    assert writes(queries) == []
    assert measure_state(measure) == before


def test_a_move_under_another_parent_goes_last_and_renumbers(draft_version, staff_user):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    target = Priority.objects.get(version=draft_version, code="B")
    moved = services.node_save(
        user=staff_user, node=goal, expected_revision=goal.revision, parent=target
    )
    assert (moved.priority_id, moved.code, moved.revision) == (target.pk, "B.3", goal.revision + 1)
    assert Task.objects.filter(goal=moved, code__startswith="B.3.").count() == 2
    codes = sorted(Goal.objects.filter(version=draft_version).values_list("code", flat=True))
    assert codes == ["A.1", "B.1", "B.2", "B.3"]


def test_a_move_to_a_position_among_the_siblings(draft_version, staff_user):
    second = Measure.objects.get(version=draft_version, code="A.1.1.2")
    moved = services.node_save(user=staff_user, node=second, expected_revision=None, position=1)
    assert moved.code == "A.1.1.1"
    assert Measure.objects.filter(task=moved.task, code="A.1.1.2").exclude(pk=moved.pk).exists()


def test_a_node_cannot_move_into_another_version_or_under_the_wrong_level(
    draft_version, staff_user
):
    elsewhere = build_other_draft()
    goal = Goal.objects.get(version=draft_version, code="A.2")
    task = Task.objects.get(version=draft_version, code="B.1.1")
    for parent in (Priority.objects.get(version=elsewhere, code="A"), task):
        with pytest.raises(ValidationError) as caught:
            services.node_save(user=staff_user, node=goal, expected_revision=None, parent=parent)
        assert "priority" in caught.value.message_dict
    priority = Priority.objects.get(version=draft_version, code="A")
    with pytest.raises(ValidationError) as caught:
        services.node_save(user=staff_user, node=priority, expected_revision=None, parent=elsewhere)
    assert "version" in caught.value.message_dict
    goal.refresh_from_db()
    assert goal.code == "A.2"


def test_a_move_under_another_parent_can_land_at_any_position(draft_version, staff_user):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    target = Priority.objects.get(version=draft_version, code="B")
    old_first, old_second = Goal.objects.filter(priority=target).order_by("position")
    moved = services.node_save(
        user=staff_user, node=goal, expected_revision=goal.revision, parent=target, position=2
    )
    assert (moved.priority_id, moved.code) == (target.pk, "B.2")
    old_first.refresh_from_db()
    old_second.refresh_from_db()
    assert (old_first.code, old_second.code) == ("B.1", "B.3")
    # Everything under it takes the new code, and the old parent closes the gap.
    assert sorted(Task.objects.filter(goal=moved).values_list("code", flat=True)) == [
        "B.2.1",
        "B.2.2",
    ]
    assert Measure.objects.filter(task__goal=moved, code="B.2.1.1").exists()
    assert Task.objects.filter(goal=old_second, code__startswith="B.3.").count() == 2
    assert list(
        Goal.objects.filter(version=draft_version, priority__code="A").values_list(
            "code", flat=True
        )
    ) == ["A.1"]


def test_a_position_past_the_end_puts_the_node_last(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    target = Task.objects.get(version=draft_version, code="B.1.2")
    moved = services.node_save(
        user=staff_user, node=measure, expected_revision=None, parent=target, position=99
    )
    assert moved.code == "B.1.2.3"


def test_a_move_to_a_position_before_the_first_is_refused(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.2")
    target = Task.objects.get(version=draft_version, code="B.1.2")
    with pytest.raises(services.MoveRefused) as caught:
        services.node_save(
            user=staff_user, node=measure, expected_revision=None, parent=target, position=0
        )
    assert caught.value.code == "invalid_move"
    assert "position" in caught.value.message_dict
    measure.refresh_from_db()
    assert (measure.task.code, measure.code) == ("A.1.1", "A.1.1.2")


def test_refused_moves_are_refusals_with_their_code(draft_version, staff_user):
    elsewhere = build_other_draft()
    goal = Goal.objects.get(version=draft_version, code="A.2")
    with pytest.raises(services.MoveRefused) as caught:
        services.node_save(
            user=staff_user,
            node=goal,
            expected_revision=None,
            parent=Priority.objects.get(version=elsewhere, code="A"),
            position=1,
        )
    assert (caught.value.code, caught.value.status) == ("invalid_move", 400)
    assert isinstance(caught.value, Refusal)


def build_other_draft():
    from tests.conftest import build_plan_tree

    return build_plan_tree(factories.VersionFactory(status=VersionStatus.DRAFT), with_details=False)


def test_only_measures_have_funding_and_unknown_fields_are_refused(draft_version, staff_user):
    task = Task.objects.get(version=draft_version, code="A.1.1")
    with pytest.raises(ValidationError):
        services.node_save(user=staff_user, node=task, expected_revision=None, funding=[])
    with pytest.raises(ValidationError):
        services.node_save(
            user=staff_user, node=task, expected_revision=None, fields={"code": "Z.9"}
        )


def test_node_save_refuses_a_frozen_version(approved_version, staff_user):
    measure = Measure.objects.filter(version=approved_version).first()
    with pytest.raises(FrozenVersionError):
        services.node_save(
            user=staff_user, node=measure, expected_revision=None, fields={"title": "X"}
        )


# --- Deletes check the revision without writing ------------------------------------------


def test_a_delete_with_a_stale_revision_changes_and_writes_nothing(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    services.node_update(user=staff_user, node=measure, title="Kolegos")
    before = measure_state(measure)
    with CaptureQueriesContext(connection) as queries, pytest.raises(services.ConflictError):
        services.node_delete(user=staff_user, node=measure, expected_revision=1)
    assert writes(queries) == []
    assert measure_state(measure) == before


def test_a_delete_with_the_current_revision_deletes_without_touching_the_node_first(
    draft_version, staff_user
):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    before = list(measure.history.values_list("history_id", flat=True))
    services.node_delete(user=staff_user, node=measure, expected_revision=measure.revision)
    assert not Measure.objects.filter(pk=measure.pk).exists()
    # The revision was read, not written: the deletion's record is the only new one.
    new = measure.history.exclude(history_id__in=before)
    assert list(new.values_list("history_type", "revision")) == [("-", measure.revision)]


def test_indicator_and_version_deletes_check_the_revision_by_reading(draft_version, staff_user):
    indicator = Indicator.objects.filter(version=draft_version).first()
    services.indicator_save(user=staff_user, indicator=indicator, name="Pakeistas")
    draft_version.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(services.ConflictError):
            services.indicator_delete(user=staff_user, indicator=indicator, expected_revision=1)
        with pytest.raises(services.ConflictError):
            services.version_delete(
                user=staff_user,
                version=draft_version,
                expected_revision=draft_version.revision + 1,
            )
    assert writes(queries) == []
    assert Indicator.objects.filter(pk=indicator.pk, revision=2).exists()
    assert PlanVersion.objects.filter(pk=draft_version.pk).exists()
    services.version_delete(
        user=staff_user, version=draft_version, expected_revision=draft_version.revision
    )
    assert not PlanVersion.objects.filter(pk=draft_version.pk).exists()
    assert not FundingLine.objects.filter(measure__version_id=draft_version.pk).exists()
