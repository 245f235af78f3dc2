"""Every page speaks its plan's kind's words (plans/words.py).

An action plan's top level is a programme ("Programa", "Programos"); the
seed's plans keep "Prioritetas". The tree's shape, the URLs and the API's
names stay the same for every kind.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from plans import services
from plans.kinds import KINDS
from plans.models import Measure, PlanVersion, VersionStatus
from plans.templatetags.plan_tags import in_kind, level_label
from plans.words import Words, words_for
from tests.consultations.conftest import open_consultation
from tests.factories import FundingSourceFactory


def make_plan(user, kind):
    plan = services.plan_create(
        user=user,
        title=f"Planas {kind}",
        municipality="Kauno rajono savivaldybė",
        period_start=2025,
        period_end=2027,
        kind=kind,
    )
    version = plan.versions.get()
    for number in (1, 2):
        top = services.node_create(
            user=user, level="priority", parent=version, title=f"Viršus {number}"
        )
        goal = services.node_create(user=user, level="goal", parent=top, title="Tikslas")
        task = services.node_create(user=user, level="task", parent=goal, title="Uždavinys")
        measure = services.node_create(user=user, level="measure", parent=task, title="Priemonė")
    source = FundingSourceFactory(code="SB", name="Savivaldybės biudžetas")
    services.measure_set_funding(
        user=user, measure=measure, lines=[{"year": 2025, "source": source, "amount": "1000.00"}]
    )
    return plan, version


@pytest.fixture
def action(staff_user):
    return make_plan(staff_user, "action")


@pytest.fixture
def seed(staff_user):
    return make_plan(staff_user, "spp_2013")


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


# "Priority" or "priorities" as a word, not in a class name, an id or a URL
# (``node-priority``, ``id="priority-3-heading"``, ``/priorities/``: the
# contract's names stay).
PRIORITY_WORD = re.compile(r"""(?<![-/_."#\w])[Pp]riorit""")


def speaks_programmes(html, *, names_them=True):
    """No priority in Lithuanian or English; a programme, if the page names the top level.

    Sentences added for the action plan's words read in English until their
    Lithuanian arrives in locale/ ("Programmes, goals, tasks and measures").
    """
    if names_them:
        assert "rogram" in html, html  # Programa, programą, programme …
    assert "rioritet" not in html  # neither "Prioritetas" nor "prioritetų"
    assert not PRIORITY_WORD.search(html), PRIORITY_WORD.search(html)


# --- The helper -----------------------------------------------------------------------


def test_words_name_each_level_as_the_kind_does():
    action, seed = words_for("action"), words_for("spp_2013")
    assert str(action.priority.label) == "Programa"
    assert str(action["priority"].plural_label) == "Programos"
    assert str(action.level("priority").add_label) == "Pridėti programą"
    assert action.priority.count(3) == "3 programos"
    assert str(seed.priority.label) == "Prioritetas"
    assert str(action.goal.label) == str(seed.goal.label) == "Tikslas"
    assert action.name("priority") == "programa"
    assert seed.name("priority") == "prioritetas"
    with translation.override("en"):
        assert action.phrase("top_funding_caption", code="01") == (
            "Funding of programme 01 by year and source, EUR"
        )
        assert seed.phrase("no_top") == "This version has no priorities yet."


def test_words_for_a_plan_a_version_a_node_and_a_kind_are_the_same_object(action):
    plan, version = action
    node = version.priorities.first()
    assert words_for(plan) is words_for(version) is words_for(node) is words_for(KINDS["action"])
    assert isinstance(words_for(None), Words) and words_for(None).kind.name == "spp_2013"


def test_template_helpers_take_a_level_name_or_a_level(action):
    plan, version = action
    assert str(in_kind("priority", plan).label) == "Programa"
    assert str(in_kind(version.priorities.first().tree_level, version).plural_label) == "Programos"
    assert in_kind("nonsense", plan) is None
    assert str(level_label(plan, "priority", "plural_label")) == "Programos"


# --- Pages of an action plan ---------------------------------------------------------


def test_the_plan_and_version_pages_of_an_action_plan(action, staff_client):
    plan, version = action
    for url in (reverse("plans:plan", args=[plan.pk]), reverse("plans:version", args=[version.pk])):
        html = page(staff_client, url)
        speaks_programmes(html)
        assert "Strateginis veiklos planas" in html  # the kind, with its description
        assert "Trejų metų strateginis veiklos planas" in html


def test_the_node_and_budget_pages_of_an_action_plan(action, staff_client):
    _, version = action
    top = version.priorities.order_by("position").first()
    html = page(staff_client, reverse("plans:priority", args=[version.pk, top.pk]))
    assert '<span class="node-level">Programa</span>' in html
    speaks_programmes(html)
    goal = top.goals.get()
    html = page(staff_client, reverse("plans:goal", args=[version.pk, goal.pk]))
    speaks_programmes(html, names_them=False)
    html = page(staff_client, reverse("plans:budget", args=[version.pk]))
    speaks_programmes(html)


def test_the_outline_editor_of_an_action_plan(action, staff_client):
    _, version = action
    html = page(staff_client, reverse("plans:staff-outline", args=[version.pk]))
    assert "Pridėti programą" in html
    speaks_programmes(html)
    html = page(staff_client, reverse("plans:staff-priority-add", args=[version.pk]))
    speaks_programmes(html)
    top = version.priorities.order_by("position").first()
    for name in ("staff-node-edit", "staff-node-delete", "staff-node-history"):
        html = page(staff_client, reverse(f"plans:{name}", args=["priority", top.pk]))
        assert "rioritet" not in html, name
    # The history names a goal's parent field as the kind does.
    goal = top.goals.get()
    html = page(staff_client, reverse("plans:staff-node-history", args=["goal", goal.pk]))
    assert '<th scope="row">Programa</th>' in html
    speaks_programmes(html)
    html = page(staff_client, reverse("plans:staff-recent-changes", args=[version.pk]))
    speaks_programmes(html)
    html = page(staff_client, reverse("plans:staff-version-delete", args=[version.pk]))
    assert "2 programos" in html
    speaks_programmes(html)


def test_the_compare_page_of_an_action_plan(action, staff_user, staff_client):
    plan, old = action
    PlanVersion.objects.filter(pk=old.pk).update(status=VersionStatus.APPROVED)
    new = services.version_create_draft(user=staff_user, plan=plan, source=old)
    measure = Measure.objects.filter(version=new).order_by("code").last()
    source = measure.funding.get().source
    services.measure_set_funding(
        user=staff_user, measure=measure, lines=[{"year": 2026, "source": source, "amount": "5"}]
    )
    html = page(staff_client, reverse("plans:compare", args=[new.pk]), against=old.pk)
    assert '<th scope="col">Programa</th>' in html
    speaks_programmes(html)


def test_the_consultation_page_of_an_action_plan(action, staff_user, client):
    _, version = action
    consultation = open_consultation(version, staff_user)
    html = page(client, reverse("consultations:detail", args=[consultation.pk]))
    assert "Programa 01 Viršus 1" in html  # the choice of the part a proposal is about
    speaks_programmes(html)


def test_the_api_names_an_action_plans_levels(action, staff_client):
    plan, version = action
    data = staff_client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert data["kind"] == "action"
    assert data["levels"] == ["Programa", "Tikslas", "Uždavinys", "Priemonė"]
    # The contract's names stay: a programme is still a "priority" there.
    response = staff_client.get("/api/v1/priorities/", {"version": version.pk})
    assert response.status_code == 200
    assert "rioritet" not in response.content.decode()


def test_an_action_plans_measure_kind_reads_in_lithuanian(action, staff_client):
    _, version = action
    measure = Measure.objects.filter(version=version).order_by("code").first()
    html = page(staff_client, reverse("plans:measure", args=[version.pk, measure.pk]))
    assert "Pažangos priemonė" in html


# --- The seed's plans keep their words ----------------------------------------------------


def test_a_seed_plan_still_says_priority(seed, staff_client):
    plan, version = seed
    top = version.priorities.order_by("position").first()
    for url in (
        reverse("plans:version", args=[version.pk]),
        reverse("plans:priority", args=[version.pk, top.pk]),
        reverse("plans:budget", args=[version.pk]),
        reverse("plans:staff-outline", args=[version.pk]),
    ):
        html = page(staff_client, url)
        assert "Prioritet" in html, url
        assert "Programa" not in html, url
    assert "Pridėti prioritetą" in page(
        staff_client, reverse("plans:staff-outline", args=[version.pk])
    )


# --- No query for the words -------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda version: reverse("plans:version", args=[version.pk]),
        lambda version: reverse("plans:budget", args=[version.pk]),
        lambda version: reverse("plans:staff-outline", args=[version.pk]),
        lambda version: reverse(
            "plans:priority", args=[version.pk, version.priorities.order_by("position")[0].pk]
        ),
    ],
)
def test_an_action_plans_pages_ask_no_more_queries_than_a_seed_plans(
    action, seed, staff_client, url_of, settings
):
    # The same procedure for both kinds: an action plan's draft must have had
    # a consultation before the council, which the outline's submit box asks
    # the database (one query). That is the procedure's cost, not the words'.
    settings.PLANPORTAL_PROCEDURE = {
        "consultation_before_council": {"spp_2013": False, "development": False, "action": False}
    }
    assert count_queries(staff_client, url_of(action[1])) == count_queries(
        staff_client, url_of(seed[1])
    )
