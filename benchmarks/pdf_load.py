#!/usr/bin/env python
"""Ten anonymous PDF requests at once for a version not rendered yet, against a real server.

    .venv/bin/python benchmarks/pdf_load.py [--version approved|consultation] \
        [--readers 10] [--workers 2]

In one run: creates a throwaway SQLite database and media folder in a
temporary directory, migrates it, loads the demo and forgets every PDF the
demo queued (so the version is "not rendered yet"), starts gunicorn with
production settings (DEBUG=0, HTTPS=0 as there is no TLS proxy, 2 sync
workers with a 30 s timeout: the set-up of the incident in issue 11) and
``manage.py worker`` beside it, as ``scripts/serve.sh`` does.

It first measures ``/healthz`` and the plan page (``/plans/{id}/``) on the
quiet server, then releases ``--readers`` threads together, each asking for
``GET /api/v1/versions/{id}/pdf/`` and, while the answer is 202, asking
again after its ``Retry-After``, until it gets the PDF, while a probe keeps
timing ``/healthz`` and the plan page. It prints the latencies of both
phases, every PDF answer's status and the slowest, how long the PDF took to
be ready, and how many rendering jobs were queued. The exit code is 1 when a
PDF answer was neither 200 nor 202, or took a second or more, or the version
was rendered more than once.
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
from pathlib import Path

from server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BASELINE_REQUESTS = 40
DEADLINE_SECONDS = 300


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(which: str) -> None:
    """Migrate, load the demo, forget its PDFs; print the version and plan ids."""
    _setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from documents.models import PlanDocument
    from plans.models import PlanVersion, VersionStatus

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    # The demo's consultation queued its PDFs (documents/apps.py): the
    # benchmark is about a version nobody has rendered.
    DBTaskResult.objects.all().delete()
    PlanDocument.objects.all().delete()
    status = VersionStatus.APPROVED if which == "approved" else VersionStatus.CONSULTATION
    version = PlanVersion.objects.filter(status=status).order_by("pk").first()
    print(json.dumps({"version": version.pk, "plan": version.plan_id}))


def counts() -> None:
    _setup()
    from django_tasks_db.models import DBTaskResult

    from documents.models import DocumentStatus, PlanDocument

    jobs = DBTaskResult.objects.filter(task_path="documents.tasks.render_document")
    print(
        json.dumps(
            {
                "render_jobs": jobs.count(),
                "ready": PlanDocument.objects.filter(status=DocumentStatus.READY).count(),
                "documents": PlanDocument.objects.count(),
            }
        )
    )


def get(port: int, path: str, timeout: float = 60) -> tuple[int | str, float, dict]:
    """One GET on a fresh connection (sync workers close it after each answer)."""
    start = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        status: int | str = response.status
        headers = dict(response.getheaders())
        connection.close()
    except OSError as error:
        status, headers = type(error).__name__, {}
    return status, (time.perf_counter() - start) * 1000, headers


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no requests"
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return (
        f"n={len(ordered)}, p50 {statistics.median(ordered):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"
    )


def baseline(port: int, paths: dict[str, str]) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(BASELINE_REQUESTS):
        for name, path in paths.items():
            status, ms, _ = get(port, path)
            assert status == 200, (path, status)
            results[name].append(ms)
    return results


def under_load(port: int, pdf_path: str, paths: dict[str, str], readers: int) -> dict:
    answers: list[tuple[int | str, float]] = []
    probes: dict[str, list[float]] = {name: [] for name in paths}
    probe_errors: list[tuple[str, int | str]] = []
    lock = threading.Lock()
    done = threading.Event()
    ready_at: list[float] = []
    barrier = threading.Barrier(readers + 1)

    def reader() -> None:
        barrier.wait()
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            status, ms, headers = get(port, pdf_path)
            with lock:
                answers.append((status, ms))
            if status != 202:
                if status == 200 and not ready_at:
                    ready_at.append(time.perf_counter())
                return
            # The client does what the answer says: come back after Retry-After.
            time.sleep(float(headers.get("Retry-After", "5")))

    def probe() -> None:
        while not done.is_set():
            for name, path in paths.items():
                status, ms, _ = get(port, path)
                with lock:
                    probes[name].append(ms)
                    if status != 200:
                        probe_errors.append((name, status))
            time.sleep(0.05)

    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in threads:
        thread.start()
    prober = threading.Thread(target=probe)
    prober.start()
    start = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    done.set()
    prober.join()
    return {
        "answers": answers,
        "probes": probes,
        "probe_errors": probe_errors,
        "ready_after_s": (ready_at[0] - start) if ready_at else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", choices=["approved", "consultation"], default="approved")
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--counts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare)
        return
    if args.counts:
        counts()
        return

    with tempfile.TemporaryDirectory(prefix="planportal-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "PLANPORTAL_VAR_DIR": tmp,
            "MEDIA_ROOT": f"{tmp}/media",
            "STATIC_ROOT": f"{tmp}/static",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
            "PYTHONWARNINGS": "ignore::UserWarning",
            "WORKER_QUEUE": "database",
        }
        for name in ("REDIS_URL", "PDF_WORKER"):
            env.pop(name, None)

        def manage_self(*flags: str) -> dict:
            done = subprocess.run(
                [PYTHON, __file__, *flags],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            return json.loads(done.stdout.strip().splitlines()[-1])

        data = manage_self("--prepare", args.version)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(PYTHON).with_name("gunicorn")),
                "planportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        worker = subprocess.Popen(
            [PYTHON, "manage.py", "worker", "--verbosity", "0"], cwd=ROOT, env=env
        )
        paths = {"/healthz": "/healthz", "plan page": f"/plans/{data['plan']}/"}
        pdf_path = f"/api/v1/versions/{data['version']}/pdf/"
        try:
            wait_until_up(port, server)
            # Every gunicorn worker has answered once (imports, connections, the page cache).
            baseline(port, paths)
            quiet = baseline(port, paths)
            loaded = under_load(port, pdf_path, paths, args.readers)
        finally:
            worker.terminate()
            server.terminate()
            worker.wait(timeout=60)
            server.wait(timeout=30)
        jobs = manage_self("--counts")

    statuses: dict[str, int] = {}
    for status, _ in loaded["answers"]:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    first = loaded["answers"][: args.readers]
    slowest = max(ms for _, ms in loaded["answers"])
    print(
        f"gunicorn, {args.workers} sync workers (timeout 30 s), DEBUG=0, SQLite, "
        f"manage.py worker (database queue); {args.version} version, never rendered"
    )
    for name in paths:
        print(f"{name:10} quiet:      {summary(quiet[name])}")
        print(f"{name:10} under load: {summary(loaded['probes'][name])}")
    print(
        f"PDF requests: {len(loaded['answers'])} from {args.readers} readers "
        f"(answers {statuses}); the {args.readers} first: {summary([ms for _, ms in first])}; "
        f"slowest of all {slowest:.1f} ms"
    )
    ready = loaded["ready_after_s"]
    print(f"first 200 after {ready:.1f} s" if ready is not None else "never got the PDF")
    print(f"rendering jobs queued: {jobs['render_jobs']}; documents stored: {jobs['ready']}")
    if loaded["probe_errors"]:
        print(f"probe answers other than 200: {loaded['probe_errors'][:5]}")
    bad = [s for s, _ in loaded["answers"] if s not in (200, 202)]
    if bad or slowest >= 1000 or jobs["render_jobs"] != 1 or ready is None:
        print("FAILED: a PDF answer was not 200/202 within a second, or not rendered once")
        sys.exit(1)


if __name__ == "__main__":
    main()
