"""Council review: the state machine, votings, ballots and the decision rule."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from council import services as council_services
from council.models import Ballot, VersionEvent, Voting
from plans.models import PlanVersion, VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db

S = VersionStatus


@pytest.fixture(autouse=True)
def _english():
    # The refusals are matched by their English text (the message ids).
    with translation.override("en"):
        yield


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="review-staff", role="staff")


@pytest.fixture
def members(db):
    return [factories.UserFactory(username=f"member{i:02}", role="council") for i in range(5)]


def users_by_role(staff, members):
    return {
        "staff": staff,
        "council": members[0],
        "resident": factories.UserFactory(username="review-resident"),
        "anonymous": AnonymousUser(),
    }


def _state(version):
    version.refresh_from_db()
    return (
        version.status,
        version.decision_number,
        VersionEvent.objects.filter(version=version).count(),
        list(Voting.objects.filter(version=version).values_list("status", flat=True)),
    )


ACTIONS = {
    "submit": lambda user, version: council_services.version_submit(user=user, version=version),
    "withdraw": lambda user, version: council_services.version_withdraw(
        user=user, version=version, reason="Pataisyti"
    ),
    "open_voting": lambda user, version: council_services.voting_open(user=user, version=version),
    "record_decision": lambda user, version: council_services.version_record_decision(
        user=user, version=version, number="TS-402", date=datetime.date(2021, 11, 25)
    ),
}
# The one state each action starts from (submit also from consultation).
ALLOWED = {
    "submit": {S.DRAFT, S.CONSULTATION},
    "withdraw": {S.COUNCIL_REVIEW},
    "open_voting": {S.COUNCIL_REVIEW},
    "record_decision": {S.APPROVED},
}
RESULT = {
    "submit": S.COUNCIL_REVIEW,
    "withdraw": S.DRAFT,
    "open_voting": S.COUNCIL_REVIEW,
    "record_decision": S.APPROVED,
}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_in_every_state_by_every_role_is_allowed_or_refused_with_a_message(
    staff, members, action
):
    roles = users_by_role(staff, members)
    wrong = []
    for status in S.values:
        for role, user in roles.items():
            version = factories.VersionFactory(status=status)
            before = _state(version)
            try:
                ACTIONS[action](user, version)
            except PermissionDenied as error:
                outcome = "forbidden"
                assert str(error), "a refusal must say why"
            except council_services.TransitionError as error:
                outcome = "refused"
                assert " ".join(error.messages), "a refusal must say why"
                assert error.code == "transition_not_allowed"
            else:
                outcome = "done"
            allowed = role == "staff" and status in ALLOWED[action]
            expected = "done" if allowed else ("forbidden" if role != "staff" else "refused")
            if outcome != expected:
                wrong.append(f"{action} on {status} by {role}: {outcome}, expected {expected}")
            after = _state(version)
            if outcome == "done":
                if after[0] != RESULT[action] or after[2] != before[2] + 1:
                    wrong.append(f"{action} on {status} by {role}: done but state is {after}")
            elif after != before:
                wrong.append(
                    f"{action} on {status} by {role}: refused but changed {before} → {after}"
                )
    assert wrong == []


def test_taking_back_needs_a_reason_and_keeps_the_version_number(staff):
    version = factories.VersionFactory(status=S.COUNCIL_REVIEW, number=3)
    with pytest.raises(ValidationError) as error:
        council_services.version_withdraw(user=staff, version=version, reason="  ")
    assert "reason" in error.value.message_dict
    council_services.version_withdraw(user=staff, version=version, reason="Trūksta finansavimo")
    version.refresh_from_db()
    assert (version.status, version.number) == (S.DRAFT, 3)
    event = VersionEvent.objects.get(version=version, kind=VersionEvent.Kind.WITHDRAWN)
    assert (event.reason, event.user) == ("Trūksta finansavimo", staff)


def test_a_version_with_an_open_voting_cannot_be_taken_back(staff):
    version = factories.VersionFactory(status=S.COUNCIL_REVIEW)
    council_services.voting_open(user=staff, version=version)
    with pytest.raises(council_services.TransitionError) as refused:
        council_services.version_withdraw(user=staff, version=version, reason="x")
    assert refused.value.code == "voting_open"
    version.refresh_from_db()
    assert version.status == S.COUNCIL_REVIEW


def test_only_one_voting_can_be_open_on_a_version(staff):
    version = factories.VersionFactory(status=S.COUNCIL_REVIEW)
    council_services.voting_open(user=staff, version=version)
    with pytest.raises(council_services.TransitionError) as refused:
        council_services.voting_open(user=staff, version=version)
    assert refused.value.code == "voting_open"
    assert Voting.objects.filter(version=version).count() == 1


def test_a_deadline_in_the_past_is_refused(staff):
    version = factories.VersionFactory(status=S.COUNCIL_REVIEW)
    with pytest.raises(ValidationError) as error:
        council_services.voting_open(
            user=staff, version=version, deadline=timezone.now() - datetime.timedelta(hours=1)
        )
    assert "deadline" in error.value.message_dict
    assert not Voting.objects.exists()


def test_a_submitted_version_cannot_be_edited(staff, draft_version):
    from plans.models import FrozenVersionError, Measure
    from plans.services import node_update

    council_services.version_submit(user=staff, version=draft_version)
    measure = Measure.objects.filter(version=draft_version).first()
    with pytest.raises(FrozenVersionError):
        node_update(user=staff, node=measure, title="Pakeista")


# --- Ballots ---------------------------------------------------------------------


@pytest.fixture
def open_voting(staff, members):
    version = factories.VersionFactory(status=S.COUNCIL_REVIEW)
    return council_services.voting_open(user=staff, version=version)


def test_a_council_member_can_change_the_ballot_and_it_stays_one_row(open_voting, members):
    _, created = council_services.ballot_cast(user=members[0], voting=open_voting, choice="against")
    ballot, created_again = council_services.ballot_cast(
        user=members[0], voting=open_voting, choice="for"
    )
    assert (created, created_again) == (True, False)
    assert list(Ballot.objects.filter(voting=open_voting).values_list("choice", flat=True)) == [
        "for"
    ]
    assert ballot.choice == "for"


def test_only_council_members_vote(open_voting, staff):
    resident = factories.UserFactory(username="ballot-resident")
    for user in (staff, resident, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            council_services.ballot_cast(user=user, voting=open_voting, choice="for")
    assert not Ballot.objects.exists()


def test_an_unknown_choice_is_refused(open_voting, members):
    with pytest.raises(ValidationError):
        council_services.ballot_cast(user=members[0], voting=open_voting, choice="maybe")
    assert not Ballot.objects.exists()


def test_no_ballot_after_the_deadline(open_voting, members):
    Voting.objects.filter(pk=open_voting.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(council_services.TransitionError) as refused:
        council_services.ballot_cast(user=members[0], voting=open_voting, choice="for")
    assert refused.value.code == "deadline_passed"
    assert not Ballot.objects.exists()


def test_no_ballot_after_closing_and_no_second_closing(open_voting, members, staff):
    council_services.voting_close(user=staff, voting=open_voting)
    with pytest.raises(council_services.TransitionError) as refused:
        council_services.ballot_cast(user=members[0], voting=open_voting, choice="for")
    assert refused.value.code == "voting_closed"
    with pytest.raises(council_services.TransitionError) as refused:
        council_services.voting_close(user=staff, voting=open_voting)
    assert refused.value.code == "voting_closed"
    assert not Ballot.objects.exists()


# --- Closing ---------------------------------------------------------------------


def test_a_passed_voting_approves_the_version_and_supersedes_the_one_in_force(
    staff, members, approved_version
):
    new = factories.VersionFactory(plan=approved_version.plan, status=S.COUNCIL_REVIEW, number=2)
    voting = council_services.voting_open(user=staff, version=new)
    for member, choice in zip(members, ["for", "for", "for", "against"], strict=False):
        council_services.ballot_cast(user=member, voting=voting, choice=choice)
    voting = council_services.voting_close(
        user=staff,
        voting=voting,
        decision_number="TS-402",
        # The council's session that closed the voting: not before it opened.
        decision_date=timezone.localdate(),
    )
    approved_version.refresh_from_db()
    new.refresh_from_db()
    assert voting.passed is True
    assert (voting.votes_for, voting.votes_against, voting.votes_abstain, voting.did_not_vote) == (
        3,
        1,
        0,
        1,
    )
    assert (new.status, approved_version.status) == (S.APPROVED, S.SUPERSEDED)
    assert (new.decision_number, new.decision_date) == ("TS-402", timezone.localdate())
    roll = {entry["member"]: entry["choice"] for entry in voting.roll}
    assert roll == {
        "member00": "for",
        "member01": "for",
        "member02": "for",
        "member03": "against",
        "member04": "did_not_vote",
    }


def test_a_failed_voting_returns_the_version_to_draft_and_keeps_the_one_in_force(
    staff, members, approved_version
):
    new = factories.VersionFactory(plan=approved_version.plan, status=S.COUNCIL_REVIEW, number=2)
    voting = council_services.voting_open(user=staff, version=new)
    for member, choice in zip(members, ["for", "against", "against"], strict=False):
        council_services.ballot_cast(user=member, voting=voting, choice=choice)
    voting = council_services.voting_close(user=staff, voting=voting)
    approved_version.refresh_from_db()
    new.refresh_from_db()
    assert voting.passed is False
    assert (new.status, approved_version.status) == (S.DRAFT, S.APPROVED)
    assert VersionEvent.objects.filter(version=new, kind=VersionEvent.Kind.REJECTED).exists()


def test_approval_shows_the_new_version_on_the_cached_public_plan_page(
    staff, members, approved_version, django_capture_on_commit_callbacks
):
    plan = approved_version.plan
    new = factories.VersionFactory(
        plan=plan, status=S.COUNCIL_REVIEW, number=2, vision="Nauja vizija 2030"
    )
    public = Client()
    assert public.get(plan.get_absolute_url()).status_code == 200
    assert public.get(plan.get_absolute_url())["X-Page-Cache"] == "hit"
    voting = council_services.voting_open(user=staff, version=new)
    for member in members[:3]:
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    with django_capture_on_commit_callbacks(execute=True):
        council_services.voting_close(user=staff, voting=voting)
    response = public.get(plan.get_absolute_url())
    assert response.get("X-Page-Cache") != "hit"
    assert "Nauja vizija 2030" in response.content.decode()


def test_a_decision_can_be_recorded_only_on_an_approved_version_and_not_in_the_future(staff):
    version = factories.VersionFactory(status=S.APPROVED)
    with pytest.raises(ValidationError) as error:
        council_services.version_record_decision(
            user=staff,
            version=version,
            number="TS-1",
            date=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "date" in error.value.message_dict
    council_services.version_record_decision(
        user=staff, version=version, number=" TS-402 ", date=datetime.date(2021, 11, 25)
    )
    version.refresh_from_db()
    assert (version.decision_number, version.decision_date) == (
        "TS-402",
        datetime.date(2021, 11, 25),
    )


def test_staff_in_the_council_group_do_not_count_as_members(staff, members):
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name="council"))
    assert staff not in council_services.council_members()
    assert council_services.council_members().count() == len(members)


# --- The decision rule ------------------------------------------------------------


def tally(members, votes_for, against, abstain):
    return council_services.Tally(
        members=members, votes_for=votes_for, votes_against=against, votes_abstain=abstain
    )


@pytest.mark.parametrize(
    "members,votes_for,against,abstain,passed",
    [
        (25, 14, 5, 2, True),  # 21 of 25 took part, 14 > 21/2
        (25, 6, 3, 3, False),  # 12 of 25: no quorum
        (25, 7, 3, 3, True),  # 13 of 25: quorum; 7 > 13/2
        (25, 7, 4, 3, False),  # 14 cast, 7 for: not more than half
        (25, 10, 5, 6, False),  # abstentions count as cast: 10 of 21
        (4, 2, 0, 0, False),  # 2 of 4 is not more than half of the members
        (5, 3, 0, 0, True),
    ],
)
def test_worked_examples_of_the_decision_rule(members, votes_for, against, abstain, passed):
    assert tally(members, votes_for, against, abstain).passed is passed


@st.composite
def votes(draw):
    members = draw(st.integers(min_value=1, max_value=60))
    votes_for = draw(st.integers(min_value=0, max_value=members))
    against = draw(st.integers(min_value=0, max_value=members - votes_for))
    abstain = draw(st.integers(min_value=0, max_value=members - votes_for - against))
    return members, votes_for, against, abstain


@given(votes())
def test_passed_iff_quorum_and_more_for_than_half_of_ballots_cast(case):
    members, votes_for, against, abstain = case
    result = tally(members, votes_for, against, abstain)
    cast = votes_for + against + abstain
    assert (
        result.votes_for + result.votes_against + result.votes_abstain + result.did_not_vote
        == members
    )
    assert result.passed == (cast > members / 2 and votes_for > cast / 2)


@given(votes())
def test_one_more_vote_for_never_turns_a_pass_into_a_failure(case):
    members, votes_for, against, abstain = case
    if (
        votes_for + against + abstain < members
        and tally(members, votes_for, against, abstain).passed
    ):
        assert tally(members, votes_for + 1, against, abstain).passed


@settings(max_examples=30)
@given(votes())
def test_majority_of_members_rule_is_stricter(case):
    from django.test import override_settings

    members, votes_for, against, abstain = case
    with override_settings(PLANPORTAL_DECISION_RULE={"majority": "of_members"}):
        strict = tally(members, votes_for, against, abstain).passed
    assert strict == (votes_for + against + abstain > members / 2 and votes_for > members / 2)
    if strict:
        assert tally(members, votes_for, against, abstain).passed


def test_closing_counts_a_council_of_the_size_set_in_settings(staff, members, settings):
    settings.PLANPORTAL_COUNCIL_SIZE = 25
    voting = council_services.voting_open(
        user=staff, version=factories.VersionFactory(status=S.COUNCIL_REVIEW)
    )
    for member in members:
        council_services.ballot_cast(user=member, voting=voting, choice="for")
    voting = council_services.voting_close(user=staff, voting=voting)
    # 5 ballots of 25 seats: no quorum.
    assert (voting.council_size, voting.did_not_vote, voting.passed) == (25, 20, False)
    assert PlanVersion.objects.get(pk=voting.version_id).status == S.DRAFT
