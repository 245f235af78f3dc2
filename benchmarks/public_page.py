#!/usr/bin/env python
"""Throughput of the public plan page, against a bare view, on gunicorn.

    .venv/bin/python benchmarks/public_page.py [--requests 2000] [--concurrency 8]

In one run: creates a throwaway SQLite database in a temporary directory,
loads a plan of the demo's size (``manage.py load_demo``, or an equivalent
generated plan where the demo is missing or smaller), starts gunicorn on a
free port of 127.0.0.1 with production settings (DEBUG=0, a SECRET_KEY,
collected static files; HTTPS=0 because there is no TLS proxy in front),
then sends the same bounded number of anonymous GET requests at a fixed
concurrency first to ``/healthz`` (no database, no template) and then to the
plan page ``/plans/<id>/``, prints requests per second for both and their
ratio, and stops the server. The goal (docs/performance.md) is a ratio of at
least 0.5.

The client is Python threads over http.client, so that nothing needs
installing; ``--client wrk`` uses wrk instead where it is installed (it runs
for a fixed time rather than a fixed number of requests).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# The demo's size as the brief for the demo sets it: a plan smaller than this
# would flatter the plan page.
DEMO_SIZE = {"priorities": 4, "goals": 12, "tasks": 30, "measures": 80, "indicators": 40}


# --- Preparing the database (runs in a child process with the benchmark's env) ---


def prepare() -> None:
    """Migrate, load the demo (or generate its equivalent) and print the plan's id."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from plans.models import Goal, Indicator, Measure, PlanVersion, Priority, Task

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    source = "load_demo"
    try:
        call_command("load_demo", stdout=open(os.devnull, "w"))
    except Exception as exc:  # noqa: BLE001 - any failure: fall back to our own plan
        print(
            f"load_demo unavailable ({exc.__class__.__name__}: {exc}); generating a plan",
            file=sys.stderr,
        )
        source = "generated"

    # The demo's largest plan (2013–2020) when loaded, else the generated one.
    in_force = PlanVersion.objects.in_force()
    version = in_force.filter(plan__kind="spp_2013").first() or in_force.first()

    def size(v):
        return {
            "priorities": Priority.objects.filter(version=v).count(),
            "goals": Goal.objects.filter(version=v).count(),
            "tasks": Task.objects.filter(version=v).count(),
            "measures": Measure.objects.filter(version=v).count(),
            "indicators": Indicator.objects.filter(version=v).count(),
        }

    if version is None or any(size(version)[k] < n for k, n in DEMO_SIZE.items()):
        if source == "load_demo":
            print("the demo plan is smaller than the demo's size; generating one", file=sys.stderr)
        source = "generated"
        version = generate_plan()
    print(
        json.dumps(
            {
                "plan_id": version.plan_id,
                "version_id": version.pk,
                "source": source,
                **size(version),
            }
        )
    )


def generate_plan():
    """A plan shaped like the Kaunas District demo: 4 × 3 goals, 30 tasks, 80 measures."""
    from decimal import Decimal

    from plans.models import (
        FundingLine,
        FundingSource,
        Goal,
        Indicator,
        IndicatorTarget,
        Measure,
        Plan,
        PlanVersion,
        Priority,
        Task,
        Unit,
        VersionStatus,
    )
    from plans.services import version_renumber

    plan = Plan.objects.create(
        title="Benchmark plan 2013–2020",
        municipality="Kauno rajono savivaldybė",
        period_start=2013,
        period_end=2020,
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        vision="Išugdyta kūrybiška, demokratinė, lygiateisė, laisva ir atvira visuomenė. " * 3,
    )
    sources = [
        FundingSource.objects.get_or_create(code=code, defaults={"name": name, "position": i})[0]
        for i, (code, name) in enumerate(
            [("SB", "Savivaldybės biudžetas"), ("VB", "Valstybės biudžetas"), ("ES", "ES lėšos")]
        )
    ]
    units = [Unit.objects.get_or_create(name=f"Skyrius {i}")[0] for i in range(8)]
    tasks_per_goal = [3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2]  # 30 tasks
    measure_count = 0
    for p in range(4):
        priority = Priority.objects.create(
            version=version, title=f"Prioritetas {p + 1}", position=p
        )
        for g in range(3):
            goal = Goal.objects.create(
                version=version,
                priority=priority,
                title=f"Tikslas {p + 1}.{g + 1}",
                position=g,
                description="Tikslo aprašymas. " * 5,
            )
            indicator = Indicator.objects.create(
                version=version,
                goal=goal,
                kind="effect",
                name=f"Efekto rodiklis {p}.{g}",
                unit="%",
                baseline_value=Decimal("10"),
                baseline_year=2013,
            )
            IndicatorTarget.objects.create(indicator=indicator, year=2020, value=Decimal("20"))
            for t in range(tasks_per_goal[p * 3 + g]):
                task = Task.objects.create(
                    version=version, goal=goal, title=f"Uždavinys {t + 1}", position=t
                )
                for m in range(3 if measure_count < 60 else 2):
                    if measure_count >= 80:
                        break
                    measure = Measure.objects.create(
                        version=version,
                        task=task,
                        title=f"Priemonė {measure_count + 1}",
                        position=m,
                        responsible_unit=units[measure_count % len(units)],
                        start_year=2014,
                        end_year=2020,
                        description="Priemonės aprašymas. " * 4,
                    )
                    measure.co_executors.add(units[(measure_count + 3) % len(units)])
                    if measure_count % 3 == 0:
                        indicator = Indicator.objects.create(
                            version=version,
                            measure=measure,
                            kind="output",
                            name="Produkto rodiklis",
                            unit="vnt.",
                            baseline_value=0,
                            baseline_year=2013,
                        )
                        IndicatorTarget.objects.create(indicator=indicator, year=2017, value=5)
                        IndicatorTarget.objects.create(indicator=indicator, year=2020, value=10)
                    for year in (2015, 2016, 2017):
                        for source in sources[: 1 + measure_count % 3]:
                            FundingLine.objects.create(
                                measure=measure,
                                year=year,
                                source=source,
                                amount=Decimal("12345.67"),
                            )
                    measure_count += 1
    version_renumber(version)
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    return version


