#!/usr/bin/env python
"""The public text search of a version, timed in-process.

    .venv/bin/python benchmarks/search.py [--scale 10] [--database sqlite|postgres]
        [--requests 40] [--profile]

In one run: creates a throwaway database (an SQLite file in a temporary
directory, or with ``--database postgres`` a fresh PostgreSQL database named
``planportal_bench_search`` at ``--postgres-url``), migrates it, loads the demo
(``manage.py load_demo``) and, with ``--scale N`` above 1, a plan N times the
demo's 2013–2020 plan (its tree copied N times into one approved version, as
``benchmarks/pdf_export.py`` grows it). Then, in a child process with
production settings (DEBUG=0, the in-process cache), it sends anonymous
``GET /versions/<id>/?q=<word>`` requests through Django's test client (no
HTTP server, no network: the server's own time) for the words kelias,
keliai, darželis, atliekos and vanduo, and prints for each word

* **cold**: the cache emptied before every request, so nothing is reused
  (the first search of a version after a deployment, or any draft);
* **warm**: what an anonymous search costs once the version's search index
  and result fragments are cached (the page itself is not kept: a free-text
  search never is);

as milliseconds per request (median) and queries per request, and the same
for ``/healthz`` (a bare view) for comparison. ``--profile`` adds cProfile's
top functions for the warm requests.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORDS = ("kelias", "keliai", "darželis", "atliekos", "vanduo")


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


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


# --- Preparing the database (a child process) ------------------------------------------


def prepare(scale: int) -> None:
    """Migrate, load the demo, grow it ``scale`` times; print the version's id."""
    _setup()
    from django.core.management import call_command
    from pdf_export import grow

    from plans.models import Measure, PlanVersion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    version = PlanVersion.objects.in_force().get(plan__kind="spp_2013")
    if scale > 1:
        version = grow(version, scale)
    print(
        json.dumps(
            {
                "version": version.pk,
                "status": version.status,
                "measures": Measure.objects.filter(version=version).count(),
            }
        )
    )


# --- Measuring (a child process) ---------------------------------------------------------


def _forget(cache) -> None:
    """Nothing kept: neither the shared cache nor a worker's own copies."""
    cache.clear()
    try:
        from plans.selectors_search import forget_search_indexes
    except ImportError:  # a checkout from before issue 16, for the "before" figures
        return
    forget_search_indexes()


def _time(client, url: str, requests: int, *, clear: bool) -> float:
    from django.core.cache import cache

    times = []
    for _ in range(requests):
        if clear:
            _forget(cache)
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def _queries(client, url: str, *, clear: bool) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if clear:
        _forget(cache)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context)


def measure(version_id: int, requests: int, profile: bool) -> None:
    _setup()
    from django.test import Client

    client = Client()
    base = f"/versions/{version_id}/"
    for word in WORDS:
        client.get(base, {"q": word})  # imports, templates, translations: as a running server
    healthz = _time(client, "/healthz", requests, clear=False)
    print(f"{'/healthz':24} {healthz:8.2f} ms")
    # The page around the search: the same version page without a query, its
    # outline from the fragment cache, the whole-page cache bypassed (as for a
    # reader with a session cookie).
    shell = Client()
    shell.cookies["benchmark"] = "1"
    shell.get(base)
    page = _time(shell, base, requests, clear=False)
    shell_queries = _queries(shell, base, clear=False)
    print(f"{'page, cached outline':24} {page:8.2f} ms {shell_queries:8d} queries")
    print(f"{'query':24} {'cold ms':>8} {'queries':>8} {'warm ms':>8} {'queries':>8} results")
    cold_all, warm_all = [], []
    for word in WORDS:
        url = f"{base}?q={word}"
        cold = _time(client, url, requests, clear=True)
        cold_queries = _queries(client, url, clear=True)
        client.get(url)
        warm = _time(client, url, requests, clear=False)
        warm_queries = _queries(client, url, clear=False)
        found = client.get(url).content.decode().count('class="search-result ')
        cold_all.append(cold)
        warm_all.append(warm)
        print(
            f"{'?q=' + word:24} {cold:8.2f} {cold_queries:8d} {warm:8.2f} {warm_queries:8d} {found}"
        )
    print(
        f"{'mean of the words':24} {statistics.mean(cold_all):8.2f} {'':8} "
        f"{statistics.mean(warm_all):8.2f}"
    )
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for word in WORDS:
            for _ in range(requests):
                client.get(base, {"q": word})
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


# --- Orchestration ---------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--scale", type=int, default=1, help="the demo's plan copied N times")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per word")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.scale)
        return
    if args.measure:
        measure(args.measure, args.requests, args.profile)
        return

    name = "planportal_bench_search"
    with tempfile.TemporaryDirectory(prefix="planportal-bench-") as tmp:
        if args.database == "postgres":
            _admin_sql(
                f"{args.postgres_url}/postgres",
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
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
            "MEDIA_ROOT": f"{tmp}/media",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "ERROR",
        }
        env.pop("REDIS_URL", None)
        try:
            prepared = subprocess.run(
                [PYTHON, __file__, "--prepare", "--scale", str(args.scale)],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            sys.stderr.write(prepared.stderr)
            plan = json.loads(prepared.stdout.strip().splitlines()[-1])
            print(
                f"database: {args.database}; version {plan['version']} ({plan['status']}), "
                f"{plan['measures']} measures (scale {args.scale}); "
                f"{args.requests} requests per word and mode, in-process, DEBUG=0"
            )
            sys.stdout.flush()
            command = [PYTHON, __file__, "--measure", str(plan["version"])]
            command += ["--requests", str(args.requests)] + (["--profile"] if args.profile else [])
            subprocess.run(command, cwd=ROOT, env=env, check=True)
        finally:
            if args.database == "postgres":
                _admin_sql(
                    f"{args.postgres_url}/postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )


if __name__ == "__main__":
    main()
