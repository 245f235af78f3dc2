"""``manage.py worker``: runs the background jobs (the contract's "Background work").

Which queue it reads is settings' ``WORKER_QUEUE``: the database queue
(django-tasks-db's worker loop, the default) or Redis (rq's worker). Run one
or more beside the web servers; ``scripts/serve.sh`` starts one.
"""

from __future__ import annotations

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from planportal.tasks_rq import RQBackend, rq_queue


class Command(BaseCommand):
    help = "Run the background jobs (rendering the plans' PDFs) from the queue of WORKER_QUEUE."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs queued now, then stop."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty database queue (default 1).",
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=10,
            help="Lower the worker's CPU priority by this much (default 10): on a "
            "machine it shares with the web server, a page is answered before a PDF is laid out.",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Stop after this many jobs (a supervisor starts a fresh process: "
            "WeasyPrint's memory is given back).",
        )

    def handle(
        self, *args, batch=False, interval=1.0, nice=10, max_tasks=None, verbosity=1, **options
    ):
        if nice:
            os.nice(nice)
        if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], RQBackend):
            from rq import Worker

            queue = rq_queue()
            # rq forks a child per job; a database connection opened here would
            # be shared by parent and child, so none is kept open in the parent.
            connections.close_all()
            if verbosity:
                self.stdout.write(f"Running background jobs from the Redis queue {queue.name!r}.")
            Worker([queue], connection=queue.connection).work(burst=batch, max_jobs=max_tasks)
            return
        if verbosity:
            self.stdout.write("Running background jobs from the database queue.")
        extra = {"max_tasks": max_tasks} if max_tasks else {}
        call_command(
            "db_worker",
            queue_name="*",
            batch=batch,
            interval=interval,
            # A reloading parent would outlive serve.sh's trap; restart it instead.
            reload=False,
            startup_delay=not batch,
            verbosity=verbosity,
            stdout=self.stdout,
            stderr=self.stderr,
            **extra,
        )
