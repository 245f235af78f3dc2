#!/usr/bin/env python
"""Schemathesis over the whole API, as administration staff, on a throwaway demo database.

    .venv/bin/python scripts/schemathesis.py [--max-examples 30] [--seed 1] \
        [--workers 1] [--report-dir DIR] [-- more schemathesis options]

In one run: creates an SQLite file in a temporary directory (never the
developer's database in var/: the run creates, changes and deletes whatever
the API lets staff touch), migrates it, loads the demo, starts gunicorn with
production settings (DEBUG=0; HTTPS=0 as there is no TLS proxy) on a free
port, asks ``POST /api/v1/auth/token/`` for the demo account ``staff``'s
token (password ``demo``) and runs ``schemathesis run`` over
``/api/v1/schema/`` with that token, the four phases (examples, coverage,
fuzzing, stateful) and the two checks ``not_a_server_error`` and
``response_schema_conformance``. It prints schemathesis's own report, then
the figures (test cases, per phase, time, failures) that
docs/security/badinput.md records, and stops the server. The exit code is
schemathesis's: 0 when no check failed.

Abuse limits stay as configured: their 429 answers are part of the schema.
Not part of the test suite (a run takes minutes); docs/security/badinput.md
says what it found and what a run measured.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
# Reports land beside the developer's database (var/ is not tracked), which
# the run never opens.
VAR_DIR = Path(os.environ.get("PLANPORTAL_VAR_DIR", ROOT / "var"))
# The benchmarks' helpers for a gunicorn being started (free port, /healthz).
sys.path.insert(0, str(ROOT / "benchmarks"))
from server import free_port, wait_until_up  # noqa: E402

PHASES = ["examples", "coverage", "fuzzing", "stateful"]
CHECKS = ["not_a_server_error", "response_schema_conformance"]


def staff_token(port: int) -> str:
    """The contract's way in: ``POST /api/v1/auth/token/`` → ``{"token"}``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/api/v1/auth/token/",
        body=json.dumps({"username": "staff", "password": "demo"}),
        headers={"Content-Type": "application/json", "Host": "127.0.0.1"},
    )
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"no token for staff: {response.status} {body[:200]!r}")
    return json.loads(body)["token"]


# The demo's ids: small numbers are a plan, its two versions, nodes,
# inventories, proposals …, so most generated requests reach an object
# instead of a 404. Generation still draws other values (the probability).
CONFIG = """\
[dictionaries.ids]
values = [1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 50, 70, 100, 180]

[dictionaries.sources]
values = ["SB", "ES", "VB", "PRIV"]

[parameters]
"path.id" = { dictionary = "ids", probability = 0.7 }
"query.version" = { dictionary = "ids", probability = 0.5 }
"query.plan" = { dictionary = "ids", probability = 0.5 }
"query.against" = { dictionary = "ids", probability = 0.7 }
"body.version" = { dictionary = "ids", probability = 0.7 }
"body.plan" = { dictionary = "ids", probability = 0.7 }
"body.priority" = { dictionary = "ids", probability = 0.7 }
"body.goal" = { dictionary = "ids", probability = 0.7 }
"body.task" = { dictionary = "ids", probability = 0.7 }
"body.measure" = { dictionary = "ids", probability = 0.7 }
"body.responsible_unit" = { dictionary = "ids", probability = 0.5 }
"body.funding[*].source" = { dictionary = "sources", probability = 0.8 }
"""


def schemathesis_command(
    *,
    config: Path,
    port: int,
    token: str,
    max_examples: int,
    seed: int,
    workers: int,
    report_dir: Path,
    extra: list[str],
) -> list[str]:
    """The ``schemathesis run`` command line (checked by tests/api/test_bad_input.py)."""
    return [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"http://127.0.0.1:{port}/api/v1/schema/?format=json",
        "--url",
        f"http://127.0.0.1:{port}",
        "--phases",
        ",".join(PHASES),
        "--checks",
        ",".join(CHECKS),
        "--header",
        f"Authorization: Token {token}",
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--workers",
        str(workers),
        "--request-timeout",
        "120",
        "--report",
        "ndjson,junit",
        "--report-dir",
        str(report_dir),
        # Revoking a token (DELETE /api/v1/auth/tokens/{token_key}/) would
        # revoke the run's own as soon as the token list gives its key, and
        # every later request would test nothing but the 401
        # (tests/accounts/test_api_tokens.py covers that endpoint).
        "--exclude-operation-id",
        "auth_tokens_destroy",
        *extra,
    ]


