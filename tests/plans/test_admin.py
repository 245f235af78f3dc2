"""The admin changes plan content only as the outline editor does: through the services."""

from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from plans.models import (
    FrozenVersionError,
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    Priority,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_user(db):
    user = factories.UserFactory(username="support", role="staff")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def admin_client(support_user):
    client = Client()
    client.force_login(support_user)
    client.cookies["planportal_language"] = "en"
    return client


def change_url(obj):
    return reverse(f"admin:plans_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(page_context):
    """What the change form would post back as it was rendered."""
    form = page_context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


@pytest.mark.parametrize(
    ("model", "structure"),
    [
        (Priority, {"version", "position", "code", "key", "revision"}),
        (Goal, {"version", "priority", "position", "code", "key", "revision"}),
        (Measure, {"version", "task", "position", "code", "key", "revision"}),
        (Indicator, {"version", "goal", "task", "measure", "key", "position", "revision"}),
        (IndicatorTarget, {"indicator", "year"}),
        (FundingLine, {"measure", "year", "source"}),
    ],
)
def test_structure_fields_are_read_only_in_the_change_form(
    admin_client, draft_version, model, structure
):
    obj = model.objects.filter(**_in(model, draft_version)).first()
    response = admin_client.get(change_url(obj))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert not structure & set(form.fields)
    assert structure <= set(response.context["adminform"].readonly_fields)


def _in(model, version):
    if model is IndicatorTarget:
        return {"indicator__version": version}
    if model is FundingLine:
        return {"measure__version": version}
    return {"version": version}


def test_a_save_goes_through_the_service_and_ignores_structure_in_the_post(
    admin_client, draft_version
):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    other = Priority.objects.get(version=draft_version, code="B")
    page = admin_client.get(change_url(goal))
    data = form_data(page.context)
    data.update(title="Pervadintas tikslas", priority=str(other.pk), position="9", code="Z.9")
    response = admin_client.post(change_url(goal), data)
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.priority.code, goal.code) == ("Pervadintas tikslas", "A", "A.2")
    # node_save bumped the revision; the admin's own save would not have.
    assert goal.revision == 2


def test_measure_co_executors_go_through_the_service_too(admin_client, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    unit = factories.UnitFactory(name="Švietimo skyrius")
    data = form_data(admin_client.get(change_url(measure)).context)
    data["co_executors"] = [str(unit.pk)]
    assert admin_client.post(change_url(measure), data).status_code == 302
    measure.refresh_from_db()
    assert list(measure.co_executors.all()) == [unit]
    assert measure.revision == 2


def test_the_services_checks_hold_in_the_admin(admin_client, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    measure_title = measure.title
    data = form_data(admin_client.get(change_url(measure)).context)
    # The plan runs 2013–2020: the model accepts 2060, the service does not.
    data.update(title="Tolimas", start_year="2060", end_year="2061")
    response = admin_client.post(change_url(measure), data, follow=True)
    assert "near the plan" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.start_year, measure.revision) == (measure_title, 2014, 1)


def test_a_stale_admin_form_is_refused_like_in_the_editor(admin_client, draft_version, staff_user):
    from plans import services

    task = draft_version.priorities.get(code="A").goals.get(code="A.1").tasks.get(code="A.1.1")
    data = form_data(admin_client.get(change_url(task)).context)
    services.node_update(user=staff_user, node=task, title="Kolegos pavadinimas")
    data["title"] = "Mano pavadinimas"
    response = admin_client.post(change_url(task), data, follow=True)
    assert "Someone else changed this item" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "Kolegos pavadinimas"


def test_a_frozen_versions_node_cannot_be_changed_or_deleted_via_the_admin(
    admin_client, approved_version, support_user
):
    measure = Measure.objects.filter(version=approved_version).first()
    page = admin_client.get(change_url(measure))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = admin_client.post(change_url(measure), {"title": "Pakeista"})
    assert response.status_code == 403
    delete_url = reverse("admin:plans_measure_delete", args=[measure.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    # Past the permission check (a version frozen between the page and the
    # save), the service refuses.
    model_admin = site._registry[Measure]
    request = RequestFactory().post("/")
    request.user = support_user
    with pytest.raises(FrozenVersionError):
        model_admin.save_model(request, measure, PostedTitle(), change=True)
    with pytest.raises(FrozenVersionError):
        model_admin.delete_model(request, measure)
    measure.refresh_from_db()
    assert measure.title != "Pakeista"


class PostedTitle:
    """What save_model reads of a valid change form that renamed the node."""

    changed_data = ["title"]
    cleaned_data = {"title": "Pakeista", "expected_revision": None}


def test_a_funding_amount_changed_in_the_admin_goes_through_node_save(admin_client, draft_version):
    line = FundingLine.objects.filter(measure__version=draft_version).first()
    data = form_data(admin_client.get(change_url(line)).context)
    data["amount"] = "777.00"
    assert admin_client.post(change_url(line), data).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("777.00")
    assert line.measure.revision == 2


def test_a_target_deleted_in_the_admin_goes_through_indicator_save(admin_client, draft_version):
    target = IndicatorTarget.objects.filter(indicator__version=draft_version).first()
    indicator = target.indicator
    delete_url = reverse("admin:plans_indicatortarget_delete", args=[target.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not IndicatorTarget.objects.filter(pk=target.pk).exists()
    indicator.refresh_from_db()
    assert indicator.revision == 2


def test_a_history_record_cannot_be_reverted_to_past_the_services(admin_client, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.2")
    record = goal.history.earliest("history_id")
    url = reverse("admin:plans_goal_simple_history", args=[goal.pk, record.history_id])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"title": "Atkurta", "description": ""})
    assert response.status_code == 403
    goal.refresh_from_db()
    assert goal.title != "Atkurta"
