"""``manage.py worker`` (the contract's "Background work") reads the queue of WORKER_QUEUE."""

import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def backend_with(**env_extra) -> subprocess.CompletedProcess:
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.TASKS['default']['BACKEND'], settings.WORKER_RQ_QUEUE)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "WORKER_QUEUE", "PDF_WORKER", "PDF_QUEUE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "planportal.settings", **env_extra})
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django_tasks_db.DatabaseBackend planportal"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "django_tasks_db.DatabaseBackend planportal"),
        ({"WORKER_QUEUE": "rq"}, "planportal.tasks_rq.RQBackend planportal"),
        # The names of the release before: still the Redis queue.
        ({"PDF_WORKER": "rq", "PDF_QUEUE": "pdf"}, "planportal.tasks_rq.RQBackend pdf"),
    ],
)
def test_the_database_queue_is_the_default_and_redis_is_chosen_by_name(env, expected):
    result = backend_with(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_unknown_queue_stops_the_start_with_a_message():
    result = backend_with(WORKER_QUEUE="celery")
    assert result.returncode != 0
    assert 'WORKER_QUEUE is "database" or "rq"' in result.stderr


def test_with_redis_the_worker_runs_rqs_worker_on_the_configured_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "planportal.tasks_rq.RQBackend"}}
    settings.WORKER_REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.WORKER_RQ_QUEUE = "planportal-worker-command-test"
    out = io.StringIO()
    with mock.patch("rq.Worker") as worker:
        call_command("worker", batch=True, nice=0, stdout=out)
    (queues,), kwargs = worker.call_args
    assert [queue.name for queue in queues] == ["planportal-worker-command-test"]
    worker.return_value.work.assert_called_once_with(burst=True, max_jobs=None)
    assert "Redis" in out.getvalue()
