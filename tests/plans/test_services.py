from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans import services
from plans.models import FrozenVersionError, Goal, Measure, NumberingStyle, Priority, VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def codes(version, model):
    return list(
        model.objects.filter(version=version).order_by("code").values_list("code", flat=True)
    )


def test_letter_codes_follow_kaunas_district_style(draft_version):
    assert codes(draft_version, Priority) == ["A", "B"]
    assert "A.1.2.1" in codes(draft_version, Measure)


def test_digit_numbering_is_a_setting_of_the_plan(draft_version):
    draft_version.plan.numbering = NumberingStyle.DIGITS
    draft_version.plan.save()
    services.version_renumber(draft_version)
    assert codes(draft_version, Priority) == ["1", "2"]
    assert "1.1.2.1" in codes(draft_version, Measure)


def test_inserting_a_goal_first_renumbers_its_siblings_and_descendants(draft_version, staff_user):
    priority = Priority.objects.get(version=draft_version, code="B")
    old_first = Goal.objects.get(version=draft_version, code="B.1")
    new = services.node_create(
        user=staff_user, level="goal", parent=priority, title="Naujas", position=1
    )
    assert new.code == "B.1"
    old_first.refresh_from_db()
    assert old_first.code == "B.2"
    assert Measure.objects.filter(task__goal=old_first, code="B.2.1.1").exists()


def test_moving_a_measure_renumbers(draft_version, staff_user):
    first = Measure.objects.get(version=draft_version, code="A.1.1.1")
    second = Measure.objects.get(version=draft_version, code="A.1.1.2")
    services.node_move(user=staff_user, node=second, position=1)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.code, first.code) == ("A.1.1.1", "A.1.1.2")


def test_deleting_a_priority_renumbers_the_rest(draft_version, staff_user):
    services.node_delete(
        user=staff_user, node=Priority.objects.get(version=draft_version, code="A")
    )
    assert codes(draft_version, Priority) == ["A"]
    assert Measure.objects.filter(version=draft_version).count() == 8


def test_stale_revision_is_a_conflict_and_writes_nothing(draft_version, staff_user):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    services.node_update(user=staff_user, node=measure, revision=measure.revision, title="Pirmas")
    with pytest.raises(services.ConflictError) as caught:
        services.node_update(
            user=staff_user, node=measure, revision=measure.revision, title="Antras"
        )
    assert caught.value.current.title == "Pirmas"
    measure.refresh_from_db()
    assert measure.title == "Pirmas"


def test_approved_version_cannot_change_by_any_path(approved_version, staff_user):
    measure = Measure.objects.filter(version=approved_version).first()
    with pytest.raises(FrozenVersionError):
        services.node_update(user=staff_user, node=measure, title="X")
    measure.title = "Directly"
    with pytest.raises(FrozenVersionError):
        measure.save()
    with pytest.raises(FrozenVersionError):
        measure.delete()
    approved_version.vision = "Nauja vizija"
    with pytest.raises(FrozenVersionError):
        approved_version.save()


def test_only_staff_can_write(draft_version, council_user, resident_user):
    priority = Priority.objects.filter(version=draft_version).first()
    for user in (council_user, resident_user):
        with pytest.raises(PermissionDenied):
            services.node_update(user=user, node=priority, title="X")


def test_new_draft_is_a_deep_copy_keeping_keys(approved_version, staff_user):
    draft = services.version_create_draft(user=staff_user, plan=approved_version.plan)
    assert draft.status == VersionStatus.DRAFT
    assert draft.number == approved_version.number + 1
    old = {m.key: m for m in Measure.objects.filter(version=approved_version)}
    new = {m.key: m for m in Measure.objects.filter(version=draft)}
    assert old.keys() == new.keys()
    some_key = next(iter(old))
    assert new[some_key].code == old[some_key].code
    assert new[some_key].funding.count() == old[some_key].funding.count() == 2
    assert new[some_key].indicators.get().targets.count() == 2
    assert new[some_key].co_executors.count() == 1
    # Editing the copy leaves the approved version alone.
    services.node_update(user=staff_user, node=new[some_key], title="Pakeista")
    assert Measure.objects.get(pk=old[some_key].pk).title != "Pakeista"


def test_funding_replaces_lines_and_refuses_duplicates(draft_version, staff_user):
    measure = Measure.objects.filter(version=draft_version).first()
    sb = factories.FundingSourceFactory(code="SB")
    services.measure_set_funding(
        user=staff_user,
        measure=measure,
        lines=[{"year": 2015, "source": sb, "amount": "1500.50"}],
    )
    assert [(f.year, f.amount) for f in measure.funding.all()] == [(2015, Decimal("1500.50"))]
    with pytest.raises(ValidationError):
        services.measure_set_funding(
            user=staff_user,
            measure=measure,
            lines=[
                {"year": 2015, "source": sb, "amount": 1},
                {"year": 2015, "source": sb, "amount": 2},
            ],
        )
    assert measure.funding.get().amount == Decimal("1500.50")


def test_measure_end_before_start_is_refused(draft_version, staff_user):
    task = draft_version.priorities.first().goals.first().tasks.first()
    with pytest.raises(ValidationError) as caught:
        services.node_create(
            user=staff_user, level="measure", parent=task, title="X", start_year=2018, end_year=2015
        )
    assert "end_year" in caught.value.message_dict
