"""Many threads PUT the same indicator's value of one year at once (run by
test_concurrency.py).

Usage: python tests/monitoring/actual_writers.py THREADS with DATABASE_URL
pointing at a fresh database. Prints "OK <rows> <created> <changed>" or the
first error.
"""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def main(threads: int) -> None:
    import datetime

    from django.test import Client

    from monitoring import services
    from monitoring.models import ActualValue, UnitMembership
    from planportal.roles import ensure_groups
    from plans.models import Indicator, VersionStatus
    from tests import factories
    from tests.conftest import build_plan_tree

    call_command("migrate", verbosity=0)
    staff_group, _ = ensure_groups()
    staff = factories.UserFactory(username="coordinator")
    staff.groups.add(staff_group)
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    services.round_open(user=staff, plan=version.plan, year=2020, due=datetime.date(2021, 2, 1))
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).get()
    writers = [staff]
    for n in range(threads - 1):
        user = factories.UserFactory(username=f"member{n}")
        UnitMembership.objects.create(unit=indicator.measure.responsible_unit, user=user)
        writers.append(user)
    connection.close()

    statuses, errors = [], []
    barrier = threading.Barrier(threads)
    url = f"/api/v1/indicators/{indicator.pk}/actuals/2020/"

    def work(user, n):
        from django.db import connection as thread_connection

        try:
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            barrier.wait()
            response = client.put(
                url, json.dumps({"value": f"{n}.5", "note": ""}), content_type="application/json"
            )
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work, args=(u, n)) for n, u in enumerate(writers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        print("ERROR", errors[0])
        sys.exit(1)
    rows = ActualValue.objects.filter(plan=version.plan, year=2020)
    entry = rows.get() if rows.count() == 1 else None
    if entry is None or sorted(statuses) != [200] * (threads - 1) + [201]:
        print("ERROR", rows.count(), sorted(statuses))
        sys.exit(1)
    # Every write but the first was a correction: one revision each, none lost.
    if entry.revision != threads or entry.history.count() != threads:
        print("ERROR revision", entry.revision, entry.history.count())
        sys.exit(1)
    print("OK", rows.count(), statuses.count(201), statuses.count(200))


if __name__ == "__main__":
    main(int(sys.argv[1]))
