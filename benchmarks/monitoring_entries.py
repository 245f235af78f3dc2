#!/usr/bin/env python
"""200 actual-value entries, 50 at a time, through a real server.

    .venv/bin/python benchmarks/monitoring_entries.py [--database sqlite|postgres] \
        [--entries 200] [--concurrency 50]

In one run: creates a throwaway database (an SQLite file in a temporary
directory, or with ``--database postgres`` a fresh PostgreSQL database named
``planportal_bench_monitoring`` at ``--postgres-url``), migrates it, loads the
demo, opens monitoring rounds for as many years of the plan in force as the
entries need, makes members of every responsible unit (and a few staff
accounts for the goals' indicators) with API tokens, starts gunicorn with
production settings (DEBUG=0, HTTPS=0 as there is no TLS proxy) on a free
port and sends ``PUT /api/v1/indicators/{id}/actuals/{year}/`` from 50
threads released together, each entry by an account allowed to write it.

One entry in ten repeats an (indicator, year) another thread writes at the
same moment with the same value: the database must keep one row for it,
answered once 201 (created) and once 200. Then it checks in the database
that every (indicator, year) sent is stored exactly once with the value sent,
prints throughput and latencies, and stops the server. The exit code is 1
when an entry was lost or doubled, or any answer was not 200/201.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MEMBERS_PER_UNIT = 5
STAFF_ACCOUNTS = 5


def prepare(entries: int) -> None:
    """Migrate, load the demo, open rounds; print the writes to send and the tokens as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from knox.models import AuthToken

    from monitoring import permissions, services
    from monitoring.models import UnitMembership
    from planportal.roles import ensure_groups
    from plans.models import Indicator, Measure, PlanVersion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    # DEBUG=0 serves only collected static files (planportal/checks.py).
    call_command("collectstatic", interactive=False, verbosity=0)
    User = get_user_model()
    staff_group, *_ = ensure_groups()
    staff_tokens = []
    for n in range(STAFF_ACCOUNTS):
        user, _ = User.objects.get_or_create(username=f"bench-staff{n}")
        user.groups.add(staff_group)
        staff_tokens.append(AuthToken.objects.create(user=user)[1])
    version = PlanVersion.objects.in_force().select_related("plan").order_by("pk").first()
    plan = version.plan
    indicators = list(Indicator.objects.filter(version=version).order_by("pk"))
    unit_tokens: dict[int, list[str]] = {}
    for unit_id in set(
        Measure.objects.filter(version=version)
        .exclude(responsible_unit=None)
        .values_list("responsible_unit_id", flat=True)
    ):
        unit_tokens[unit_id] = []
        for n in range(MEMBERS_PER_UNIT):
            user, _ = User.objects.get_or_create(username=f"bench-unit{unit_id}-{n}")
            UnitMembership.objects.get_or_create(unit_id=unit_id, user=user)
            unit_tokens[unit_id].append(AuthToken.objects.create(user=user)[1])
    distinct = entries - entries // 10  # one in ten a repeat
    years = list(range(plan.period_start, plan.period_end + 2))
    needed = -(-distinct // len(indicators))
    if needed > len(years):
        raise SystemExit(f"{distinct} entries need {needed} years; the plan has {len(years)}")
    opener = User.objects.get(username="bench-staff0")
    for year in years[:needed]:
        services.round_open(user=opener, plan=plan, year=year, due=django_date(year))
    writes = []
    repeats = entries - distinct
    for n in range(distinct):
        indicator = indicators[n % len(indicators)]
        year = years[n // len(indicators)]
        units = sorted(permissions.units_of_indicator(indicator) & unit_tokens.keys())
        tokens = unit_tokens[units[n % len(units)]] if units else staff_tokens
        write = {"indicator": indicator.pk, "year": year, "value": f"{n}.5", "token": tokens[n % 5]}
        writes.append(write)
        if n % 9 == 0 and repeats:
            # The same (indicator, year) and value from another account, next in
            # the list: the next thread sends it at the same moment.
            writes.append({**write, "token": staff_tokens[n % STAFF_ACCOUNTS]})
            repeats -= 1
    print(json.dumps({"plan": plan.pk, "writes": writes}))


def django_date(year: int):
    import datetime

    return datetime.date(year + 1, 2, 15)


def count(plan: int) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from monitoring.models import ActualValue
    from plans.models import Indicator, PlanVersion

    # Keys are shared by the versions of a plan: the writes were to the version in force.
    version = PlanVersion.objects.in_force_for(plan)
    keys = dict(Indicator.objects.filter(version=version).values_list("key", "pk"))
    rows = [
        [keys.get(key), year, str(value.normalize())]
        for key, year, value in ActualValue.objects.filter(plan_id=plan).values_list(
            "indicator_key", "year", "value"
        )
    ]
    print(json.dumps({"rows": rows}))


def _admin_sql(url: str, *statements: str) -> None:
    """Statements that cannot run in a transaction (CREATE/DROP DATABASE)."""
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        connection.close()


def send_all(port, writes, concurrency) -> dict:
    """The PUTs from ``concurrency`` threads released together."""
    lock, results = threading.Lock(), []
    barrier = threading.Barrier(concurrency)

    def worker(mine):
        barrier.wait()
        for write in mine:
            body = json.dumps({"value": write["value"], "note": "Bandymas"})
            path = f"/api/v1/indicators/{write['indicator']}/actuals/{write['year']}/"
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request(
                    "PUT",
                    path,
                    body=body,
                    headers={
                        "Host": "127.0.0.1",
                        "Content-Type": "application/json",
                        "Authorization": f"Token {write['token']}",
                    },
                )
                response = connection.getresponse()
                payload = response.read()
                connection.close()
                status = response.status
            except OSError as exc:
                status, payload = f"error {exc.__class__.__name__}", b""
            elapsed = time.perf_counter() - started
            with lock:
                results.append((write, status, elapsed, payload[:200]))

    # Each thread takes every concurrency-th write; a repeat sits in another
    # thread than its first, so that both writers of one (indicator, year) race.
    threads = [
        threading.Thread(target=worker, args=(writes[i::concurrency],)) for i in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies = sorted(elapsed for _w, _status, elapsed, _payload in results)
    return {
        "results": results,
        "statuses": dict(Counter(status for _w, status, _e, _p in results)),
        "seconds": duration,
        "per_second": len(results) / duration,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "max_ms": latencies[-1] * 1000,
        "sample_error": next(
            (p.decode("utf-8", "replace") for _w, s, _e, p in results if s not in (200, 201)),
            "",
        ),
    }


def check(result: dict, rows: list) -> list[str]:
    """What went wrong: a pair lost, doubled, with a wrong value or answered wrongly."""
    problems = []
    stored = Counter((indicator, year) for indicator, year, _value in rows)
    values = {(indicator, year): value for indicator, year, value in rows}
    sent: dict[tuple, list] = {}
    for write, status, _elapsed, _payload in result["results"]:
        sent.setdefault((write["indicator"], write["year"]), []).append((write, status))
    for pair, attempts in sent.items():
        if stored[pair] != 1:
            problems.append(f"{pair}: stored {stored[pair]} times")
            continue
        if values[pair] != attempts[0][0]["value"]:
            problems.append(f"{pair}: stored {values[pair]}, sent {attempts[0][0]['value']}")
        statuses = sorted(status for _write, status in attempts)
        want = [200] * (len(attempts) - 1) + [201]
        if sorted(statuses, key=str) != sorted(want, key=str):
            problems.append(f"{pair}: answered {statuses}, expected one 201 and the rest 200")
    extra = set(stored) - set(sent)
    if extra:
        problems.append(f"{len(extra)} pairs stored that nobody sent")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.entries)
        return
    if args.count:
        count(args.count)
        return

    name = "planportal_bench_monitoring"
    with tempfile.TemporaryDirectory(prefix="planportal-bench-") as tmp:
        if args.database == "postgres":
            _admin_sql(
                f"{args.postgres_url}/postgres",
                f"DROP DATABASE IF EXISTS {name}",
                f"CREATE DATABASE {name}",
            )
            database_url = f"{args.postgres_url}/{name}"
        else:
            database_url = f"sqlite:///{tmp}/bench.sqlite3"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": database_url,
            "PLANPORTAL_VAR_DIR": tmp,
            "STATIC_ROOT": f"{tmp}/static",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
            "PYTHONWARNINGS": "ignore::UserWarning",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        env.pop("REDIS_URL", None)

        def run(*extra: str) -> dict:
            done = subprocess.run(
                [PYTHON, __file__, *extra],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            return json.loads(done.stdout.strip().splitlines()[-1])

        data = run("--prepare", "--entries", str(args.entries))
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "planportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(port, server)
            result = send_all(port, data["writes"], args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
        rows = run("--count", str(data["plan"]))["rows"]
        problems = check(result, rows)
        if args.database == "postgres":
            _admin_sql(
                f"{args.postgres_url}/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )
        pairs = len({(w["indicator"], w["year"]) for w in data["writes"]})
        print(f"database: {args.database}; gunicorn, {args.workers} sync workers, DEBUG=0")
        print(
            f"sent {len(result['results'])} entries ({pairs} distinct indicator-years), "
            f"{args.concurrency} at a time, in {result['seconds']:.1f} s "
            f"({result['per_second']:.1f}/s); answers: {result['statuses']}"
        )
        print(
            f"latency p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, max "
            f"{result['max_ms']:.0f} ms"
        )
        print(f"stored rows: {len(rows)}")
        if result["sample_error"]:
            print(f"first answer other than 200/201: {result['sample_error']}")
        if problems:
            print("FAILED:", *problems[:10], sep="\n  ")
            sys.exit(1)
        print("OK: none lost, none doubled, no 5xx")


if __name__ == "__main__":
    main()
