#!/usr/bin/env python3
"""Run every test module alone, each in a pytest process of its own, and
report the modules that fail when run alone.

    .venv/bin/python scripts/each_module.py                 # every tests/**/test_*.py
    .venv/bin/python scripts/each_module.py -j 2            # two modules at a time
    .venv/bin/python scripts/each_module.py tests/plans     # only the modules under a folder
    .venv/bin/python scripts/each_module.py -- -k budget    # arguments after -- go to pytest

A module that passes in the whole suite but fails alone depends on another
module (a fixture, a cache, a setting or the active language left behind).
Each run prints pytest-randomly's seed; a failing module's log (kept under
the folder named at the end) shows the seed and the command to reproduce it.

With DATABASE_URL pointing at PostgreSQL and -j above 1, each parallel job
gets a database name of its own (<name>_jobN), so that the jobs' test
databases never collide. pytest-xdist is switched off (-n 0) for every run.
Exit status: 0 when every module passes alone, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for path in paths or ["tests"]:
        path = (ROOT / path).resolve() if not Path(path).is_absolute() else Path(path)
        if path.is_file():
            found.append(path)
        else:
            found.extend(sorted(path.rglob("test_*.py")))
    return [p for p in found if "__pycache__" not in p.parts]


def database_url_for(job: int, jobs: int) -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    if jobs == 1 or not url.startswith(("postgres://", "postgresql://")):
        return None
    base, _, name = url.rpartition("/")
    name, sep, query = name.partition("?")
    return f"{base}/{name}_job{job}{sep}{query}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="test modules or folders (default: tests)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="modules run at a time")
    argv = sys.argv[1:]
    pytest_args = argv[argv.index("--") + 1 :] if "--" in argv else []
    args = parser.parse_args(argv[: argv.index("--")] if "--" in argv else argv)
    python = ROOT / ".venv" / "bin" / "python"
    if not python.exists():
        python = Path(sys.executable)

    todo = modules(args.paths)
    logs = Path(tempfile.mkdtemp(prefix="planportal-each-module-"))
    work: queue.Queue[Path] = queue.Queue()
    for module in todo:
        work.put(module)
    results: dict[Path, tuple[int, float, Path]] = {}
    lock = threading.Lock()
    width = len(str(len(todo)))

    def worker(job: int) -> None:
        env = dict(os.environ)
        url = database_url_for(job, args.jobs)
        if url:
            env["DATABASE_URL"] = url
        while True:
            try:
                module = work.get_nowait()
            except queue.Empty:
                return
            rel = module.relative_to(ROOT)
            log = logs / (str(rel).replace("/", "__") + ".log")
            command = [
                str(python), "-m", "pytest", str(rel), "-q", "-n", "0",
                "-p", "no:cacheprovider", *pytest_args,
            ]  # fmt: skip
            started = time.monotonic()
            with log.open("w") as out:
                out.write("$ " + " ".join(command) + "\n")
                out.flush()
                code = subprocess.call(command, cwd=ROOT, env=env, stdout=out, stderr=out)
            took = time.monotonic() - started
            with lock:
                results[module] = (code, took, log)
                status = "ok" if code == 0 else f"FAILED (exit {code})"
                print(f"[{len(results):>{width}}/{len(todo)}] {rel}: {status} in {took:.1f}s",
                      flush=True)  # fmt: skip

    threads = [threading.Thread(target=worker, args=(job,)) for job in range(1, args.jobs + 1)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    failed = [(m, r) for m, r in sorted(results.items()) if r[0] != 0]
    print(f"\n{len(todo) - len(failed)} of {len(todo)} modules pass alone "
          f"({time.monotonic() - started:.0f}s); logs in {logs}")  # fmt: skip
    for module, (code, _took, log) in failed:
        print(f"\n--- {module.relative_to(ROOT)} fails alone (exit {code}); {log}")
        lines = log.read_text(errors="replace").splitlines()
        seed = next((line for line in lines if "randomly-seed" in line), "")
        if seed:
            print(seed)
        print("\n".join(lines[-25:]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
