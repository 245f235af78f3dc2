#!/usr/bin/env python
"""The tree API's JSON: built from rows, against a reference build and the kept bytes.

    .venv/bin/python benchmarks/tree_json.py [--runs 30] [--scale 1]

In one process: creates a throwaway SQLite database in a temporary directory,
migrates, loads the demo (``manage.py load_demo``) and copies the 2013–2020
plan's tree ``--scale`` times into a draft and into an approved version
(``tests/growth.grow_version``), then times, as medians over ``--runs``:

(a) the tree API's build of the draft: ``plans.api.tree_document.build`` and
    orjson, no cache (what every request for a draft costs), and the same
    through the whole API view for a signed-in staff member;
(b) a reference: the same document from ``.values()`` rows in the plainest
    code, encoded with orjson (the issue's yardstick; goal a/b ≤ 2);
(c) the approved version's kept document: ``document_bytes`` from the cache,
    and an anonymous ``GET /api/v1/versions/{id}/tree/`` through Django's
    middleware (the test client, no network);

and, for comparison, the nested serializers the API used before issue 16
(``VersionTreeSerializer`` over ``selectors.version_tree``, DRF's renderer).
It checks that (a), (b) and the serializers give the same document, prints the
queries of (a), and fails if a/b is above 2 or, at ``--scale 10``, the
uncached build takes a second or more.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reference_document(version) -> dict:
    """The tree document from ``.values()`` in the plainest way (the yardstick)."""
    from decimal import Decimal

    from plans.models import (
        FundingLine,
        Goal,
        Indicator,
        IndicatorTarget,
        Measure,
        MeasureLink,
        Priority,
        Task,
    )

    def dec(value, places):
        return None if value is None else f"{value.quantize(Decimal(1).scaleb(-places)):f}"

    node = ("id", "key", "code", "title", "description")
    targets = defaultdict(list)
    for t in IndicatorTarget.objects.filter(indicator__version=version).order_by("year").values():
        targets[t["indicator_id"]].append({"year": t["year"], "value": dec(t["value"], 4)})
    indicators = defaultdict(list)
    card = (
        "kind",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "data_source",
        "direction",
        "code",
        "definition",
        "calculation_method",
        "frequency",
        "responsible_body",
        "remarks",
    )
    for i in Indicator.objects.filter(version=version).order_by("position", "id").values():
        owner = ("goal", i["goal_id"]) if i["goal_id"] else None
        owner = owner or (("task", i["task_id"]) if i["task_id"] else ("measure", i["measure_id"]))
        row = {"id": i["id"], "key": str(i["key"])} | {name: i[name] for name in card}
        row["baseline_value"] = dec(i["baseline_value"], 4)
        row["targets"] = targets[i["id"]]
        indicators[owner].append(row)
    co = defaultdict(list)
    through = Measure.co_executors.through.objects.filter(measure__version=version)
    for c in through.order_by("unit__name").values("measure_id", "unit_id", "unit__name"):
        co[c["measure_id"]].append({"id": c["unit_id"], "name": c["unit__name"]})
    funding = defaultdict(list)
    totals = defaultdict(Decimal)
    lines = FundingLine.objects.filter(measure__version=version).order_by(
        "year", "source__position", "source__code"
    )
    for f in lines.values("measure_id", "year", "source__code", "amount"):
        funding[f["measure_id"]].append(
            {"year": f["year"], "source": f["source__code"], "amount": dec(f["amount"], 2)}
        )
        totals[f["measure_id"]] += f["amount"]
    links = defaultdict(list)
    for link in MeasureLink.objects.filter(measure__version=version).order_by("position", "id"):
        links[link.measure_id].append(str(link.key))

    def nodes(model, *extra):
        for row in (
            model.objects.filter(version=version).order_by("position", "id").values(*node, *extra)
        ):
            row["key"] = str(row["key"])
            yield row

    measures = defaultdict(list)
    for m in nodes(
        Measure,
        "task_id",
        "kind",
        "responsible_unit__name",
        "responsible_unit_id",
        "appropriation_manager__name",
        "appropriation_manager_id",
        "start_year",
        "end_year",
    ):
        measures[m.pop("task_id")].append(
            {name: m[name] for name in node}
            | {
                "kind": m["kind"],
                "implements": links[m["id"]],
                "responsible_unit": m["responsible_unit__name"],
                "responsible_unit_id": m["responsible_unit_id"],
                "appropriation_manager": m["appropriation_manager__name"],
                "appropriation_manager_id": m["appropriation_manager_id"],
                "co_executors": co[m["id"]],
                "start_year": m["start_year"],
                "end_year": m["end_year"],
                "indicators": indicators["measure", m["id"]],
                "funding": funding[m["id"]],
                "funding_total": dec(totals[m["id"]], 2),
            }
        )
    tasks = defaultdict(list)
    for t in nodes(Task, "goal_id"):
        goal_id = t.pop("goal_id")
        tasks[goal_id].append(
            t | {"indicators": indicators["task", t["id"]], "measures": measures[t["id"]]}
        )
    goals = defaultdict(list)
    for g in nodes(Goal, "priority_id"):
        priority_id = g.pop("priority_id")
        goals[priority_id].append(
            g | {"indicators": indicators["goal", g["id"]], "tasks": tasks[g["id"]]}
        )
    priorities = [p | {"goals": goals[p["id"]]} for p in nodes(Priority)]
    return {
        "id": version.pk,
        "status": version.status,
        "vision": version.vision,
        "priorities": priorities,
    }


def timed(function, runs: int) -> float:
    """The median time of one call, in milliseconds (after one warm-up call)."""
    function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="repetitions per step (median)")
    parser.add_argument("--scale", type=int, default=1, help="the plan's size, times the demo's")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planportal-tree-bench-") as tmp:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "planportal.settings",
                "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "MEDIA_ROOT": f"{tmp}/media",
                "PLANPORTAL_VAR_DIR": tmp,
                "DEBUG": "0",
                "HTTPS": "0",
                "ALLOWED_HOSTS": "testserver",
                "SECRET_KEY": "benchmark-only-" + os.urandom(16).hex(),
                "LOG_LEVEL": "ERROR",
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            }
        )
        os.environ.pop("REDIS_URL", None)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import orjson
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.utils import translation
        from rest_framework.renderers import JSONRenderer

        from plans.api import tree_document
        from plans.api.serializers import VersionTreeSerializer
        from plans.models import Measure, PlanVersion, VersionStatus
        from plans.selectors import version_tree
        from tests.growth import grow_version

        print("Preparing the database (migrate, load_demo, the grown plans)…", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
        demo = PlanVersion.objects.in_force().get(plan__kind="spp_2013")
        draft = grow_version(demo, options.scale)
        approved = grow_version(demo, options.scale, status=VersionStatus.APPROVED)
        draft = PlanVersion.objects.select_related("plan").get(pk=draft.pk)
        approved = PlanVersion.objects.select_related("plan").get(pk=approved.pk)
        staff = get_user_model().objects.get(username="staff")  # the demo's staff member
        translation.activate("lt")

        def new_build():
            return tree_document.encode(tree_document.build(draft))

        def reference_build():
            return orjson.dumps(reference_document(draft))

        def serializer_build():
            return JSONRenderer().render(VersionTreeSerializer(version_tree(draft)).data)

        document = orjson.loads(new_build())
        assert document == orjson.loads(reference_build()), "(a) and (b) differ"
        assert document == orjson.loads(serializer_build()), "(a) and the serializers differ"
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            new_build()
        size = len(new_build())

        staff_client = Client()
        staff_client.force_login(staff)
        anonymous = Client()
        draft_path = f"/api/v1/versions/{draft.pk}/tree/"
        approved_path = f"/api/v1/versions/{approved.pk}/tree/"
        assert staff_client.get(draft_path).status_code == 200
        response = anonymous.get(approved_path)
        assert response.status_code == 200 and orjson.loads(response.content)["priorities"]

        measures = Measure.objects.filter(version=draft).count()
        print(
            f"plan: the demo's 2013–2020 tree ×{options.scale}: {measures} measures, "
            f"document {size / 1024:.0f} KB; medians of {options.runs} runs"
        )
        results = {
            "a": timed(new_build, options.runs),
            "b": timed(reference_build, options.runs),
            "before": timed(serializer_build, options.runs),
            "api draft": timed(lambda: staff_client.get(draft_path), options.runs),
            "c": timed(lambda: tree_document.document_bytes(approved), options.runs * 10),
            "api cached": timed(lambda: anonymous.get(approved_path), options.runs * 10),
        }
        rows = [
            ("(a) draft: rows → dicts → orjson (new, uncached)", results["a"]),
            ("(b) reference: .values() → dicts → orjson", results["b"]),
            ("before: VersionTreeSerializer(version_tree) + DRF renderer", results["before"]),
            ("API view, draft, signed-in staff (test client)", results["api draft"]),
            ("(c) approved: kept bytes (document_bytes)", results["c"]),
            ("API view, approved, anonymous (test client)", results["api cached"]),
        ]
        for label, ms in rows:
            print(f"  {label:<62} {ms:9.2f} ms")
        ratio = results["a"] / results["b"]
        print(f"queries of (a): {len(queries)}")
        print(f"ratio a/b: {ratio:.2f} (goal: at most 2)")
        print(f"before / (a): {results['before'] / results['a']:.1f} times faster")
        failed = ratio > 2
        if options.scale >= 10:
            print(f"uncached tree at ×{options.scale}: {results['api draft']:.0f} ms (goal < 1000)")
            failed = failed or results["api draft"] >= 1000
        if failed:
            raise SystemExit("a goal is missed")


if __name__ == "__main__":
    main()
