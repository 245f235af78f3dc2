#!/usr/bin/env python
"""200 proposal submissions, 50 at a time, through a real server.

    .venv/bin/python benchmarks/proposals.py [--database sqlite|postgres] \
        [--proposals 200] [--concurrency 50]

In one run: creates a throwaway database (an SQLite file in a temporary
directory, or with ``--database postgres`` a fresh PostgreSQL database named
``planportal_bench_proposals`` at ``--postgres-url``), migrates it, loads the
demo (which opens a consultation on the draft revision), creates 50 resident
accounts with API tokens, starts gunicorn with production settings (DEBUG=0,
HTTPS=0 as there is no TLS proxy) on a free port, and sends the POSTs to
``/api/v1/consultations/{id}/proposals/`` from 50 threads at once, each
resident several proposals on different nodes. Then it checks in the
database that every 201 is a stored proposal and that nothing is lost or
doubled, prints throughput and latencies, and stops the server.

All requests come from 127.0.0.1, so the per-address hourly limit is switched
off for the run (CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS=0); the
per-account limit stays on (four proposals per resident are within it). The
exit code is 1 when a proposal was lost or any answer was a 5xx.
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
RESIDENTS = 50
TEXT = (
    "Siūlau {n}: įrengti dviračių stovus ir suoliukus prie seniūnijos pastato, "
    "nes jų labai trūksta."
)


def prepare() -> None:
    """Migrate, load the demo and print the consultation, targets and tokens as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from knox.models import AuthToken

    from consultations.models import Consultation
    from plans.models import Measure

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    consultation = Consultation.objects.get()
    keys = [
        str(k)
        for k in Measure.objects.filter(version=consultation.version).values_list("key", flat=True)
    ]
    User = get_user_model()
    tokens = []
    for n in range(RESIDENTS):
        user, _ = User.objects.get_or_create(
            username=f"bench{n}", defaults={"email": f"bench{n}@example.lt"}
        )
        tokens.append(AuthToken.objects.create(user=user)[1])
    before = consultation.proposals.count()
    print(
        json.dumps(
            {"consultation": consultation.pk, "keys": keys, "tokens": tokens, "before": before}
        )
    )


def count() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from consultations.models import Proposal

    texts = list(
        Proposal.objects.filter(author__username__startswith="bench").values_list("text", flat=True)
    )
    print(json.dumps({"stored": len(texts), "distinct": len(set(texts))}))


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


def submit_all(port, consultation, keys, tokens, proposals, concurrency) -> dict:
    """``proposals`` POSTs from ``concurrency`` threads released together."""
    jobs = [
        (n, tokens[n % len(tokens)], keys[n % len(keys)] if n % 5 else None)
        for n in range(proposals)
    ]
    lock, results = threading.Lock(), []
    barrier = threading.Barrier(concurrency)
    path = f"/api/v1/consultations/{consultation}/proposals/"

    def worker(mine):
        barrier.wait()
        for n, token, target in mine:
            body = json.dumps({"text": TEXT.format(n=n), "target": target})
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request(
                    "POST",
                    path,
                    body=body,
                    headers={
                        "Host": "127.0.0.1",
                        "Content-Type": "application/json",
                        "Authorization": f"Token {token}",
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
                results.append((status, elapsed, payload[:200]))

    # Each thread takes every concurrency-th job: one resident's proposals
    # spread over threads, so a resident's own submissions also race.
    threads = [
        threading.Thread(target=worker, args=(jobs[i::concurrency],)) for i in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies = sorted(elapsed for _status, elapsed, _payload in results)
    statuses = Counter(status for status, _elapsed, _payload in results)
    return {
        "sent": len(results),
        "statuses": dict(statuses),
        "seconds": duration,
        "per_second": len(results) / duration,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "max_ms": latencies[-1] * 1000,
        "sample_error": next(
            (p.decode("utf-8", "replace") for s, _e, p in results if s != 201), ""
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--count", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.count:
        count()
        return

    with tempfile.TemporaryDirectory(prefix="planportal-bench-") as tmp:
        if args.database == "postgres":
            name = "planportal_bench_proposals"
            admin = f"{args.postgres_url}/postgres"

            _admin_sql(admin, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}")
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
            "CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS": "0",
        }
        env.pop("REDIS_URL", None)
        prepared = subprocess.run(
            [PYTHON, __file__, "--prepare"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
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
            result = submit_all(
                port,
                data["consultation"],
                data["keys"],
                data["tokens"],
                args.proposals,
                args.concurrency,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        counted = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--count"],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        created = result["statuses"].get(201, 0)
        server_errors = sum(
            n
            for status, n in result["statuses"].items()
            if not isinstance(status, int) or status >= 500
        )
        print(f"database: {args.database}; gunicorn, {args.workers} sync workers, DEBUG=0")
        print(
            f"sent {result['sent']} proposals, {args.concurrency} at a time, in "
            f"{result['seconds']:.1f} s "
            f"({result['per_second']:.1f}/s); answers: {result['statuses']}"
        )
        print(
            f"latency p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, max "
            f"{result['max_ms']:.0f} ms"
        )
        print(
            f"stored: {counted['stored']} (distinct texts {counted['distinct']}), answered "
            f"201: {created}"
        )
        if result["sample_error"]:
            print(f"first non-201 answer: {result['sample_error']}")
        lost = created != counted["stored"] or counted["distinct"] != counted["stored"]
        if args.database == "postgres":
            _admin_sql(
                f"{args.postgres_url}/postgres",
                "DROP DATABASE IF EXISTS planportal_bench_proposals WITH (FORCE)",
            )
        if lost or server_errors or created != args.proposals:
            print("FAILED: proposals lost, doubled or refused, or a 5xx answer")
            sys.exit(1)
        print("OK: none lost, no 5xx")


if __name__ == "__main__":
    main()
