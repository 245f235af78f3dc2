"""Many threads supporting and reporting one proposal at once, on one SQLite file.

Run by tests/consultations/test_concurrency.py with DATABASE_URL pointing at a
fresh SQLite file: real simultaneous writers (WAL, IMMEDIATE transactions),
each resident trying several times. Prints "OK <supports> <reports>" or the
first unexpected error.
"""

import datetime
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
from django.utils import timezone  # noqa: E402


def main(residents: int, attempts: int) -> None:
    from django.contrib.auth import get_user_model

    from consultations import services
    from consultations.models import Report, Support
    from planportal.roles import ensure_groups
    from plans import services as plan_services

    call_command("migrate", verbosity=0)
    staff_group, _ = ensure_groups()
    User = get_user_model()
    staff = User.objects.create_user("staff", password="x")
    staff.groups.add(staff_group)
    plan = plan_services.plan_create(
        user=staff, title="Bandymas", municipality="Testas", period_start=2020, period_end=2030
    )
    version = plan.versions.get()
    now = timezone.now()
    consultation = services.consultation_open(
        user=staff,
        version=version,
        title="Aptarimas",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=1),
    )
    author = User.objects.create_user("author", password="x")
    proposal = services.proposal_submit(
        user=author, consultation=consultation, text="Bendras pasiūlymas"
    )
    users = [User.objects.create_user(f"r{n}", password="x") for n in range(residents)]
    connection.close()

    errors = []
    barrier = threading.Barrier(residents)

    def work(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(attempts):
                for call in (services.proposal_support, services.proposal_report):
                    try:
                        call(user=user, proposal=proposal)
                    except services.AlreadyDoneError:
                        pass  # the second time is refused: what we test
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(repr(exc))
        finally:
            thread_connection.close()

    workers = [threading.Thread(target=work, args=(user,)) for user in users]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        print("ERROR", errors[0])
        sys.exit(1)
    print(
        "OK",
        Support.objects.filter(proposal=proposal).count(),
        Report.objects.filter(proposal=proposal).count(),
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
