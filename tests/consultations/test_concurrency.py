"""Supports and reports are unique per resident even when sent at the same moment.

In-process threads (each with its own connection) race on the test database,
PostgreSQL or SQLite, as tests/council/test_concurrency.py does; and a
subprocess runs real simultaneous writers on an SQLite file, the embedded
production set-up.
"""

import os
import subprocess
import sys
import threading
from contextlib import nullcontext
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from consultations import services
from consultations.models import Proposal, Report, Support
from tests import factories

from .conftest import open_consultation

ROOT = Path(__file__).resolve().parent.parent.parent


def run_together(calls):
    barrier = threading.Barrier(len(calls))
    # SQLite's in-memory test database answers "table is locked" at once
    # instead of waiting, so there the threads take turns (see the module doc).
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    errors = []

    def worker(call):
        try:
            barrier.wait(timeout=10)
            with turns:
                call()
        except services.AlreadyDoneError:
            pass
        except Exception as error:  # the assertion shows it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
@override_settings(CONSULTATIONS_AUTO_HIDE_REPORTS=0)
def test_simultaneous_supports_and_reports_count_once_per_resident():
    staff = factories.UserFactory(username="race-staff", role="staff")
    version = factories.VersionFactory(status="draft")
    consultation = open_consultation(version, staff)
    author = factories.UserFactory(username="race-author")
    proposal = services.proposal_submit(
        user=author, consultation=consultation, text="Pasiūlymas lenktynėms"
    )
    residents = [factories.UserFactory(username=f"race-resident{i}") for i in range(3)]
    calls = []
    for resident in residents:
        calls += [lambda r=resident: services.proposal_support(user=r, proposal=proposal)] * 3
        calls += [lambda r=resident: services.proposal_report(user=r, proposal=proposal)] * 3

    errors = run_together(calls)

    assert errors == []
    assert Support.objects.filter(proposal=proposal).count() == 3
    assert Report.objects.filter(proposal=proposal).count() == 3
    assert Proposal.objects.get(pk=proposal.pk).supports.values("user").distinct().count() == 3


def test_simultaneous_supports_and_reports_on_an_sqlite_file(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'supports.sqlite3'}",
            "HTTPS": "0",
            "CONSULTATIONS_AUTO_HIDE_REPORTS": "0",
        }
    )
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "consultations" / "concurrent_supports.py"),
            "8",
            "3",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("OK 8 8")
