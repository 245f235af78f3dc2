#!/usr/bin/env python
"""A plan's XLSX workbook: export, and import of it back as a new draft.

    .venv/bin/python benchmarks/workbooks.py [--runs 5]

Creates a throwaway SQLite database in a temporary directory, loads the demo
(``manage.py load_demo``) and builds the 2013–2020 plan five times its size
(``pdf_export.grow``), then, for the demo's three plans and the fivefold one,
times ``plans.spreadsheets.export.version_workbook`` (what the download and
the API run) and ``import_.version_import`` of that very workbook (reading
and checking every cell, then writing the draft: what the upload and the API
run). Each import is rolled back, so every run starts from the same
database. Prints the medians, the workbook's size and the number of rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per plan and step (median)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planportal-xlsx-bench-") as tmp:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "planportal.settings",
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "DEBUG": "0",
                "HTTPS": "0",
                "SECRET_KEY": "benchmark-only-" + os.urandom(16).hex(),
                "LOG_LEVEL": "ERROR",
            }
        )
        sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import transaction
        from pdf_export import grow

        from plans.levels import LEVELS
        from plans.models import Measure, PlanVersion
        from plans.spreadsheets.export import version_workbook
        from plans.spreadsheets.import_ import version_import

        print("Preparing the database (migrate, load_demo, a fivefold plan)…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
        in_force = PlanVersion.objects.in_force().select_related("plan")
        versions = [in_force.get(plan__kind=kind) for kind in ("spp_2013", "development", "action")]
        versions.append(grow(versions[0], 5))
        staff = get_user_model().objects.filter(is_superuser=True).first() or (
            get_user_model().objects.create_superuser("bench", "bench@example.lt", "x")
        )

        class Rollback(Exception):
            pass

        print(
            f"{'plan':<34} {'measures':>8} {'nodes':>6} {'KB':>6} {'export s':>9} {'import s':>9}"
        )
        for version in versions:
            exports, imports = [], []
            for _ in range(options.runs):
                started = time.perf_counter()
                data = version_workbook(version)
                exports.append(time.perf_counter() - started)
            for _ in range(options.runs):
                try:
                    with transaction.atomic():
                        started = time.perf_counter()
                        draft = version_import(user=staff, plan=version.plan, data=data)
                        imports.append(time.perf_counter() - started)
                        nodes = sum(
                            level.model.objects.filter(version=draft).count()
                            for level in LEVELS.values()
                        )
                        raise Rollback
                except Rollback:
                    pass
            measures = Measure.objects.filter(version=version).count()
            print(
                f"{version.plan.title[:34]:<34} {measures:>8} {nodes:>6} {len(data) / 1024:>6.0f} "
                f"{statistics.median(exports):>9.2f} {statistics.median(imports):>9.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
