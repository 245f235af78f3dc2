"""An approved version's record stays its own, by every path (issue 11, item 1).

Nothing moves from one version to another, and only a draft changes: the
models refuse it on save, on delete, on ``QuerySet.update()`` and in a
measure's co-executors, so the services, the admin and a shell all stop.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from planportal.errors import status_of
from plans import services
from plans.models import (
    FrozenVersionError,
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    Plan,
    Priority,
    Task,
    Unit,
    VersionStatus,
)
from plans.models.record import FrozenReferenceError
from plans.models.versions import OtherVersionError
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db):
    user = factories.UserFactory(username="support", role="staff")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    client.cookies["planportal_language"] = "en"
    return client


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def first(model, version, **lookups):
    path = {IndicatorTarget: "indicator__version", FundingLine: "measure__version"}
    return model.objects.filter(**{path.get(model, "version"): version}, **lookups).first()


# --- Nothing moves between versions ----------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "parent_model", "lookups"),
    [
        (Goal, "priority", Priority, {}),
        (Task, "goal", Goal, {}),
        (Measure, "task", Task, {}),
        (Indicator, "measure", Measure, {"measure__isnull": False}),
        (Indicator, "goal", Goal, {"goal__isnull": False}),
        (IndicatorTarget, "indicator", Indicator, {}),
        (FundingLine, "measure", Measure, {}),
    ],
)
def test_a_drafts_row_cannot_point_at_a_parent_in_the_approved_version(
    draft_version, approved_version, model, field, parent_model, lookups
):
    row = first(model, draft_version, **lookups)
    before = getattr(row, f"{field}_id")
    setattr(row, field, first(parent_model, approved_version))
    with pytest.raises(OtherVersionError) as refused:
        row.save()
    assert refused.value.code == "other_version"
    assert refused.value.status == 400
    row.refresh_from_db()
    assert getattr(row, f"{field}_id") == before


@pytest.mark.parametrize("model", [Priority, Goal, Measure, Indicator])
def test_a_row_keeps_its_version_even_to_another_draft(draft_version, model):
    other_draft = build_plan_tree(
        factories.VersionFactory(status=VersionStatus.DRAFT), priorities=1, goals=1, tasks=1
    )
    row = first(model, draft_version)
    row.version = other_draft
    with pytest.raises(OtherVersionError):
        row.save()
    assert model.objects.filter(pk=row.pk, version=draft_version).exists()


def test_a_new_row_cannot_join_a_parent_of_another_version(draft_version, approved_version):
    with pytest.raises(OtherVersionError):
        Goal(
            version=draft_version,
            priority=first(Priority, approved_version),
            title="Įsibrovėlis",
        ).save()
    assert not Goal.objects.filter(title="Įsibrovėlis").exists()


def test_the_indicator_service_refuses_an_owner_from_the_approved_version(
    client, staff_user, draft_version, approved_version
):
    # The case: a draft's indicator pointed at an approved measure,
    # after which the approved page showed the draft's text.
    indicator = first(Indicator, draft_version, measure__isnull=False)
    measure = first(Measure, approved_version)
    with pytest.raises(ValidationError) as refused:
        services.indicator_save(user=staff_user, indicator=indicator, measure=measure)
    assert status_of(refused.value) == 400
    indicator.refresh_from_db()
    assert indicator.measure.version_id == draft_version.pk
    assert not Indicator.objects.filter(measure=measure, pk=indicator.pk).exists()
    assert client.get(f"/versions/{approved_version.pk}/measures/{measure.pk}/").status_code == 200


def test_a_version_does_not_move_to_another_plan(draft_version, approved_version):
    draft_version.plan = approved_version.plan
    with pytest.raises(OtherVersionError):
        draft_version.save()
    draft_version.refresh_from_db()
    assert draft_version.plan_id != approved_version.plan_id


# --- Past save(): querysets and many-to-many -----------------------------------------


@pytest.mark.parametrize(
    ("model", "change"),
    [
        (Measure, {"title": "Pakeista"}),
        (Priority, {"position": 9}),
        (Indicator, {"name": "Pakeista"}),
        (IndicatorTarget, {"value": Decimal("1")}),
        (FundingLine, {"amount": Decimal("1")}),
    ],
)
def test_a_queryset_update_of_the_approved_version_is_refused(approved_version, model, change):
    rows = model.objects.filter(pk=first(model, approved_version).pk)
    before = list(rows.values())
    with pytest.raises(FrozenVersionError):
        rows.update(**change)
    assert list(rows.values()) == before


def test_a_queryset_delete_of_the_approved_version_is_refused(approved_version):
    with pytest.raises(FrozenVersionError):
        Measure.objects.filter(version=approved_version).delete()
    with pytest.raises(FrozenVersionError):
        FundingLine.objects.filter(measure__version=approved_version).delete()
    assert Measure.objects.filter(version=approved_version).count() == 16
    assert FundingLine.objects.filter(measure__version=approved_version).count() == 32


def test_bulk_update_of_the_approved_version_is_refused(approved_version):
    measures = list(Measure.objects.filter(version=approved_version))
    for measure in measures:
        measure.title = "Masiškai"
    # bulk_update (and a link table's add) run in a transaction of their
    # own that a refusal spoils; the test's outer one must survive it.
    with pytest.raises(FrozenVersionError), transaction.atomic():
        Measure.objects.bulk_update(measures, ["title"])
    assert not Measure.objects.filter(title="Masiškai").exists()


def test_a_queryset_update_cannot_move_rows_even_within_drafts(draft_version):
    goal = first(Goal, draft_version)
    other = Priority.objects.filter(version=draft_version).exclude(pk=goal.priority_id).first()
    with pytest.raises(OtherVersionError):
        Goal.objects.filter(pk=goal.pk).update(priority=other)
    with pytest.raises(OtherVersionError):
        FundingLine.objects.filter(measure__version=draft_version).update(
            measure=first(Measure, draft_version)
        )


def test_the_services_own_updates_of_a_draft_still_work(draft_version, staff_user):
    priority = Priority.objects.get(version=draft_version, code="B")
    new = services.node_create(
        user=staff_user, level="goal", parent=priority, title="N", position=1
    )
    assert new.code == "B.1"


def test_co_executors_of_an_approved_measure_do_not_change(approved_version):
    measure = first(Measure, approved_version)
    before = list(measure.co_executors.all())
    unit = factories.UnitFactory(name="Naujas skyrius")
    with pytest.raises(FrozenVersionError), transaction.atomic():
        measure.co_executors.add(unit)
    with pytest.raises(FrozenVersionError), transaction.atomic():
        measure.co_executors.clear()
    with pytest.raises(FrozenVersionError), transaction.atomic():
        before[0].co_executed_measures.remove(measure)
    with pytest.raises(FrozenVersionError), transaction.atomic():
        unit.co_executed_measures.add(measure)
    assert list(measure.co_executors.all()) == before


# --- The admin: a form error or a message, never a 500 ---------------------------------


def test_an_admin_save_of_a_draft_indicator_with_an_approved_measure_changes_nothing(
    superuser_client, draft_version, approved_version
):
    indicator = first(Indicator, draft_version, measure__isnull=False)
    page = superuser_client.get(change_url(indicator))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["measure"] = first(Measure, approved_version).pk
    response = superuser_client.post(change_url(indicator), data)
    assert response.status_code < 500
    indicator.refresh_from_db()
    assert indicator.measure.version_id == draft_version.pk


def test_an_admin_save_of_a_draft_node_with_an_approved_version_changes_nothing(
    superuser_client, draft_version, approved_version
):
    goal = first(Goal, draft_version)
    page = superuser_client.get(change_url(goal))
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(version=approved_version.pk, priority=first(Priority, approved_version).pk)
    response = superuser_client.post(change_url(goal), data)
    assert response.status_code < 500
    goal.refresh_from_db()
    assert (goal.version_id, goal.priority.version_id) == (draft_version.pk, draft_version.pk)
    outline = superuser_client.get(f"/staff/versions/{draft_version.pk}/outline/")
    assert outline.status_code == 200


# --- Reference data: what a frozen version shows does not change ------------------------


def unit_form(unit, **changes):
    return {"name": unit.name, "kind": unit.kind, **changes}


def test_renaming_a_unit_an_approved_version_shows_is_a_form_error(
    superuser_client, approved_version
):
    unit = first(Measure, approved_version).responsible_unit
    response = superuser_client.post(change_url(unit), unit_form(unit, name="Pervadintas"))
    assert response.status_code == 400
    assert "part of the record" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Statybos skyrius"


def test_a_unit_only_drafts_use_can_be_renamed(superuser_client, draft_version):
    unit = factories.UnitFactory(name="Tik juodraščio skyrius")
    Measure.objects.filter(pk=first(Measure, draft_version).pk).update(responsible_unit=unit)
    response = superuser_client.post(change_url(unit), unit_form(unit, name="Pervadintas"))
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Pervadintas"


def test_a_unit_an_approved_version_shows_keeps_its_name_by_every_path(approved_version):
    co_executor = first(Measure, approved_version).co_executors.get()
    co_executor.name = "Pervadintos seniūnijos"
    with pytest.raises(FrozenReferenceError) as refused:
        co_executor.save()
    assert (refused.value.status, refused.value.code) == (409, "frozen_version")
    with pytest.raises(FrozenReferenceError):
        Unit.objects.filter(pk=co_executor.pk).update(name="Kitaip")
    # A co-executor's link would go with the unit: the approved record keeps it.
    with pytest.raises(FrozenReferenceError):
        Unit.objects.get(pk=co_executor.pk).delete()
    with pytest.raises(FrozenReferenceError):
        Unit.objects.filter(pk=co_executor.pk).delete()
    assert Unit.objects.get(pk=co_executor.pk).name == "Seniūnijos"
    # What the version does not show stays free.
    Unit.objects.filter(pk=co_executor.pk).update(kind=Unit.Kind.OTHER)


def test_a_funding_sources_code_and_name_are_frozen_but_its_position_is_not(
    superuser_client, approved_version
):
    source = first(FundingLine, approved_version).source
    data = {"code": "XX", "name": source.name, "position": source.position}
    response = superuser_client.post(change_url(source), data)
    assert response.status_code == 400
    source.refresh_from_db()
    assert source.code != "XX"
    data = {"code": source.code, "name": source.name, "position": 7}
    assert superuser_client.post(change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert source.position == 7


def test_a_plans_title_and_period_are_frozen_once_a_version_is_not_a_draft(
    superuser_client, approved_version
):
    plan = approved_version.plan
    data = {
        "title": "Kitas pavadinimas",
        "municipality": plan.municipality,
        "period_start": plan.period_start,
        "period_end": plan.period_end + 5,
        "numbering": plan.numbering,
        "kind": plan.kind,
    }
    response = superuser_client.post(change_url(plan), data)
    assert response.status_code == 400
    plan.refresh_from_db()
    assert (plan.title, plan.period_end) != ("Kitas pavadinimas", data["period_end"])


def test_a_plan_with_only_drafts_can_still_be_corrected(superuser_client, draft_version):
    plan = draft_version.plan
    data = {
        "title": "Pataisytas pavadinimas",
        "municipality": plan.municipality,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "numbering": plan.numbering,
        "kind": plan.kind,
    }
    assert superuser_client.post(change_url(plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Pataisytas pavadinimas"


def test_a_plan_with_an_approved_version_is_not_deleted_in_the_admin(
    superuser_client, approved_version
):
    plan = approved_version.plan
    url = reverse("admin:plans_plan_delete", args=[plan.pk])
    # The admin asks to delete the frozen versions with it, which it may not.
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Plan.objects.filter(pk=plan.pk).exists()
    changelist = reverse("admin:plans_plan_changelist")
    response = superuser_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [plan.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code < 500
    assert Plan.objects.filter(pk=plan.pk).exists()
    # Past the admin's checks, the model refuses.
    with pytest.raises(FrozenReferenceError):
        plan.delete()
    with pytest.raises(FrozenReferenceError):
        Plan.objects.filter(pk=plan.pk).delete()
    assert Measure.objects.filter(version=approved_version).count() == 16
