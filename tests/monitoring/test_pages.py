"""The monitoring pages: who may open what, entering values, completeness,
stale forms, questions, unit members, publishing; queries stay constant."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from monitoring import services
from monitoring.models import (
    ActualValue,
    ItemComment,
    MeasureImplementation,
    RoundStatus,
    UnitMembership,
)
from notifications.models import Notification
from plans.models import Indicator, Measure, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 2, 15)


@pytest.fixture
def round_2020(approved_version, staff_user):
    return services.round_open(user=staff_user, plan=approved_version.plan, year=2020, due=DUE)


def member_of(unit, username=None):
    user = factories.UserFactory(**({"username": username} if username else {}))
    UnitMembership.objects.create(unit=unit, user=user)
    return user


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def indicator(approved_version):
    return Indicator.objects.filter(version=approved_version, measure__isnull=False).first()


@pytest.fixture
def member(indicator):
    return member_of(indicator.measure.responsible_unit, "unit-member")


def item_url(round_, item, kind="indicator"):
    return reverse("monitoring:item", kwargs={"round_id": round_.pk, "kind": kind, "key": item.key})


def value_post(**extra):
    return {"value": "12,5", "measured_on": "", "source_note": "", "note": "", **extra}


# --- Who may open what ----------------------------------------------------------------


def test_my_items_is_for_unit_members_and_staff(
    round_2020, member, staff_client, resident_client, council_client
):
    url = reverse("monitoring:my-items")
    assert Client().get(url).status_code == 302
    assert resident_client.get(url).status_code == 403
    assert council_client.get(url).status_code == 403
    assert client_for(member).get(url).status_code == 200
    assert staff_client.get(url).status_code == 200


def test_the_coordinators_pages_are_staff_only(round_2020, member, staff_client):
    member_client = client_for(member)
    for url in [
        reverse("monitoring:plan-rounds", args=[round_2020.plan_id]),
        reverse("monitoring:round", args=[round_2020.pk]),
        reverse("monitoring:round-publish", args=[round_2020.pk]),
        reverse("monitoring:members"),
    ]:
        assert member_client.get(url).status_code == 403, url
        assert staff_client.get(url).status_code == 200, url


def test_a_unit_member_is_not_made_staff_and_sees_the_menu_link(round_2020, member):
    from planportal.roles import is_staff_member

    assert not is_staff_member(member)
    page = client_for(member).get(reverse("home")).content.decode()
    assert reverse("monitoring:my-items") in page


def test_a_member_of_another_unit_cannot_post_the_item(round_2020, indicator):
    stranger = member_of(factories.UnitFactory(name="Švietimo skyrius"))
    client = client_for(stranger)
    url = item_url(round_2020, indicator)
    assert client.get(url).status_code == 403
    assert client.post(url, value_post()).status_code == 403
    assert not ActualValue.objects.exists()
    measure = indicator.measure
    response = client.post(item_url(round_2020, measure, "measure"), {"status": "completed"})
    assert response.status_code == 403
    assert not MeasureImplementation.objects.exists()
    comments = reverse(
        "monitoring:comment-add",
        kwargs={"round_id": round_2020.pk, "kind": "indicator", "key": indicator.key},
    )
    assert client.post(comments, {"text": "Klausimas"}).status_code == 403
    assert not ItemComment.objects.exists()


def test_an_unknown_item_is_404(round_2020, member):
    url = reverse(
        "monitoring:item",
        kwargs={
            "round_id": round_2020.pk,
            "kind": "goal",
            "key": "00000000-0000-0000-0000-000000000000",
        },
    )
    assert client_for(member).get(url).status_code == 404


# --- My items and entering ------------------------------------------------------------


def test_my_items_lists_the_units_measures_with_their_plan(round_2020, member, indicator):
    other = factories.UnitFactory(name="Kultūros skyrius")
    lone = Measure.objects.filter(version=indicator.version).exclude(pk=indicator.measure_id)[0]
    Measure._base_manager.filter(pk=lone.pk).update(responsible_unit=other)
    page = client_for(member).get(reverse("monitoring:my-items")).content.decode()
    assert indicator.measure.title in page
    assert indicator.name in page
    assert lone.title not in page
    assert "Nenurodyta" not in page  # no placeholder leaks


def test_a_member_enters_a_value_and_the_round_counts_it(
    round_2020, member, indicator, staff_client
):
    before = staff_client.get(reverse("monitoring:round", args=[round_2020.pk])).context
    missing_before = before["missing"]
    response = client_for(member).post(item_url(round_2020, indicator), value_post())
    assert response.status_code == 302
    entry = ActualValue.objects.get()
    assert str(entry.value) == "12.5000" and entry.entered_by == member
    after = staff_client.get(reverse("monitoring:round", args=[round_2020.pk])).context
    assert after["missing"] == missing_before - 1
    row = next(r for r in after["units"] if r.unit == indicator.measure.responsible_unit)
    assert row.entered == 1
    assert row.total == sum(1 for i in after["items"] if row.unit.pk in i.units)


def test_completeness_marks_a_late_unit(approved_version, staff_user, staff_client):
    round_ = services.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2000, 1, 1)
    )
    response = staff_client.get(reverse("monitoring:round", args=[round_.pk]))
    assert response.context["late"]
    assert "late-mark" in response.content.decode()


def test_bad_input_is_400_with_the_error_at_the_field_and_what_was_typed(
    round_2020, member, indicator
):
    response = client_for(member).post(
        item_url(round_2020, indicator), value_post(value="daug", note="Mano pastaba")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_value_error"' in page
    assert 'value="daug"' in page and "Mano pastaba" in page
    assert not ActualValue.objects.exists()


def test_a_delayed_measure_without_a_reason_is_refused_at_the_note(round_2020, member, indicator):
    url = item_url(round_2020, indicator.measure, "measure")
    response = client_for(member).post(url, {"status": "delayed", "note": "", "spent_SB": "100"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_note_error"' in page and 'value="100"' in page
    assert not MeasureImplementation.objects.exists()
    response = client_for(member).post(
        url, {"status": "delayed", "note": "Vėluoja rangovas", "spent_SB": "100,50"}
    )
    assert response.status_code == 302
    entry = MeasureImplementation.objects.get()
    assert [(line.source.code, str(line.amount)) for line in entry.spent.all()] == [
        ("SB", "100.50")
    ]


def test_a_stale_form_is_reported_not_overwritten(round_2020, member, indicator, staff_user):
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value="10")
    services.actual_set(
        user=staff_user, indicator=indicator, year=2020, value="11", expected_revision=1
    )
    response = client_for(member).post(
        item_url(round_2020, indicator), value_post(value="99", expected_revision="1")
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="99"' in page
    assert str(ActualValue.objects.get().value) == "11.0000"
    # Having seen the current value, saving again replaces it on purpose.
    assert 'name="expected_revision" value="2"' in page
    again = client_for(member).post(
        item_url(round_2020, indicator), value_post(value="99", expected_revision="2")
    )
    assert again.status_code == 302
    assert str(ActualValue.objects.get().value) == "99.0000"


def test_the_form_shows_the_stored_value_plainly(round_2020, member, indicator, staff_user):
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value="20")
    page = client_for(member).get(item_url(round_2020, indicator)).content.decode()
    assert 'name="value" value="20"' in page


def test_a_published_round_takes_no_more_values(round_2020, member, indicator, staff_user):
    services.round_publish(user=staff_user, round=round_2020)
    response = client_for(member).post(item_url(round_2020, indicator), value_post())
    assert response.status_code == 409
    assert not ActualValue.objects.exists()


def test_staff_filter_my_items_by_unit(round_2020, staff_client, indicator):
    other = factories.UnitFactory(name="Kultūros skyrius")
    url = reverse("monitoring:my-items")
    everything = staff_client.get(url).context["items"]
    none = staff_client.get(url, {"unit": other.pk}).context["items"]
    unit = indicator.measure.responsible_unit_id
    theirs = staff_client.get(url, {"unit": unit}).context["items"]
    assert none == [] and 0 < len(theirs) < len(everything)


def queries_for(size, staff):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    round_ = services.round_open(user=staff, plan=version.plan, year=2020, due=DUE)
    unit = Measure.objects.filter(version=version).first().responsible_unit
    member = UnitMembership.objects.filter(unit=unit).first()
    user = member.user if member else member_of(unit)
    indicators = Indicator.objects.filter(version=version, measure__isnull=False)
    services.actual_set(user=staff, indicator=indicators[0], year=2020, value="1")
    measure = Measure.objects.filter(version=version).first()
    services.implementation_set(
        user=staff,
        measure=measure,
        year=2020,
        status="in_progress",
        spent=[{"source": "SB", "amount": 5}],
    )
    counts = []
    for client, url in [
        (client_for(user), reverse("monitoring:my-items") + f"?round={round_.pk}"),
        (client_for(staff), reverse("monitoring:round", args=[round_.pk])),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_pages_run_the_same_queries_when_the_plan_grows_fivefold(staff_user):
    small = queries_for(1, staff_user)
    large = queries_for(5, staff_user)
    assert small == large


# --- Questions ----------------------------------------------------------------------------


def test_the_coordinator_asks_the_unit_answers_and_the_question_is_resolved(
    round_2020,
    member,
    indicator,
    staff_client,
    staff_user,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    url = reverse(
        "monitoring:comment-add",
        kwargs={"round_id": round_2020.pk, "kind": "indicator", "key": indicator.key},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"text": "Ar tikrai 12?", "is_question": "on"})
    assert response.status_code == 302
    question = ItemComment.objects.get()
    assert question.is_question and question.author == staff_user
    assert Notification.objects.filter(recipient=member).count() == 1
    # A unit member cannot ask questions, only answer.
    member_client = client_for(member)
    answer = member_client.post(url, {"text": "Taip, pagal ataskaitą."})
    assert answer.status_code == 302
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    assert member_client.post(url, {"text": "Klausiu", "is_question": "on"}).status_code == 403
    assert member_client.post(url, {"text": "  "}).status_code == 400
    resolve = reverse("monitoring:comment-resolve", args=[question.pk])
    assert member_client.post(resolve).status_code == 403
    assert staff_client.post(resolve).status_code == 302
    question.refresh_from_db()
    assert question.resolved_at is not None
    # An answer is not a question: resolving it is refused with 400.
    answer = ItemComment.objects.get(is_question=False)
    refused = staff_client.post(reverse("monitoring:comment-resolve", args=[answer.pk]))
    assert refused.status_code == 400
    assert [mail.to for mail in mailoutbox] == [[member.email]]


# --- Rounds and members ---------------------------------------------------------------


def test_staff_open_a_round_and_a_second_one_of_the_year_is_409(approved_version, staff_client):
    url = reverse("monitoring:plan-rounds", args=[approved_version.plan_id])
    response = staff_client.post(url, {"year": "2020", "due": "2021-02-15"})
    assert response.status_code == 302
    again = staff_client.post(url, {"year": "2020", "due": "2021-02-15"})
    assert again.status_code == 409
    assert 'value="2020"' in again.content.decode()
    assert staff_client.post(url, {"year": "2050", "due": "x"}).status_code == 400


def test_publishing_asks_for_confirmation(round_2020, staff_client):
    url = reverse("monitoring:round-publish", args=[round_2020.pk])
    assert staff_client.post(url, {}).status_code == 400
    round_2020.refresh_from_db()
    assert round_2020.status == RoundStatus.OPEN
    assert staff_client.post(url, {"confirm": "on"}).status_code == 302
    round_2020.refresh_from_db()
    assert round_2020.status == RoundStatus.PUBLISHED
    assert staff_client.post(url, {"confirm": "on"}).status_code == 409


def test_staff_set_a_units_members_by_name_or_address(staff_client, resident_user):
    unit = factories.UnitFactory(name="Statybos skyrius")
    other = factories.UserFactory(username="petras", email="Petras@Example.lt")
    url = reverse("monitoring:unit-members", args=[unit.pk])
    field = f"unit-{unit.pk}-members"
    response = staff_client.post(url, {field: f"{resident_user.username}, petras@example.lt"})
    assert response.status_code == 302
    assert set(UnitMembership.objects.values_list("user_id", flat=True)) == {
        resident_user.pk,
        other.pk,
    }
    refused = staff_client.post(url, {field: "nera-tokio"})
    assert refused.status_code == 400
    assert "nera-tokio" in refused.content.decode()
    assert UnitMembership.objects.count() == 2
    assert staff_client.post(url, {field: ""}).status_code == 302
    assert not UnitMembership.objects.exists()
    assert client_for(resident_user).post(url, {field: "petras"}).status_code == 403


def test_the_staff_dashboard_links_to_the_rounds_and_the_members(approved_version, staff_client):
    page = staff_client.get(reverse("plans:staff-dashboard")).content.decode()
    assert reverse("monitoring:plan-rounds", args=[approved_version.plan_id]) in page
    assert reverse("monitoring:members") in page