# --- The load ---------------------------------------------------------------------


def python_load(port: int, path: str, requests: int, concurrency: int) -> dict:
    """``requests`` GETs spread over ``concurrency`` threads; one connection per request,
    as gunicorn's sync workers close the connection after each response."""
    latencies, failures = [], []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status == 200
            except OSError as exc:
                ok, response = False, exc
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if not ok:
                    failures.append(getattr(response, "status", str(response)))

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "seconds": duration,
        "rps": len(latencies) / duration,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def wrk_load(port: int, path: str, seconds: int, concurrency: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {"rps": rps, "failures": int(non_2xx.group(1)) if non_2xx else 0, "raw": output}


# --- Orchestration ----------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=2000, help="requests per endpoint (python client)"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--client", choices=["python", "wrk"], default="python")
    parser.add_argument("--seconds", type=int, default=10, help="duration per endpoint (wrk)")
    parser.add_argument(
        "--tree",
        action="store_true",
        help="also the version's tree API, /api/v1/versions/<id>/tree/ (goal: 0.3 of /healthz)",
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: use the default --client python")

    with tempfile.TemporaryDirectory(prefix="planportal-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PLANPORTAL_VAR_DIR": tmp,
            "STATIC_ROOT": f"{tmp}/static",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
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
        sys.stderr.write(prepared.stderr)
        plan = json.loads(prepared.stdout.strip().splitlines()[-1])
        plan_path = f"/plans/{plan['plan_id']}/"
        print(
            f"plan ({plan['source']}): {plan['priorities']} priorities, {plan['goals']} goals, "
            f"{plan['tasks']} tasks, {plan['measures']} measures, {plan['indicators']} indicators"
        )

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
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            # Five workers import Django slowly on a busy machine.
            wait_until_up(port, server, timeout=120)
            # Warm every worker (each has its own in-process cache) and check the page.
            python_load(port, plan_path, 10 * args.workers, args.concurrency)
            connection = http.client.HTTPConnection("127.0.0.1", port)
            connection.request("GET", plan_path)
            response = connection.getresponse()
            body = response.read().decode()
            assert (
                response.status == 200 and body.count('class="node-measure"') == plan["measures"]
            ), "the plan page does not show the whole outline"
            print(
                f"server: gunicorn, {args.workers} sync workers, DEBUG=0, SQLite, "
                "in-process cache; "
                f"client: {args.client}, concurrency {args.concurrency}, "
                + (
                    f"{args.requests} requests per endpoint"
                    if args.client == "python"
                    else f"{args.seconds} s per endpoint"
                )
            )
            endpoints = [("healthz", "/healthz"), ("plan page", plan_path)]
            if args.tree:
                tree_path = f"/api/v1/versions/{plan['version_id']}/tree/"
                python_load(port, tree_path, 10 * args.workers, args.concurrency)
                endpoints.append(("tree API", tree_path))
            results = {}
            for name, path in endpoints:
                if args.client == "python":
                    result = python_load(port, path, args.requests, args.concurrency)
                    detail = f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms"
                else:
                    result = wrk_load(port, path, args.seconds, args.concurrency)
                    detail = "wrk"
                results[name] = result
                print(
                    f"{name:10} {path:28} {result['rps']:8.1f} req/s  "
                    f"({detail}, failures: {result['failures']})"
                )
            ratio = results["plan page"]["rps"] / results["healthz"]["rps"]
            print(f"ratio plan page / healthz: {ratio:.2f} (goal: at least 0.50)")
            if args.tree:
                ratio = results["tree API"]["rps"] / results["healthz"]["rps"]
                print(f"ratio tree API / healthz: {ratio:.2f} (goal: at least 0.30)")
            if any(r["failures"] for r in results.values()):
                raise SystemExit("some requests failed")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
