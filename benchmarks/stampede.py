#!/usr/bin/env python
"""No stampede: a crowd arriving right after the cache is retired renders each page once.

    .venv/bin/python benchmarks/stampede.py [--crowd 100] [--workers 5] [--cache redis|local]

In one run: a throwaway SQLite database with the demo (``load_demo``),
gunicorn with production settings and ``PAGE_CACHE_COUNT_RENDERS=1`` (every
render of a cacheable page counts in the shared cache). For each page: one
request stores it, ``pagecache.bump()`` retires every page (as a write
does), then ``--crowd`` anonymous requests are released together and the
renders are counted. With ``--cache redis`` (the default where Redis answers)
the workers share Redis, as in production; ``--cache local`` keeps the pages
in each worker's memory and the generations, locks and a copy of each page in
the database's cache table (the set-up without Redis).
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def prepare() -> None:
    """Migrate, load the demo and print the pages' paths (child process)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    from consultations.models import Consultation
    from plans.models import PlanVersion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
    version = PlanVersion.objects.in_force().filter(plan__kind="spp_2013").first()
    paths = [
        reverse("plans:plan", args=[version.plan_id]),
        reverse("plans:version", args=[version.pk]),
        reverse("monitoring_public:progress", args=[version.plan_id]),
        reverse("climate:index"),
    ]
    consultation = Consultation.objects.order_by("pk").first()
    if consultation is not None:
        paths.append(reverse("consultations:detail", args=[consultation.pk]))
    print("\n".join(paths))


def django_shell(env, code: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def renders(env) -> int:
    return int(
        django_shell(
            env,
            "from planportal import pagecache; "
            "print(pagecache._shared().get(pagecache.RENDERS_KEY, 0))",
        )
    )


def get(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    response.read()
    return response.status


def crowd(port: int, path: str, size: int) -> list[int]:
    barrier = threading.Barrier(size)
    statuses: list[int] = []

    def one():
        barrier.wait()
        statuses.append(get(port, path))

    threads = [threading.Thread(target=one) for _ in range(size)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--crowd", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--cache", choices=["redis", "local"], default=None)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return 0
    cache = args.cache or ("redis" if redis_answers() else "local")
    with tempfile.TemporaryDirectory(prefix="planportal-stampede-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PLANPORTAL_BASE_URL": "http://127.0.0.1",
            "STATIC_ROOT": f"{tmp}/static",
            "PAGE_CACHE_COUNT_RENDERS": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        if cache == "redis":
            database = 10 + secrets.randbelow(5)
            env["REDIS_URL"] = f"redis://127.0.0.1:6379/{database}"
            subprocess.run(["redis-cli", "-n", str(database), "flushdb"], check=False)
        print(f"Preparing the demo (cache: {cache}) …", flush=True)
        paths = subprocess.run(
            [PYTHON, __file__, "--prepare"], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        port = free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "planportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        failed = False
        try:
            wait_until_up(port, server, timeout=180)
            print(f"gunicorn: {args.workers} sync workers; a crowd of {args.crowd} per page\n")
            print("| page | renders after the bump | answers |")
            print("|---|---|---|")
            for path in paths:
                assert get(port, path) == 200, path
                django_shell(env, "from planportal import pagecache; pagecache.bump()")
                before = renders(env)
                statuses = crowd(port, path, args.crowd)
                count = renders(env) - before
                ok = {200} == set(statuses)
                failed |= count != 1 or not ok
                print(f"| `{path}` | {count} | {len(statuses)} × {sorted(set(statuses))} |")
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
