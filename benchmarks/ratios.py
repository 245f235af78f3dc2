#!/usr/bin/env python
"""Every page's throughput as a ratio to a bare Django view (issue 16).

    .venv/bin/python benchmarks/ratios.py [--database sqlite|postgres|both] [--rounds 3]
        [--duration 4] [--connections 8] [--workers 2] [--cache local|redis]
        [--only NAME ...] [--json FILE] [--changed TEXT]

For each database asked for: creates a throwaway database (SQLite in a
temporary directory, or a database of its own on the PostgreSQL server at
postgres://postgres@127.0.0.1:5432/), runs ``migrate``, ``collectstatic`` and
``load_demo``, finds each page's URL in the demo's data and opens a session
for each demo account a page is read by; then starts two gunicorn servers with
the same command line (same sync workers, DEBUG=0, HTTPS=0, a random
SECRET_KEY): PlanPortal, and the bare one-view project of benchmarks/bare/.
Each page is checked first (200 and the content it must show: logged-in pages
show the reader's name), each worker is warmed, then ``--rounds`` rounds
alternate a timed run against the bare view and one against the page
(``wrk -t1 -c<connections> -d<duration>s``). The ratio of a round is the
page's requests per second over the bare view's; a page's figure is the
median of its rounds. The machine's speed and its other load cancel out, as
both servers run on it at nearly the same moment.

``--cache redis`` (the default when a Redis server answers on 127.0.0.1:6379)
sets REDIS_URL so that the workers share cache and sessions as in production;
``--cache local`` uses each worker's in-process cache and sessions in the
database. The client is wrk when installed, else Python threads (which cost
the machine more CPU, so their ratios read lower); the output says which.

Prints a Markdown table for docs/performance.md; ``--json FILE`` writes the
figures. Pages are the PAGES list below: add one there.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from server import free_port, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = Path(__file__).resolve().parent
PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@dataclass(frozen=True)
class Page:
    """A page to measure.

    ``url_name`` and ``kwargs`` are reversed in the prepare step; each value of
    ``kwargs`` names a fact of the demo's data found there (see ``facts``):
    ``"version"`` is the id of the largest plan's version in force. ``user``
    is a demo account's username, or None for an anonymous reader. The body
    must contain every string of ``expect`` (formatted with the facts) and,
    for a logged-in reader, the reader's name.
    """

    name: str
    url_name: str
    kwargs: dict[str, str] = field(default_factory=dict)
    query: str = ""
    user: str | None = None
    goal: float = 0.25
    expect: tuple[str, ...] = ()


OUTLINE = 'class="node-measure"'
COUNCIL, STAFF = "council1", "staff"

PAGES: list[Page] = [
    Page("anon_plan", "plans:plan", {"plan_id": "plan"}, goal=0.5, expect=(OUTLINE,)),
    Page("council_plan", "plans:plan", {"plan_id": "plan"}, user=COUNCIL, expect=(OUTLINE,)),
    Page(
        "council_version",
        "plans:version",
        {"version_id": "version"},
        user=COUNCIL,
        expect=(OUTLINE,),
    ),
    Page(
        "council_node",
        "plans:measure",
        {"version_id": "version", "node_id": "measure"},
        user=COUNCIL,
        expect=("{measure_title}",),
    ),
    Page("staff_plan", "plans:plan", {"plan_id": "plan"}, user=STAFF, expect=(OUTLINE,)),
    Page(
        "staff_version", "plans:version", {"version_id": "version"}, user=STAFF, expect=(OUTLINE,)
    ),
    Page(
        "staff_node",
        "plans:measure",
        {"version_id": "version", "node_id": "measure"},
        user=STAFF,
        expect=("{measure_title}",),
    ),
    Page(
        "anon_search",
        "plans:version",
        {"version_id": "version"},
        query="q=kelias",
        goal=0.1,
        expect=('class="search-result',),
    ),
    Page(
        "anon_tree_api",
        "version-tree",
        {"pk": "version"},
        goal=0.3,
        expect=('"priorities":[{{',),
    ),
    Page(
        "staff_outline",
        "plans:staff-outline",
        {"version_id": "draft"},
        user=STAFF,
        goal=0.03,
        expect=("{draft_measure_title}",),
    ),
    Page(
        "anon_consultation",
        "consultations:detail",
        {"consultation_id": "consultation"},
        goal=0.3,
        expect=("<h1>{consultation_title}</h1>",),
    ),
    Page("anon_climate", "climate:index", goal=0.3, expect=('id="inventories-heading"',)),
    Page(
        "anon_progress",
        "monitoring_public:progress",
        {"plan_id": "plan"},
        goal=0.3,
        expect=('id="measures-heading"',),
    ),
]


# --- Preparing the database (runs in a child process with the benchmark's env) ---


def prepare(names: list[str]) -> None:
    """Migrate, load the demo, open the sessions; print each page's URL and cookie."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils.html import escape

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    if not any(Path(settings.STATIC_ROOT).glob("*")):
        call_command("collectstatic", interactive=False, verbosity=0)
    # The demo is the benchmark's data: without it there is nothing to measure.
    call_command("load_demo", stdout=open(os.devnull, "w"))
    print(f"prepared in {time.monotonic() - started:.0f} s", file=sys.stderr)

    facts = find_facts()
    html_facts = {key: escape(value) for key, value in facts.items() if isinstance(value, str)}
    pages, cookies, names_of = [], {}, {}
    for page in PAGES:
        if page.name not in names:
            continue
        url = reverse(page.url_name, kwargs={k: facts[v] for k, v in page.kwargs.items()})
        if page.query:
            url += "?" + page.query
        cookie = None
        if page.user:
            if page.user not in cookies:
                user = get_user_model().objects.get(username=page.user)
                client = Client(SERVER_NAME="127.0.0.1")
                client.force_login(user)
                # What a browser sends once it has read a page: the session
                # and the CSRF cookie (without it, each answer would make the
                # reader a new CSRF secret, as for a first visit).
                client.get(reverse("home"))
                cookies[page.user] = "; ".join(
                    f"{name}={client.cookies[name].value}"
                    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
                )
                names_of[page.user] = escape(user.get_full_name() or user.username)
            cookie = cookies[page.user]
        pages.append(
            {
                "name": page.name,
                "url": url,
                "user": page.user,
                "user_name": names_of.get(page.user or ""),
                "cookie": cookie,
                "goal": page.goal,
                "expect": [text.format(**html_facts) for text in page.expect],
            }
        )
    print(json.dumps({"facts": {k: v for k, v in facts.items()}, "pages": pages}))


