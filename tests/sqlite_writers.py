"""Many threads writing to one SQLite file at once (run by test_sqlite_concurrency).

Usage: python tests/sqlite_writers.py THREADS WRITES_PER_THREAD
with DATABASE_URL pointing at a fresh SQLite file. Prints "OK <count>" or
the first error.
"""

import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from planportal.roles import ensure_groups  # noqa: E402


def main(threads: int, writes: int) -> None:
    from django.contrib.auth import get_user_model

    from plans import services
    from plans.models import Measure, Priority

    call_command("migrate", verbosity=0)
    staff_group, _ = ensure_groups()
    user = get_user_model().objects.create_user("writer", password="x")
    user.groups.add(staff_group)
    plan = services.plan_create(
        user=user, title="Bandymas", municipality="Testas", period_start=2020, period_end=2030
    )
    version = plan.versions.get()
    priority = services.node_create(user=user, level="priority", parent=version, title="P")
    goal = services.node_create(user=user, level="goal", parent=priority, title="G")
    task = services.node_create(user=user, level="task", parent=goal, title="T")
    connection.close()

    errors = []
    barrier = threading.Barrier(threads)

    def work(n):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for i in range(writes):
                # Each call reads siblings, writes a row and renumbers the
                # version in one transaction: the read-then-write pattern that
                # fails with "database is locked" under DEFERRED transactions.
                services.node_create(user=user, level="measure", parent=task, title=f"M {n}-{i}")
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        print("ERROR", errors[0])
        sys.exit(1)
    count = Measure.objects.filter(task=task).count()
    codes = sorted(Measure.objects.filter(task=task).values_list("code", flat=True))
    expected = sorted(f"A.1.1.{i}" for i in range(1, threads * writes + 1))
    assert Priority.objects.count() == 1
    if codes != expected:
        print("ERROR codes", codes[:5])
        sys.exit(1)
    print("OK", count)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
