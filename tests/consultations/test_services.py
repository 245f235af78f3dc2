"""Consultation services: opening, proposals in and out of the period, answers, anonymising."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from consultations import selectors, services
from consultations.models import Consultation, Eldership, Proposal, Report, Support
from council.services import TransitionError, version_submit
from plans.models import FrozenVersionError, PlanVersion, VersionStatus
from plans.services import node_update
from tests import factories

from .conftest import open_consultation, propose

pytestmark = pytest.mark.django_db


def test_kaunas_districts_25_elderships_are_there_as_data():
    names = list(Eldership.objects.values_list("name", flat=True))
    assert len(names) == 25
    assert names[0] == "Akademijos seniūnija" and names[-1] == "Zapyškio seniūnija"
    assert "Garliavos apylinkių seniūnija" in names


def test_opening_makes_the_draft_public_and_read_only(consultation, measure, staff_user):
    version = PlanVersion.objects.get(pk=consultation.version_id)
    assert version.status == VersionStatus.CONSULTATION and version.is_public
    with pytest.raises(FrozenVersionError):
        node_update(user=staff_user, node=measure, title="Pakeista")


def test_only_staff_open_and_only_a_draft(
    consultation_version, resident_user, staff_user, approved_version
):
    now = timezone.now()
    dates = {"starts_at": now, "ends_at": now + datetime.timedelta(days=3)}
    with pytest.raises(PermissionDenied):
        services.consultation_open(
            user=resident_user, version=consultation_version, title="X", **dates
        )
    with pytest.raises(ValidationError) as error:
        services.consultation_open(user=staff_user, version=approved_version, title="X", **dates)
    assert "version" in error.value.message_dict
    assert error.value.code == "frozen_version"
    with pytest.raises(ValidationError) as error:
        services.consultation_open(
            user=staff_user,
            version=consultation_version,
            title="X",
            starts_at=now,
            ends_at=now - datetime.timedelta(hours=1),
        )
    assert "ends_at" in error.value.message_dict
    assert PlanVersion.objects.get(pk=consultation_version.pk).status == VersionStatus.DRAFT


def test_a_proposal_before_the_start_is_refused_with_the_opening_date(
    consultation_version, staff_user, resident_user
):
    consultation = open_consultation(consultation_version, staff_user, starts=2, ends=10)
    with pytest.raises(services.ConsultationClosedError) as refused:
        propose(resident_user, consultation)
    assert refused.value.code == "consultation_not_started"
    assert refused.value.messages[0]
    assert not Proposal.objects.exists()


def test_after_the_end_proposals_are_refused_and_the_consultation_stays_readable(
    consultation_version, staff_user, resident_user, client
):
    consultation = open_consultation(consultation_version, staff_user, starts=-10, ends=-1)
    assert consultation.state == "closed"
    with pytest.raises(services.ConsultationClosedError) as refused:
        propose(resident_user, consultation)
    assert refused.value.code == "consultation_closed"
    assert client.get(consultation.get_absolute_url()).status_code == 200


def test_the_consultation_closes_by_itself_at_its_end(consultation, resident_user):
    propose(resident_user, consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    consultation.refresh_from_db()
    with pytest.raises(services.ConsultationClosedError):
        propose(resident_user, consultation, text="Dar vienas pasiūlymas po pabaigos.")
    assert Proposal.objects.count() == 1


def test_extending_reopens_a_consultation_that_just_ended(
    consultation_version, staff_user, resident_user
):
    consultation = open_consultation(consultation_version, staff_user, starts=-10, ends=-1)
    with pytest.raises(ValidationError):
        services.consultation_extend(
            user=staff_user, consultation=consultation, ends_at=consultation.ends_at
        )
    services.consultation_extend(
        user=staff_user,
        consultation=consultation,
        ends_at=timezone.now() + datetime.timedelta(days=3),
    )
    consultation.refresh_from_db()
    assert propose(resident_user, consultation).pk


def test_the_version_goes_to_the_council_only_after_the_consultation(consultation, staff_user):
    with pytest.raises(TransitionError) as refused:
        version_submit(user=staff_user, version=consultation.version)
    assert refused.value.code == "consultation_not_over"
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    version = version_submit(user=staff_user, version=consultation.version)
    assert version.status == VersionStatus.COUNCIL_REVIEW


def test_a_proposal_on_a_node_keeps_its_code_and_title(consultation, measure, resident_user):
    proposal = propose(resident_user, consultation, target=str(measure.key))
    assert (proposal.target_key, proposal.target_level, proposal.target_code) == (
        measure.key,
        "measure",
        measure.code,
    )
    assert proposal.target_title == measure.title


def test_a_target_outside_the_version_is_refused(consultation, approved_version, resident_user):
    from plans.models import Measure

    foreign = Measure.objects.filter(version=approved_version).first()
    with pytest.raises(ValidationError) as error:
        propose(resident_user, consultation, target=str(foreign.key))
    assert "target" in error.value.message_dict
    with pytest.raises(ValidationError):
        propose(resident_user, consultation, target="ne-raktas")


@pytest.mark.parametrize("text", ["", "per trumpas", "x" * 5001])
def test_lengths_are_bounded(consultation, resident_user, text):
    if text == "per trumpas":
        text = "trumpas"
    with pytest.raises(ValidationError) as error:
        propose(resident_user, consultation, text=text)
    assert "text" in error.value.message_dict
    assert not Proposal.objects.exists()


def test_the_honeypot_stops_a_bot(consultation, resident_user):
    with pytest.raises(ValidationError):
        propose(resident_user, consultation, honeypot="http://spam.example")
    assert not Proposal.objects.exists()


@override_settings(
    CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ACCOUNT=12, CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS=0
)
def test_a_resident_may_send_ten_proposals_an_hour_but_not_without_limit(
    consultation, resident_user
):
    for number in range(12):
        propose(resident_user, consultation, text=f"Pasiūlymas numeris {number}")
    with pytest.raises(services.RateLimitError):
        propose(resident_user, consultation, text="Trylikta pasiūlymas")
    assert Proposal.objects.count() == 12


def test_default_limits_let_a_resident_send_at_least_ten(consultation, resident_user):
    for number in range(10):
        propose(
            resident_user, consultation, text=f"Pasiūlymas numeris {number}", address="10.0.0.1"
        )
    assert Proposal.objects.count() == 10


@override_settings(CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS=3)
def test_the_per_address_limit_counts_every_account_from_that_address(
    consultation, resident_user, other_resident
):
    for user in (resident_user, other_resident, resident_user):
        propose(user, consultation, address="192.0.2.7")
    with pytest.raises(services.RateLimitError):
        propose(other_resident, consultation, address="192.0.2.7")
    propose(other_resident, consultation, address="192.0.2.8")
    assert "192.0.2" not in "".join(Proposal.objects.values_list("address_hash", flat=True))


def test_the_author_edits_and_withdraws_while_open_but_not_after(
    consultation, resident_user, other_resident
):
    proposal = propose(resident_user, consultation)
    with pytest.raises(PermissionDenied):
        services.proposal_edit(
            user=other_resident, proposal=proposal, text="Svetimas pakeitimas čia"
        )
    services.proposal_edit(
        user=resident_user, proposal=proposal, text="Pataisytas pasiūlymo tekstas"
    )
    proposal.refresh_from_db()
    assert proposal.text == "Pataisytas pasiūlymo tekstas" and proposal.edited_at
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(services.ConsultationClosedError):
        services.proposal_withdraw(user=resident_user, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is None


def test_withdrawn_proposals_leave_the_public_list(consultation, resident_user):
    proposal = propose(resident_user, consultation)
    services.proposal_withdraw(user=resident_user, proposal=proposal)
    assert list(selectors.public_proposals(consultation)) == []
    assert list(selectors.proposals_of(resident_user)) == [proposal]


def test_support_once_and_not_one_own(consultation, resident_user, other_resident):
    proposal = propose(resident_user, consultation)
    with pytest.raises(ValidationError):
        services.proposal_support(user=resident_user, proposal=proposal)
    services.proposal_support(user=other_resident, proposal=proposal)
    with pytest.raises(services.AlreadyDoneError):
        services.proposal_support(user=other_resident, proposal=proposal)
    assert selectors.public_proposals(consultation).get().support_count == 1


@override_settings(CONSULTATIONS_AUTO_HIDE_REPORTS=2)
def test_reports_hide_a_proposal_automatically_after_n(consultation, resident_user):
    proposal = propose(resident_user, consultation)
    reporters = [factories.UserFactory() for _ in range(2)]
    services.proposal_report(user=reporters[0], proposal=proposal, reason="Įžeidus")
    with pytest.raises(services.AlreadyDoneError):
        services.proposal_report(user=reporters[0], proposal=proposal)
    proposal.refresh_from_db()
    assert not proposal.hidden
    services.proposal_report(user=reporters[1], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.hidden and proposal.hidden_reason
    assert selectors.node_counts(consultation) == {}


def test_staff_hide_with_a_public_reason_and_the_record_stays(
    consultation, resident_user, staff_user
):
    proposal = propose(resident_user, consultation)
    with pytest.raises(PermissionDenied):
        services.proposal_hide(user=resident_user, proposal=proposal, reason="x")
    with pytest.raises(ValidationError):
        services.proposal_hide(user=staff_user, proposal=proposal, reason=" ")
    services.proposal_hide(user=staff_user, proposal=proposal, reason="Asmens duomenys tekste")
    # The public table neither lists nor counts it; it says one is hidden.
    data = selectors.outcome(consultation)
    assert data["rows"] == [] and data["total"] == 0 and data["hidden"] == 1
    assert Proposal.objects.get(pk=proposal.pk).text.startswith("Siūlau")


def test_answers_are_prepared_then_published_all_at_once_with_an_email(
    consultation, resident_user, other_resident, staff_user
):
    first = propose(resident_user, consultation)
    second = propose(other_resident, consultation, text="Siūlau daugiau suoliukų parke.")
    services.proposal_answer(
        user=staff_user, proposal=first, status="accepted", text="Įtraukta į D.1.1.1."
    )
    services.proposal_answer(
        user=staff_user, proposal=second, status="out_of_scope", text="Ne plano klausimas."
    )
    assert {p.public_status for p in selectors.public_proposals(consultation)} == {"pending"}
    assert len(mail.outbox) == 0
    with pytest.raises(PermissionDenied):
        services.answers_publish(user=resident_user, consultation=consultation)
    from django.test.utils import CaptureQueriesContext  # noqa: F401

    assert services.answers_publish(user=staff_user, consultation=consultation) == 2
    assert {p.public_status for p in selectors.public_proposals(consultation)} == {
        "accepted",
        "out_of_scope",
    }


def test_publishing_one_answer_emails_its_author_with_a_link(
    consultation, resident_user, staff_user, django_capture_on_commit_callbacks
):
    proposal = propose(resident_user, consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            user=staff_user,
            proposal=proposal,
            status="partly_accepted",
            text="Iš dalies.",
            publish=True,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [resident_user.email]
    assert (
        f"http://localhost:8000/consultations/{consultation.pk}/proposals/"
        f"{proposal.public_number}/" in message.body
    )


def test_an_unknown_answer_status_is_refused(consultation, resident_user, staff_user):
    proposal = propose(resident_user, consultation)
    with pytest.raises(ValidationError) as error:
        services.proposal_answer(user=staff_user, proposal=proposal, status="maybe", text="")
    assert set(error.value.message_dict) == {"status", "text"}


def test_an_accepted_proposal_links_to_the_node_of_a_later_draft(
    consultation, measure, resident_user, staff_user
):
    from plans.services import version_create_draft

    proposal = propose(resident_user, consultation, target=str(measure.key))
    later = PlanVersion.objects.create(
        plan=consultation.version.plan, number=3, status=VersionStatus.DRAFT
    )
    from plans.models import Goal, Measure, Priority, Task

    priority = Priority.objects.create(version=later, title="P")
    goal = Goal.objects.create(version=later, priority=priority, title="G")
    task = Task.objects.create(version=later, goal=goal, title="T")
    changed = Measure.objects.create(version=later, task=task, title="M", key=measure.key)
    with pytest.raises(ValidationError):
        services.proposal_answer(
            user=staff_user,
            proposal=proposal,
            status="not_accepted",
            text="Ne.",
            linked_version=later,
            linked_key=changed.key,
        )
    services.proposal_answer(
        user=staff_user,
        proposal=proposal,
        status="accepted",
        text="Taip.",
        publish=True,
        linked_version=later,
        linked_key=changed.key,
    )
    proposal.refresh_from_db()
    assert (proposal.linked_version, proposal.linked_key) == (later, measure.key)
    assert version_create_draft  # the real path to a later draft is tested in plans


def test_anonymising_keeps_the_text_and_drops_the_name_supports_and_reports(
    consultation, resident_user, other_resident, staff_user
):
    resident_user.first_name, resident_user.last_name = "Jonas", "Rimkus"
    resident_user.save()
    mine = propose(resident_user, consultation, show_name=True)
    theirs = propose(other_resident, consultation)
    services.proposal_support(user=resident_user, proposal=theirs)
    services.proposal_report(user=resident_user, proposal=theirs)
    assert mine.author_display == "Jonas Rimkus"
    assert services.author_anonymise(user=resident_user) == 1
    mine.refresh_from_db()
    assert (
        mine.author is None
        and mine.text.startswith("Siūlau")
        and mine.author_display == "Gyventojas"
    )
    assert not Support.objects.exists() and not Report.objects.exists()
    assert selectors.personal_data(user=resident_user) == {
        "proposals": [],
        "supports": [],
        "reports": [],
    }


def test_personal_data_holds_the_proposals_supports_and_reports(
    consultation, resident_user, other_resident, eldership
):
    import json

    mine = propose(resident_user, consultation, eldership=eldership)
    theirs = propose(other_resident, consultation)
    services.proposal_support(user=resident_user, proposal=theirs)
    services.proposal_report(user=resident_user, proposal=theirs, reason="Reklama")
    data = json.loads(json.dumps(selectors.personal_data(user=resident_user)))
    assert [p["id"] for p in data["proposals"]] == [mine.pk]
    assert data["proposals"][0]["eldership"] == "Garliavos seniūnija"
    assert data["proposals"][0]["privacy_notice_accepted_at"]
    assert data["supports"][0]["proposal"] == theirs.pk
    assert data["reports"][0]["reason"] == "Reklama"


def test_author_name_shows_only_when_chosen(consultation, resident_user):
    resident_user.first_name, resident_user.last_name = "Jonas", "Rimkus"
    resident_user.save()
    hidden_name = propose(resident_user, consultation)
    assert hidden_name.author_display == "Gyventojas"


def test_linking_defaults_to_the_same_node_in_the_later_version(
    consultation, measure, resident_user, staff_user, client
):
    from plans.services import version_create_draft

    proposal = propose(resident_user, consultation, target=str(measure.key))
    later = version_create_draft(
        user=staff_user, plan=consultation.version.plan, source=consultation.version
    )
    services.proposal_answer(
        user=staff_user,
        proposal=proposal,
        status="accepted",
        text="Įtraukta.",
        publish=True,
        linked_version=later,
    )
    proposal.refresh_from_db()
    assert (proposal.linked_version, proposal.linked_key) == (later, measure.key)
    response = client.get(proposal.consultation.get_absolute_url())
    assert later.get_label() in response.content.decode()