def figures(report_dir: Path, seconds: float) -> dict:
    """Test cases and seconds per phase, answers by status, failed checks, from the
    NDJSON event log."""
    cases: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    started: dict[str, float] = {}
    phase_seconds: dict[str, float] = {}
    errors = 0
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            for name, body in json.loads(line).items():
                if name == "PhaseStarted":
                    started[body["phase"]["name"]] = body["timestamp"]
                elif name == "PhaseFinished":
                    phase = body["phase"]["name"]
                    if phase in started and phase in PHASES:
                        phase_seconds[phase] = round(body["timestamp"] - started[phase], 1)
                elif name == "ScenarioFinished":
                    recorder = body.get("recorder", {})
                    cases[body.get("phase", "?")] += len(recorder.get("cases", {}))
                    for checks in recorder.get("checks", {}).values():
                        for check in checks:
                            if check.get("status") == "failure":
                                failures[check.get("name", "?")] += 1
                    for interaction in recorder.get("interactions", {}).values():
                        response = interaction.get("response") or {}
                        status = response.get("status_code")
                        statuses[f"{status // 100}xx" if status else "no answer"] += 1
                elif name == "NonFatalError":
                    errors += 1
    return {
        "test_cases": sum(cases.values()),
        "per_phase": {phase: cases[phase] for phase in PHASES},
        "seconds_per_phase": phase_seconds,
        "answers": dict(sorted(statuses.items())),
        "failed_checks": dict(failures),
        "errors": errors,
        "seconds": round(seconds, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=30, help="per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="schemathesis's concurrent workers")
    parser.add_argument(
        "--report-dir", type=Path, help="where the reports go (default: var/schemathesis/)"
    )
    parser.add_argument("extra", nargs="*", help="more schemathesis options (after --)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="planportal-schemathesis-") as tmp:
        report_dir = args.report_dir or VAR_DIR / "schemathesis"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/schemathesis.sqlite3",
            "PLANPORTAL_VAR_DIR": tmp,
            "MEDIA_ROOT": f"{tmp}/media",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "schemathesis-run-" + os.urandom(8).hex(),
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        print("-- Migrating a throwaway SQLite database and loading the demo (under a minute)")
        for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
            subprocess.run(
                [PYTHON, "manage.py", *command],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = free_port()
        report_dir.mkdir(parents=True, exist_ok=True)
        for old in [*report_dir.glob("*.ndjson"), *report_dir.glob("junit-*.xml")]:
            old.unlink()  # a previous run's: the figures are this run's
        # The server's own log (a warning for every 4xx the run provokes, a
        # traceback for any 500) goes to a file beside the reports.
        server_log = (report_dir / "server.log").open("w")
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "planportal.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "180",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(port, server, timeout=60)
            token = staff_token(port)
            config = Path(tmp) / "schemathesis.toml"
            config.write_text(CONFIG)
            command = schemathesis_command(
                config=config,
                port=port,
                token=token,
                max_examples=args.max_examples,
                seed=args.seed,
                workers=args.workers,
                report_dir=report_dir,
                extra=args.extra,
            )
            shown = [part.replace(token, "…") for part in command]
            print("-- " + " ".join(shown))
            started = time.monotonic()
            # Run in the temporary directory: schemathesis keeps a cache
            # (.schemathesis/) in its working directory, which is not the
            # repository's to keep.
            result = subprocess.run(command, cwd=tmp, env={**os.environ, "NO_COLOR": "1"})
            seconds = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=30)
            server_log.close()
        result_figures = figures(report_dir, seconds)
        log = (report_dir / "server.log").read_text()
        result_figures["server_errors_logged"] = log.count("Internal Server Error")
        print(json.dumps(result_figures, indent=2))
        print(f"-- Reports and the server's log: {report_dir}")
        return result.returncode


if __name__ == "__main__":
    sys.exit(main())