def find_facts() -> dict[str, int | str]:
    """The demo's objects the pages show: the largest plan in force, a measure, a draft …"""
    from django.db.models import Count

    from consultations.models import Consultation
    from plans.models import Measure, PlanVersion, VersionStatus

    in_force = PlanVersion.objects.in_force().select_related("plan")
    # The demo's largest plan (2013–2020), as benchmarks/public_page.py measures.
    version = in_force.filter(plan__kind="spp_2013").first() or in_force.first()
    if version is None:
        raise SystemExit("the demo has no plan in force")
    # The measure with the most funding lines: the fullest measure page.
    measure = (
        Measure.objects.filter(version=version)
        .annotate(lines=Count("funding"))
        .order_by("-lines", "pk")
        .first()
    )
    # The largest draft: the outline editor's heaviest page.
    draft = max(
        PlanVersion.objects.filter(status=VersionStatus.DRAFT).order_by("pk"),
        key=lambda draft: Measure.objects.filter(version=draft).count(),
        default=None,
    )
    consultation = Consultation.objects.order_by("pk").first()
    if measure is None or draft is None or consultation is None:
        raise SystemExit("the demo lacks a measure, a draft or a consultation")
    draft_measure = Measure.objects.filter(version=draft).order_by("pk").first()
    return {
        "plan": version.plan_id,
        "plan_title": version.plan.title,
        "version": version.pk,
        "measure": measure.pk,
        "measure_title": measure.title,
        "draft": draft.pk,
        "draft_measure_title": draft_measure.title if draft_measure else "",
        "consultation": consultation.pk,
        "consultation_title": consultation.title,
    }


# --- The load ---------------------------------------------------------------------


def wrk_run(port: int, path: str, cookie: str | None, seconds: int, connections: int) -> dict:
    # wrk's default timeout (2 s) would drop every answer of a page slower than
    # that under 8 connections and count nothing: wait as long as a reader would.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise SystemExit(f"could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    failures = (int(non_2xx.group(1)) if non_2xx else 0) + (
        int(timeouts.group(1)) if timeouts else 0
    )
    return {"rps": float(match.group(1)), "failures": failures}


def get(port: int, path: str, cookie: str | None) -> tuple[int, str]:
    """One GET on a new connection, as gunicorn's sync workers close each after answering."""
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def python_run(port: int, path: str, cookie: str | None, seconds: int, connections: int) -> dict:
    """``connections`` threads sending GETs for ``seconds``: the client where wrk is missing."""
    done, failures = [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            try:
                ok = get(port, path, cookie)[0] == 200
            except OSError:
                ok = False
            with lock:
                done[0] += 1
                failures[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"rps": done[0] / (time.perf_counter() - started), "failures": failures[0]}


# --- Servers and databases --------------------------------------------------------


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_flush(db: int) -> None:
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=db).flushdb()


