"""The council's decision rule: who counts, and when a voting passes.

The same for a voting on a version and on a yearly report. The rule comes
from ``settings.PLANPORTAL_DECISION_RULE`` (quorum and majority) and the
council's size from ``PLANPORTAL_COUNCIL_SIZE`` (docs/council.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model

from council.models import Ballot, BallotChoice, Voting
from planportal.roles import COUNCIL_GROUP, STAFF_GROUP

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

DID_NOT_VOTE = "did_not_vote"


@dataclass(frozen=True)
class Tally:
    members: int
    votes_for: int
    votes_against: int
    votes_abstain: int

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain

    @property
    def did_not_vote(self) -> int:
        return max(self.members - self.cast, 0)

    @property
    def quorum(self) -> bool:
        if _rule()["quorum"] == "none":
            return self.cast > 0
        return 2 * self.cast > self.members

    @property
    def passed(self) -> bool:
        if _rule()["majority"] == "of_members":
            return self.quorum and 2 * self.votes_for > self.members
        return self.quorum and 2 * self.votes_for > self.cast


def _rule() -> dict:
    rule = {"quorum": "more_than_half_of_members", "majority": "of_ballots_cast"}
    rule.update(getattr(settings, "PLANPORTAL_DECISION_RULE", {}))
    return rule


def council_members() -> QuerySet[User]:
    """Active council members, in the order a roll call reads them.

    The same people ``is_council_member`` lets vote: staff who are also in the
    council group act as staff, not as members.
    """
    return (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False, groups__name=COUNCIL_GROUP)
        .exclude(groups__name=STAFF_GROUP)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def member_name(user: User) -> str:
    return user.get_full_name() or user.username


def tally_of(voting: Voting) -> tuple[Tally, list[dict]]:
    """Counts and roll call of a voting as it stands: every member with a choice.

    Ballots of people no longer on the council are not counted: the roll is
    the council as it is when the voting closes.
    """
    members = list(council_members())
    choices = dict(Ballot.objects.filter(voting=voting).values_list("voter_id", "choice"))
    roll = [
        {"member_id": m.pk, "member": member_name(m), "choice": choices.get(m.pk, DID_NOT_VOTE)}
        for m in members
    ]
    counted = [entry["choice"] for entry in roll]
    size = getattr(settings, "PLANPORTAL_COUNCIL_SIZE", None) or len(members)
    tally = Tally(
        members=max(size, len(members)),
        votes_for=counted.count(BallotChoice.FOR),
        votes_against=counted.count(BallotChoice.AGAINST),
        votes_abstain=counted.count(BallotChoice.ABSTAIN),
    )
    return tally, roll


def quorum_needed(members: int) -> int:
    """The fewest ballots that make a quorum of a council of ``members``."""
    if _rule()["quorum"] == "none":
        return 1
    return members // 2 + 1
