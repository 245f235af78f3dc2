#!/usr/bin/env python
"""The plan's PDF export against WeasyPrint rendering the same HTML alone.

    .venv/bin/python benchmarks/pdf_export.py [--runs 3]

In one run: creates a throwaway SQLite database and media folder in a
temporary directory, loads the demo (``manage.py load_demo``) and builds a
plan five times its size (the demo's tree copied five times into one
version), then, for each of the two plans and each run, in a fresh child
process:

* **export**: ``documents.services.document_request`` with nothing stored (it
  queues the job) and ``document_render``, the worker's job — the context
  builder (its queries), the HTML, WeasyPrint and storing the file, as the
  first download of a version costs;
* **WeasyPrint alone**: ``weasyprint.HTML(string=…).write_pdf(pdf_variant=
  "pdf/ua-1")`` on the very HTML the export rendered, with the same stylesheet
  and fonts: the floor any export could reach;
* **stored**: a second ``document_request``, served from the store.

It prints the median seconds, the ratio export / WeasyPrint alone (the goal
in docs/performance.md is at most 1.25) and the peak memory (maximum resident
set size) of each child process.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FACTOR = 5


def _setup():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _maxrss_mb() -> float:
    import resource

    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Preparing the database (a child process) ------------------------------------------


def prepare() -> None:
    """Migrate, load the demo, grow a fivefold plan; print both versions' ids."""
    _setup()
    from django.core.management import call_command

    from plans.models import Measure, PlanVersion

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    # The 2013–2020 plan, the demo's largest (it also holds a development and an action plan).
    demo = PlanVersion.objects.in_force().get(plan__kind="spp_2013")
    large = grow(demo, FACTOR)
    print(
        json.dumps(
            {
                "demo": demo.pk,
                "large": large.pk,
                "measures": {
                    "demo": Measure.objects.filter(version=demo).count(),
                    "large": Measure.objects.filter(version=large).count(),
                },
            }
        )
    )


def grow(source, factor: int):
    """A new approved plan whose version holds ``source``'s tree ``factor`` times
    (``tests.growth.grow_plan``, shared with the query-count tests)."""
    from tests.growth import grow_plan

    return grow_plan(source, factor).approved


# --- The measured steps (each in a child process) --------------------------------------


def measure_export(version_id: int, html_out: str) -> None:
    _setup()
    import weasyprint  # noqa: F401 - imported before timing, as in a running server
    from django.utils import translation

    from documents import services as documents
    from documents.models import PlanDocument
    from plans.models import PlanVersion

    PlanDocument.objects.filter(version_id=version_id).delete()
    version = PlanVersion.objects.select_related("plan").get(pk=version_id)
    baseline = _maxrss_mb()
    started = time.perf_counter()
    # A reader's request queues the job; the worker's job renders (documents/tasks.py).
    queued = documents.document_request(version=version, variant="ua", language="lt")
    stored = documents.document_render(document_id=queued.pk)
    seconds = time.perf_counter() - started
    peak = _maxrss_mb()
    assert stored is not None and stored.status == "ready", stored

    started = time.perf_counter()
    again = documents.document_request(version=version, variant="ua", language="lt")
    stored_seconds = time.perf_counter() - started
    assert again.pk == stored.pk

    with translation.override("lt"):
        Path(html_out).write_text(documents.document_html(version))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "stored_seconds": stored_seconds,
                "peak_mb": peak,
                "baseline_mb": baseline,
                "pages_bytes": stored.size,
            }
        )
    )


def measure_weasyprint(html_path: str) -> None:
    """WeasyPrint alone: no Django, the same HTML, stylesheet folder and variant."""
    import weasyprint

    html = Path(html_path).read_text()
    base_url = str(ROOT / "static" / "css") + "/"
    baseline = _maxrss_mb()
    started = time.perf_counter()
    rendered = weasyprint.HTML(string=html, base_url=base_url).render(pdf_variant="pdf/ua-1")
    pdf = rendered.write_pdf(pdf_variant="pdf/ua-1")
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": _maxrss_mb(),
                "baseline_mb": baseline,
                "bytes": len(pdf),
                "pages": len(rendered.pages),
            }
        )
    )


# --- The driver -----------------------------------------------------------------------


def child(env, *args) -> dict:
    result = subprocess.run(
        [PYTHON, __file__, *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"step {args[0]} failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per plan and step (median)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="planportal-pdf-bench-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "DEBUG": "0",
            "HTTPS": "0",
            "SECRET_KEY": "benchmark-only-" + os.urandom(16).hex(),
            "LOG_LEVEL": "ERROR",
        }
        print("Preparing the database (migrate, load_demo, a fivefold plan)…", flush=True)
        ids = child(env, "prepare")
        print(f"Measures: demo {ids['measures']['demo']}, fivefold {ids['measures']['large']}")
        rows = []
        for name in ("demo", "large"):
            html_path = f"{tmp}/{name}.html"
            exports, alone = [], []
            for _ in range(options.runs):
                exports.append(child(env, "export", str(ids[name]), html_path))
                alone.append(child(env, "weasyprint", html_path))
            export_s = statistics.median(r["seconds"] for r in exports)
            alone_s = statistics.median(r["seconds"] for r in alone)
            rows.append(
                {
                    "plan": "demo" if name == "demo" else f"fivefold (×{FACTOR})",
                    "measures": ids["measures"][name],
                    "export_s": export_s,
                    "alone_s": alone_s,
                    "ratio": export_s / alone_s,
                    "stored_ms": 1000 * statistics.median(r["stored_seconds"] for r in exports),
                    "export_peak_mb": max(r["peak_mb"] for r in exports),
                    "alone_peak_mb": max(r["peak_mb"] for r in alone),
                    "kb": exports[0]["pages_bytes"] / 1024,
                    "pages": alone[0]["pages"],
                }
            )
        print()
        print(
            "| plan | measures | pages | export, s | WeasyPrint alone, s | ratio "
            "| served from the store, ms | peak RSS export / alone, MB | PDF, kB |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(
                f"| {r['plan']} | {r['measures']} | {r['pages']} | {r['export_s']:.2f} "
                f"| {r['alone_s']:.2f} | "
                f"**{r['ratio']:.2f}** | {r['stored_ms']:.1f} | "
                f"{r['export_peak_mb']:.0f} / {r['alone_peak_mb']:.0f} | {r['kb']:.0f} |"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "prepare":
        prepare()
    elif len(sys.argv) > 1 and sys.argv[1] == "export":
        measure_export(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "weasyprint":
        measure_weasyprint(sys.argv[2])
    else:
        main()