def postgres(sql: str) -> None:
    import psycopg2

    connection = psycopg2.connect(POSTGRES_URL + "postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def gunicorn(app: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    """The one command line both servers run: only the application differs."""
    return subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


# --- One database -----------------------------------------------------------------


def run_database(database: str, args, client: str, static_root: str) -> dict:
    """Prepare, check, time every page against the bare view on ``database``."""
    names = args.only or [page.name for page in PAGES]
    with tempfile.TemporaryDirectory(prefix="planportal-ratios-") as tmp:
        if database == "sqlite":
            database_url = f"sqlite:///{tmp}/bench.sqlite3"
            pg_name = None
        else:
            pg_name = f"planportal_ratios_{secrets.token_hex(4)}"
            postgres(f'CREATE DATABASE "{pg_name}"')
            database_url = POSTGRES_URL + pg_name
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": database_url,
            "PLANPORTAL_VAR_DIR": tmp,
            "STATIC_ROOT": static_root,
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
            # load_demo notifies by e-mail; no mail server here.
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        env.pop("REDIS_URL", None)
        if args.cache == "redis":
            redis_flush(args.redis_db)
            env["REDIS_URL"] = f"redis://{REDIS_HOST}:{REDIS_PORT}/{args.redis_db}"
        bare_env = {
            **env,
            "DJANGO_SETTINGS_MODULE": "bare.settings",
            "PYTHONPATH": str(BENCHMARKS),
        }
        servers: list[subprocess.Popen] = []
        try:
            print(f"[{database}] preparing the database (migrate, load_demo) …", flush=True)
            prepared = subprocess.run(
                [PYTHON, __file__, "--prepare", *names],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            if prepared.returncode:
                sys.stderr.write(prepared.stdout)
                raise SystemExit(f"[{database}] the prepare step failed")
            data = json.loads(prepared.stdout.strip().splitlines()[-1])
            pages = data["pages"]

            port, bare_port = free_port(), free_port()
            servers.append(gunicorn("planportal.wsgi:application", port, args.workers, env))
            servers.append(gunicorn("bare.wsgi:application", bare_port, args.workers, bare_env))
            wait_until_up(port, servers[0])
            wait_until_up(bare_port, servers[1], path="/")
            check_pages(port, pages)
            load = wrk_run if client == "wrk" else python_run
            load_before = load_average()
            print(
                f"[{database}] gunicorn, {args.workers} sync workers, DEBUG=0, cache "
                f"{args.cache}; client {client}, -c{args.connections}, {args.duration} s per "
                f"run, {args.rounds} rounds; load average {load_before}",
                flush=True,
            )
            results = []
            for page in pages:
                # Warm each worker (caches, connections, compiled templates).
                for _ in range(5 * args.workers):
                    get(port, page["url"], page["cookie"])
                get(bare_port, "/", None)
                bare_runs, page_runs = [], []
                for _ in range(args.rounds):
                    bare_runs.append(load(bare_port, "/", None, args.duration, args.connections))
                    page_runs.append(
                        load(port, page["url"], page["cookie"], args.duration, args.connections)
                    )
                ratios = [p["rps"] / b["rps"] for p, b in zip(page_runs, bare_runs, strict=True)]
                result = {
                    **{k: page[k] for k in ("name", "url", "user", "goal")},
                    "bare_rps": [round(run["rps"], 1) for run in bare_runs],
                    "page_rps": [round(run["rps"], 1) for run in page_runs],
                    "ratios": [round(ratio, 4) for ratio in ratios],
                    "bare_median": round(statistics.median(r["rps"] for r in bare_runs), 1),
                    "page_median": round(statistics.median(r["rps"] for r in page_runs), 1),
                    "ratio": round(statistics.median(ratios), 4),
                    "failures": sum(r["failures"] for r in bare_runs + page_runs),
                }
                result["met"] = result["ratio"] >= page["goal"]
                results.append(result)
                print(
                    f"[{database}] {page['name']:18} {result['bare_median']:8.1f} "
                    f"{result['page_median']:8.1f}  ratio {fmt_ratio(result['ratio'])} "
                    f"(goal {page['goal']}) {'met' if result['met'] else 'NOT met'}"
                    + (f"  FAILURES {result['failures']}" if result["failures"] else ""),
                    flush=True,
                )
            return {
                "database": database,
                "cache": args.cache,
                "client": client,
                "load_before": load_before,
                "load_after": load_average(),
                "facts": data["facts"],
                "pages": results,
            }
        finally:
            for server in servers:
                stop(server)
            if pg_name:
                postgres(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            if args.cache == "redis":
                redis_flush(args.redis_db)


def check_pages(port: int, pages: list[dict]) -> None:
    """Each page answers 200 with what it must show: timing an error page is worthless."""
    problems = []
    for page in pages:
        status, body = get(port, page["url"], page["cookie"])
        missing = [text for text in page["expect"] if text not in body]
        if page["user"]:
            if 'class="user-name"' not in body or page["user_name"] not in body:
                missing.append(f"the reader's name {page['user_name']!r}")
        elif 'class="user-name"' in body:
            missing.append("an anonymous page (it shows a signed-in reader)")
        if status != 200 or missing:
            problems.append(f"{page['name']} {page['url']}: status {status}, missing {missing}")
    if problems:
        raise SystemExit("pages fail their check:\n  " + "\n  ".join(problems))


# --- Output -----------------------------------------------------------------------


def fmt_ratio(ratio: float) -> str:
    """Two significant digits: 0.52, 0.045, 0.0014."""
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}" if ratio else "0"


def markdown(run: dict, changed: str) -> str:
    lines = [
        f"{run['date']}, {run['machine']}, load average {run['load_before']} → "
        f"{run['load_after']}; {run['database']}, cache {run['cache']}, client {run['client']} "
        + (
            f"(-t1 -c{run['connections']} -d{run['duration']}s --timeout 60s)"
            if run["client"] == "wrk"
            else f"({run['connections']} threads, {run['duration']} s)"
        )
        + f", gunicorn {run['workers']} sync "
        f"workers, median of {run['rounds']} rounds.",
        "",
        "| page | reader | URL | bare req/s | page req/s | ratio | goal | met | what changed |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for page in run["pages"]:
        lines.append(
            f"| {page['name']} | {page['user'] or 'anonymous'} | `{page['url']}` | "
            f"{page['bare_median']:.0f} | {page['page_median']:.1f} | "
            f"{fmt_ratio(page['ratio'])} | {page['goal']} | "
            f"{'yes' if page['met'] else '**no**'} | {changed} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=4, help="seconds per timed run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--cache",
        choices=["local", "redis"],
        default=None,
        help="redis (shared by the workers, as in production) when Redis answers, else local",
    )
    parser.add_argument("--redis-db", type=int, default=12, help="flushed before and after")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=[p.name for p in PAGES])
    parser.add_argument("--json", metavar="FILE", help="write the figures to FILE")
    parser.add_argument("--changed", default="baseline", help='the table\'s "what changed" column')
    parser.add_argument(
        "--table", metavar="FILE", help="only print the tables of a --json FILE written before"
    )
    parser.add_argument("--client", choices=["wrk", "python"], default=None, help=argparse.SUPPRESS)
    parser.add_argument("--prepare", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        prepare(args.prepare)
        return
    if args.table:
        for run in json.loads(Path(args.table).read_text()):
            print(markdown(run, args.changed) + "\n")
        return

    if args.cache is None:
        args.cache = "redis" if redis_answers() else "local"
        print(f"cache: {args.cache} ({'Redis answers' if args.cache == 'redis' else 'no Redis'})")
    elif args.cache == "redis" and not redis_answers():
        raise SystemExit(f"no Redis answers on {REDIS_HOST}:{REDIS_PORT}")
    client = args.client or ("wrk" if shutil.which("wrk") else "python")
    if client == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed")
    print(f"client: {client}" + ("" if client == "wrk" else " (wrk is not installed)"))

    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    date = time.strftime("%Y-%m-%d")
    machine = f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))})"
    runs = []
    # Collected once for every database: the files do not depend on it.
    with tempfile.TemporaryDirectory(prefix="planportal-ratios-static-") as static_root:
        for database in databases:
            runs.append(run_database(database, args, client, static_root))
    for run in runs:
        run.update(
            date=date,
            machine=machine,
            rounds=args.rounds,
            duration=args.duration,
            connections=args.connections,
            workers=args.workers,
        )
    for run in runs:
        print()
        print(markdown(run, args.changed))
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=2, ensure_ascii=False) + "\n")
    if any(page["failures"] for run in runs for page in run["pages"]):
        raise SystemExit("some requests failed: see FAILURES above")


if __name__ == "__main__":
    main()
