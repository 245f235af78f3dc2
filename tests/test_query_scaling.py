"""Every page a plan has runs the same number of queries at 1×, 5× and 10× the demo.

The demo's 2013–2020 plan (91 measures, 132 indicators, funding by year and
source) is copied once, five and ten times into plans of their own
(tests/growth.py), with its monitoring, its consultation's proposals and its
climate data growing with it. Each page is read anonymously, and the plan,
version and node pages also by a council member and by staff (the pages the
issue names for them), with the cache emptied first (the render every cache
miss pays) and then again from the cache where the page has one. A failure
names the page, the reader and the three counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation
from plans.levels import LEVELS
from plans.models import Measure
from tests import growth

# The module's tests share one grown plan (built once, ~a minute on
# PostgreSQL): they run on one xdist worker (pyproject.toml, --dist loadgroup).
pytestmark = pytest.mark.xdist_group("query_scaling")

FACTORS = (1, 5, 10)
READERS = ("anonymous", "council member", "staff")


@dataclass
class Plans:
    demo: object  # the DemoContext
    grown: dict[int, growth.Grown]


@pytest.fixture(scope="module")
def plans(django_db_setup, django_db_blocker, demo_snapshot):
    """The demo's plan grown 1×, 5× and 10× (each with a draft and the demo's
    monitoring grown with it), built once for the module.

    The rows live in a transaction of the module's own, rolled back after its
    last test; each test runs in a savepoint inside it (pytest-django's
    ``db``), so what a test adds is gone before the next one.
    """
    from tests.demo_data import restore

    with django_db_blocker.unblock(), transaction.atomic():
        demo = restore(demo_snapshot)
        user = demo.staff_user
        grown = {k: growth.grow_plan(demo.approved_version, k, user=user) for k in FACTORS}
        for plan in grown.values():
            growth.add_draft(plan, user)
            growth.grow_monitoring(plan)
        yield Plans(demo=demo, grown=grown)
        transaction.set_rollback(True)


@pytest.fixture
def readers(plans, db, council_user, staff_user, settings):
    # A staff or council session is written again once a minute to keep it
    # alive (accounts/middleware.py): a few queries that would land on
    # whichever page is read at that moment.
    settings.STAFF_SESSION_IDLE_TIMEOUT = 0
    council, staff = Client(), Client()
    council.force_login(council_user)
    staff.force_login(staff_user)
    return {"anonymous": Client(), "council member": council, "staff": staff}


def counted(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(context)


# Pages kept in no cache (free text is never cached, the API and the
# progress page are computed per request): read once, to keep the module quick.
UNCACHED = {"text search", "tree API", "progress page"}


def unequal(client, reader, pages, *, cached=True):
    """The pages whose count differs between the plan sizes, in words.

    ``pages`` maps a page's name to its path for each factor. Each path is read
    with the cache emptied (what a cache miss costs), then again (from the
    cache) where the page has one and ``cached`` is true.
    """
    failures = []
    for page, paths in pages.items():
        counts: dict[str, list[int]] = {"uncached": [], "cached": []}
        for factor in FACTORS:
            cache.clear()
            counts["uncached"].append(counted(client, paths[factor]))
            if cached and page not in UNCACHED:
                counts["cached"].append(counted(client, paths[factor]))
        for how, found in counts.items():
            if len(set(found)) > 1:
                failures.append(
                    f"{page} ({how}), read by {reader}: "
                    + ", ".join(f"{c} queries at {k}×" for k, c in zip(FACTORS, found, strict=True))
                )
    return failures


def node_paths(grown, demo_measure):
    """The paths of the copy (in the tree's first copy) of ``demo_measure``
    and of its task, goal and priority."""
    measure = Measure.objects.select_related("task__goal__priority").get(
        version=grown.approved, key=grown.keys[0][demo_measure.key]
    )
    nodes = [measure, measure.task, measure.task.goal, measure.task.goal.priority]
    return {
        f"{level.name} page": reverse(f"plans:{level.name}", args=[grown.approved.pk, node.pk])
        for level, node in zip(reversed(LEVELS.values()), nodes, strict=True)
    }


# What the issue asks of logged-in readers: the plan, version and node pages
# (the search, the tree API and the progress page are the public's, read
# anonymously; logged in they run the same code with the same counts).
LOGGED_IN_PAGES = {"plan page", "version page", *(f"{name} page" for name in LEVELS)}


def public_pages(plans):
    # A measure with indicators and actual values, and a word of its title.
    demo_measure = (
        Measure.objects.filter(version=plans.demo.approved_version, indicators__isnull=False)
        .order_by("code")
        .first()
    )
    word = demo_measure.title.split()[0]
    pages: dict[str, dict[int, str]] = {}
    for factor, grown in plans.grown.items():
        version = grown.approved.pk
        paths = {
            "plan page": f"/plans/{grown.plan.pk}/",
            "version page": f"/versions/{version}/",
            **node_paths(grown, demo_measure),
            "text search": f"/versions/{version}/?q={word}",
            "tree API": f"/api/v1/versions/{version}/tree/",
            "progress page": f"/plans/{grown.plan.pk}/progress/",
        }
        for page, path in paths.items():
            pages.setdefault(page, {})[factor] = path
    return pages


@pytest.mark.parametrize("reader", READERS)
def test_public_pages_keep_their_query_counts_as_the_plan_grows_tenfold(plans, readers, reader):
    measures = [Measure.objects.filter(version=g.approved).count() for g in plans.grown.values()]
    assert measures == [91, 455, 910]

    pages = public_pages(plans)
    if reader != "anonymous":
        pages = {page: paths for page, paths in pages.items() if page in LOGGED_IN_PAGES}

    failures = unequal(readers[reader], reader, pages)

    assert not failures, "\n".join(failures)


def test_draft_pages_keep_their_query_counts_as_the_plan_grows_tenfold(plans, readers):
    drafts = {k: g.draft.pk for k, g in plans.grown.items()}
    pages = {
        "draft's version page": {k: f"/versions/{d}/" for k, d in drafts.items()},
        "draft's tree API": {k: f"/api/v1/versions/{d}/tree/" for k, d in drafts.items()},
        "staff outline": {k: f"/staff/versions/{d}/outline/" for k, d in drafts.items()},
    }

    failures = unequal(readers["staff"], "staff", pages, cached=False)

    assert not failures, "\n".join(failures)


def test_the_consultation_page_keeps_its_query_count_as_plan_and_proposals_grow(plans, readers):
    source = Consultation.objects.get(version=plans.demo.draft_version)
    consultations = {
        k: growth.grow_consultation(g, source, plans.demo.staff_user)
        for k, g in plans.grown.items()
    }
    assert consultations[10].proposals.count() == 10 * source.proposals.count()
    # Sorted by support: the proposals' list with its counts, the heavier order.
    pages = {
        "consultation page": {
            k: f"/consultations/{c.pk}/?sort=supported" for k, c in consultations.items()
        },
    }

    failures = []
    for reader, client in readers.items():
        failures += unequal(client, reader, pages, cached=False)

    assert not failures, "\n".join(failures)


def test_the_climate_overview_keeps_its_query_count_as_its_data_grows(plans, readers):
    # The overview is the municipality's, over every plan: it is read after
    # each step of growth (SEAP measures linked to each grown plan's measures,
    # one more monitoring inventory per copy) rather than once per plan.
    counts: dict[tuple[str, str], list[int]] = {}
    for factor in FACTORS:
        growth.grow_climate(plans.grown[factor])
        for reader, client in readers.items():
            cache.clear()
            counts.setdefault((reader, "uncached"), []).append(counted(client, "/climate/"))
            counts.setdefault((reader, "cached"), []).append(counted(client, "/climate/"))

    failures = [
        f"climate overview ({how}), read by {reader}: {found} queries as its data grows"
        for (reader, how), found in counts.items()
        if len(set(found)) > 1
    ]
    assert not failures, "\n".join(failures)
