"""Milestones of a measure: who may write them (services, API, the item page)
and how the node panel shows them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from monitoring import milestones, services
from monitoring.models import Milestone, UnitMembership
from planportal.errors import NotAllowed
from plans.models import Measure
from tests import factories

DUE = datetime.date(2021, 2, 15)


@pytest.fixture
def measure(approved_version):
    return Measure.objects.select_related("version").filter(version=approved_version).first()


def member_of(unit):
    user = factories.UserFactory()
    UnitMembership.objects.create(unit=unit, user=user)
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def member(measure):
    return member_of(measure.responsible_unit)


@pytest.fixture
def stranger(db):
    return member_of(factories.UnitFactory(name="Kito skyriaus"))


def snapshot():
    return list(Milestone.objects.order_by("pk").values_list("pk", "title", "due", "done_on"))


# --- Services ----------------------------------------------------------------------------


def test_a_member_adds_marks_done_and_deletes_a_milestone(measure, member):
    first = milestones.milestone_save(
        user=member, measure=measure, title=" Projektas ", due=datetime.date(2020, 6, 1)
    )
    second = milestones.milestone_save(user=member, measure=measure, title="Darbai")
    assert (first.title, first.position, second.position) == ("Projektas", 0, 1)
    assert first.plan_id == measure.version.plan_id and first.measure_key == measure.key
    done = milestones.milestone_save(
        user=member,
        measure=measure,
        milestone=first,
        title=first.title,
        due=first.due,
        done_on=datetime.date(2020, 5, 20),
    )
    assert done.done_on == datetime.date(2020, 5, 20)
    milestones.milestone_delete(user=member, milestone=second)
    assert list(milestones.milestones_of(measure)) == [first]


def test_another_units_member_is_refused_and_nothing_changes(measure, staff_user, stranger):
    kept = milestones.milestone_save(user=staff_user, measure=measure, title="Projektas")
    before = snapshot()
    with pytest.raises(NotAllowed):
        milestones.milestone_save(user=stranger, measure=measure, title="Kita")
    with pytest.raises(NotAllowed):
        milestones.milestone_save(
            user=stranger, measure=measure, milestone=kept, title="Pakeista", done_on=None
        )
    with pytest.raises(NotAllowed):
        milestones.milestone_delete(user=stranger, milestone=kept)
    assert snapshot() == before


def test_bad_input_is_refused_naming_the_field(measure, staff_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as blank:
        milestones.milestone_save(user=staff_user, measure=measure, title="  ")
    assert "title" in blank.value.error_dict
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        milestones.milestone_save(user=staff_user, measure=measure, title="X", done_on=tomorrow)
    assert "done_on" in future.value.error_dict
    assert snapshot() == []


def test_a_draft_versions_measure_takes_no_milestones(draft_version, staff_user):
    draft_measure = Measure.objects.select_related("version").filter(version=draft_version).first()
    with pytest.raises(milestones.MeasureNotInForce):
        milestones.milestone_save(user=staff_user, measure=draft_measure, title="X")


# --- API --------------------------------------------------------------------------------


def test_the_api_lists_adds_changes_and_deletes(measure, member, stranger):
    api = logged_in(member)
    url = f"/api/v1/measures/{measure.pk}/milestones/"
    created = api.post(
        url, {"title": "Projektas", "due": "2020-06-01"}, content_type="application/json"
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert Client().get(url).json()[0]["title"] == "Projektas"
    refused = logged_in(stranger).patch(
        f"/api/v1/milestones/{pk}/", {"done_on": "2020-05-01"}, content_type="application/json"
    )
    assert refused.status_code == 403 and Milestone.objects.get().done_on is None
    changed = api.patch(
        f"/api/v1/milestones/{pk}/", {"done_on": "2020-05-01"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["done_on"] == "2020-05-01"
    assert changed.json()["title"] == "Projektas"
    unknown = api.patch(
        f"/api/v1/milestones/{pk}/", {"colour": "red"}, content_type="application/json"
    )
    assert unknown.status_code == 400
    blank = api.post(url, {"title": ""}, content_type="application/json")
    assert blank.status_code == 400
    assert api.delete(f"/api/v1/milestones/{pk}/").status_code == 204
    assert not Milestone.objects.exists()
    assert api.delete(f"/api/v1/milestones/{pk}/").status_code == 404


# --- The item page ----------------------------------------------------------------------


@pytest.fixture
def round_2020(approved_version, staff_user):
    return services.round_open(user=staff_user, plan=approved_version.plan, year=2020, due=DUE)


def item_url(round_, measure):
    return reverse(
        "monitoring:item", kwargs={"round_id": round_.pk, "kind": "measure", "key": measure.key}
    )


def post_url(round_, measure):
    return reverse(
        "monitoring:milestones",
        kwargs={"round_id": round_.pk, "kind": "measure", "key": measure.key},
    )


def test_the_item_page_adds_marks_done_and_deletes(round_2020, measure, member):
    client = logged_in(member)
    page = client.get(item_url(round_2020, measure)).content.decode()
    assert 'id="milestones"' in page and 'name="milestone-title"' in page
    added = client.post(
        post_url(round_2020, measure),
        {"action": "add", "milestone-title": "Projektas", "milestone-due": "2020-06-01"},
    )
    assert added.status_code == 302
    found = Milestone.objects.get()
    page = client.get(item_url(round_2020, measure)).content.decode()
    assert "Projektas" in page and f'name="m{found.pk}-done_on"' in page
    done = client.post(
        post_url(round_2020, measure),
        {"action": "done", "milestone": found.pk, f"m{found.pk}-done_on": "2020-05-20"},
    )
    assert done.status_code == 302
    found.refresh_from_db()
    assert found.done_on == datetime.date(2020, 5, 20)
    deleted = client.post(
        post_url(round_2020, measure), {"action": "delete", "milestone": found.pk}
    )
    assert deleted.status_code == 302 and not Milestone.objects.exists()


def test_a_refused_milestone_keeps_what_was_typed(round_2020, measure, member):
    client = logged_in(member)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    found = milestones.milestone_save(user=member, measure=measure, title="Projektas")
    refused = client.post(
        post_url(round_2020, measure),
        {"action": "done", "milestone": found.pk, f"m{found.pk}-done_on": tomorrow.isoformat()},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert tomorrow.isoformat() in page and 'aria-invalid="true"' in page
    blank = client.post(
        post_url(round_2020, measure),
        {"action": "add", "milestone-title": "", "milestone-due": "2020-06-01"},
    )
    assert blank.status_code == 400 and "2020-06-01" in blank.content.decode()
    assert list(Milestone.objects.values_list("title", "done_on")) == [("Projektas", None)]


def test_another_units_member_cannot_post_milestones(round_2020, measure, stranger):
    response = logged_in(stranger).post(
        post_url(round_2020, measure), {"action": "add", "milestone-title": "X"}
    )
    assert response.status_code == 403 and not Milestone.objects.exists()


# --- The node panel ---------------------------------------------------------------------


def test_the_panel_lists_milestones_and_marks_the_late_ones(
    client, round_2020, measure, staff_user
):
    services.round_publish(user=staff_user, round=round_2020)
    milestones.milestone_save(
        user=staff_user, measure=measure, title="Pavėluotas", due=datetime.date(2020, 1, 1)
    )
    milestones.milestone_save(
        user=staff_user,
        measure=measure,
        title="Atliktas laiku",
        due=datetime.date(2020, 6, 1),
        done_on=datetime.date(2020, 5, 1),
    )
    page = client.get(f"/versions/{measure.version_id}/measures/{measure.pk}/").content.decode()
    assert "Pavėluotas" in page and "Atliktas laiku" in page
    late = page.split("Pavėluotas", 1)[1].split("</tr>", 1)[0]
    on_time = page.split("Atliktas laiku", 1)[1].split("</tr>", 1)[0]
    assert "badge-late" in late and "badge-late" not in on_time
