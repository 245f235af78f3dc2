#!/usr/bin/env python
"""The staff outline of the demo draft: its render and each in-place edit, in-process.

    .venv/bin/python benchmarks/outline.py [--runs 20] [--scale 10]

Creates a throwaway SQLite database in a temporary directory, runs the
migrations and ``load_demo``, and takes the demo's draft (the 2025–2027
action plan's 2026–2028 update: 5 programmes, 34 measures); with
``--scale N`` a new draft holding that tree N times over
(``tests.growth.grow_version``). Then, through ``django.test.Client``
logged in as the demo's ``staff`` account (``force_login``), it times:

* the outline page, ``GET /staff/versions/{id}/outline/``, with an empty
  cache (every row rendered) and with its rows already cached;
* each request the outline makes when staff edit in place (static/js/outline.js,
  plans/urls_staff.py), as htmx sends it (``HX-Request``): opening and saving
  the inline title edit, opening and saving "add" under a task, the up and down
  buttons, opening and saving "Move to…", opening and confirming "Delete",
  and saving the vision. Each save answers with the whole outline, as in use.

Each figure is the median of ``--runs`` requests in milliseconds, wall time
and the process's CPU time; queries are those of the last request. Writes go
to the throwaway database, which is deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="requests per figure (median)")
    parser.add_argument("--scale", type=int, default=1, help="the draft's size, times the demo's")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planportal-outline-bench-") as tmp:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "planportal.settings",
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "DEBUG": "0",
                "HTTPS": "0",
                "SECRET_KEY": "benchmark-only-" + os.urandom(16).hex(),
                "LOG_LEVEL": "ERROR",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
        )
        sys.path[:0] = [str(ROOT)]
        import django

        django.setup()
        run(options)


def run(options) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from plans.levels import LEVELS
    from plans.models import Measure, PlanVersion, Task, VersionStatus
    from tests.growth import grow_version

    print("Preparing the database (migrate, load_demo)…", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    version = PlanVersion.objects.select_related("plan").get(
        status=VersionStatus.DRAFT, plan__kind="action"
    )
    if options.scale > 1:
        version = grow_version(version, options.scale)
    nodes = sum(level.model.objects.filter(version=version).count() for level in LEVELS.values())
    print(f"Draft {version.pk}: {nodes} items ({options.scale}× the demo's draft)", flush=True)

    client = Client(HTTP_ACCEPT_LANGUAGE="lt")
    client.force_login(get_user_model().objects.get(username="staff"))
    htmx = {"HTTP_HX_REQUEST": "true"}
    outline = f"/staff/versions/{version.pk}/outline/"
    # The rows the edits touch: a measure in the middle of the plan, with
    # siblings on both sides, and its task.
    measures = list(Measure.objects.filter(version=version).order_by("code"))
    measure = next(m for m in measures[len(measures) // 2 :] if m.position > 1)
    task = Task.objects.get(pk=measure.task_id)

    rows = []

    def timed(label, request, *, before=None, status=200):
        walls, cpus, queries = [], [], 0
        for index in range(options.runs):
            if before is not None:
                before(index)
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                response = request(index)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            assert response.status_code == status, (label, response.status_code)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            queries = len(captured)
        rows.append((label, statistics.median(walls), statistics.median(cpus), queries))
        print(f"  {label}: {rows[-1][1]:.1f} ms", flush=True)

    def node_url(level, pk, action=""):
        return f"/staff/nodes/{level}/{pk}/{action}"

    client.get(outline)  # Imports, translations, templates loaded once, as in a running server.
    timed("outline, nothing cached", lambda i: client.get(outline), before=lambda i: cache.clear())
    timed("outline, rows cached", lambda i: client.get(outline))

    edit = node_url("measure", measure.pk)
    prefix = f"edit-measure-{measure.pk}"

    def save_title(index):
        measure.refresh_from_db()
        return client.post(
            edit,
            {
                f"{prefix}-title": f"{measure.title.split(' #')[0]} #{index}",
                f"{prefix}-description": measure.description,
                f"{prefix}-revision": measure.revision,
            },
            **htmx,
        )

    timed("title edit: open the form", lambda i: client.get(edit, **htmx))
    timed("title edit: save", save_title)

    add = node_url("task", task.pk, "add/")
    added = []

    def save_add(index):
        response = client.post(
            add,
            {
                f"add-task-{task.pk}-title": f"Nauja priemonė {index}",
                f"add-task-{task.pk}-description": "",
                f"add-task-{task.pk}-position": "",
            },
            **htmx,
        )
        added.append(Measure.objects.filter(task=task).order_by("-id").first())
        return response

    timed("add under a task: open the form", lambda i: client.get(add, **htmx))
    timed("add under a task: save", save_add)
    delete_urls = [node_url("measure", m.pk, "delete/") for m in added]
    timed("delete: open the confirmation", lambda i: client.get(delete_urls[i], **htmx))
    timed("delete: confirm", lambda i: client.post(delete_urls[i], **htmx))

    move = node_url("measure", measure.pk, "move/")
    timed(
        "move up or down (buttons)",
        lambda i: client.post(move, {"direction": "up" if i % 2 else "down"}, **htmx),
    )
    timed("move to…: open the form", lambda i: client.get(move, **htmx))

    def move_to(index):
        # Alternately first and last under the same task.
        siblings = Measure.objects.filter(task_id=measure.task_id).count()
        place = f"{measure.task_id}:{1 if index % 2 else siblings}"
        return client.post(move, {f"move-measure-{measure.pk}-place": place}, **htmx)

    timed("move to…: save", move_to)

    vision = f"/staff/versions/{version.pk}/vision/"

    def save_vision(index):
        version.refresh_from_db()
        return client.post(
            vision,
            {
                "vision-vision": f"{version.vision.split(' #')[0]} #{index}",
                "vision-label": version.label,
                "vision-revision": version.revision,
            },
            **htmx,
        )

    timed("vision: save", save_vision)

    width = max(len(row[0]) for row in rows)
    print()
    print(f"{'request':<{width}}  {'ms':>7}  {'CPU ms':>7}  {'queries':>7}")
    for label, wall, cpu, queries in rows:
        print(f"{label:<{width}}  {wall:>7.1f}  {cpu:>7.1f}  {queries:>7}")


if __name__ == "__main__":
    main()
