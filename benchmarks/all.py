#!/usr/bin/env python
"""Every speed goal of docs/performance.md in one command.

    .venv/bin/python benchmarks/all.py [--quick] [--skip-postgres]

Runs, one after the other (each creates and removes its own throwaway
database and server):

- ``ratios.py --database both``: every page's throughput against a bare
  Django view, on SQLite and PostgreSQL (gunicorn, wrk);
- ``stampede.py`` with Redis and without: a crowd right after a bump renders
  each page once;
- ``scale10.py`` on SQLite and PostgreSQL: a plan ten times the demo, the
  uncached plan page and tree API;
- ``tree_json.py`` (demo and ×10): the draft's tree JSON against a
  ``.values()`` build;
- ``outline.py``: the staff outline and each in-place edit;
- ``search.py`` (demo and ×10): the text search.

Prints each script's report as it comes; exits 1 when any script reports a
goal missed (their own exit codes). ``--quick`` runs one round of 2 s per page.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one short round per page")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    databases = ["sqlite"] if args.skip_postgres else ["sqlite", "postgres"]
    quick = ["--rounds", "1", "--duration", "2"] if args.quick else []
    steps = [
        ["ratios.py", "--database", "sqlite" if args.skip_postgres else "both", *quick],
        ["stampede.py", "--cache", "redis", "--workers", "2"],
        ["stampede.py", "--cache", "local", "--workers", "2"],
        *(["scale10.py", "--database", database] for database in databases),
        ["tree_json.py"],
        ["tree_json.py", "--scale", "10"],
        ["outline.py"],
        *(["search.py", "--database", database] for database in databases),
    ]
    failed = []
    for step in steps:
        print(f"\n===== {' '.join(step)} =====", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(HERE / step[0]), *step[1:]]).returncode
        print(f"----- exit {code}, {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failed.append(" ".join(step))
    print("\nGoals missed (or errors) in: " + ("; ".join(failed) if failed else "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
