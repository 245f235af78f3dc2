"""Simultaneous ballots: the database keeps one ballot per member per voting.

Real threads, each with its own database connection, send their ballots at
the same moment (a barrier releases them together). On PostgreSQL they queue
on the voting's row lock and, failing that, on the unique constraint. SQLite's
in-memory test database (shared cache)
answers "table is locked" at once instead of waiting as the file database of
production does (busy timeout, tests/test_sqlite_concurrency.py), so there
the threads take turns: still separate connections and threads, the same
assertions, but serialised, as SQLite serialises writers anyway.
"""

import threading
from contextlib import nullcontext

import pytest
from django.db import connection

from council import services as council_services
from council.models import Ballot
from plans.models import VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            with turns:
                call()
        except Exception as error:  # the assertion below shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_simultaneous_ballots_of_one_member_count_once():
    staff = factories.UserFactory(username="race-staff", role="staff")
    member = factories.UserFactory(username="race-member", role="council")
    others = [factories.UserFactory(username=f"race-other{i}", role="council") for i in range(3)]
    voting = council_services.voting_open(
        user=staff, version=factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)
    )
    choices = ["for", "against", "abstain", "for", "against", "for"]
    calls = [
        (
            lambda choice=choice: council_services.ballot_cast(
                user=member, voting=voting, choice=choice
            )
        )
        for choice in choices
    ]
    calls += [
        (lambda user=user: council_services.ballot_cast(user=user, voting=voting, choice="against"))
        for user in others
    ]

    errors = run_together(calls)

    assert errors == []
    assert Ballot.objects.filter(voting=voting, voter=member).count() == 1
    assert Ballot.objects.get(voting=voting, voter=member).choice in choices
    voting = council_services.voting_close(user=staff, voting=voting)
    assert voting.votes_for + voting.votes_against + voting.votes_abstain == 4
    assert voting.votes_against >= 3
