"""The Redis queue for background jobs (``WORKER_QUEUE=rq``): a django-tasks backend over rq.

The portal queues its jobs with django-tasks (``task.enqueue(...)``); which
queue they go to is settings' ``TASKS``. The database queue
(django-tasks-db) is the default and needs nothing but the database; sites
that run Redis anyway may put the jobs there instead, and ``manage.py worker``
then runs rq's worker. django-tasks-rq would do the same but brings
django-rq and rq-scheduler for deferred jobs the portal does not use; rq is
already here, and the backend is this page.

A job carries only the task's import path and its JSON arguments (ids, never
content): the worker reads everything else from the database.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task
from django_tasks.utils import get_random_id, normalize_json

# A job that runs longer than this is stopped by rq and counted as failed.
JOB_TIMEOUT_SECONDS = 900
# A failed job's traceback stays a day for the operator (rq's failed registry).
FAILURE_TTL_SECONDS = 24 * 3600


def rq_queue():
    """The rq queue of settings' WORKER_RQ_QUEUE on WORKER_REDIS_URL, read at call time."""
    from redis import Redis
    from rq import Queue

    return Queue(settings.WORKER_RQ_QUEUE, connection=Redis.from_url(settings.WORKER_REDIS_URL))


def run_task(module_path: str, args: list, kwargs: dict) -> Any:
    """What rq calls: the django-tasks task at ``module_path`` with its arguments."""
    return import_string(module_path).call(*args, **kwargs)


class RQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False
    supports_priority = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )

        def send() -> None:
            rq_queue().enqueue(
                run_task,
                task.module_path,
                args,
                kwargs,
                job_id=result.id,
                job_timeout=JOB_TIMEOUT_SECONDS,
                result_ttl=0,
                failure_ttl=FAILURE_TTL_SECONDS,
                description=task.module_path,
            )

        # The database queue's job is a row of the caller's transaction; a
        # Redis job is sent once that transaction has committed, so that the
        # worker never looks for rows it cannot see yet.
        transaction.on_commit(send)
        return result
