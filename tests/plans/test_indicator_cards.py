"""The indicator's description card (order 1K-275): edited in the staff editor,
shown on its own public page, read and written through the API, followed by the
comparison of versions and the history."""

import json
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.diff import version_diff
from plans.history import node_history
from plans.kinds import PlanKind
from plans.models import Goal, Indicator, Measure, Task, VersionStatus
from plans.selectors import indicator_detail
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

CARD = {
    "code": "R-01-02",
    "definition": "Sutvarkytų nelegalių atliekų sąvartynų skaičius.",
    "calculation_method": "Sutvarkytų sąvartynų suma per metus.",
    "frequency": "Kasmet, iki kitų metų gegužės 1 d.",
    "responsible_body": "Aplinkos apsaugos skyrius",
    "remarks": "Skaičiuojami tik seniūnijų užregistruoti sąvartynai.",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(staff_client):
    staff_client.cookies["planportal_language"] = "en"
    return staff_client


def set_status(version, status):
    type(version).objects.filter(pk=version.pk).update(status=status)
    version.refresh_from_db()
    return version


def card_url(indicator):
    return reverse("plans:indicator", args=[indicator.version_id, indicator.pk])


def add_url(level, node):
    return reverse("plans:staff-indicator-add", args=[level, node.pk])


def form_post(**fields):
    data = {
        "kind": "output",
        "name": "Sutvarkyti sąvartynai",
        "unit": "vnt.",
        "baseline_value": "0",
        "baseline_year": "2013",
        "data_source": "Savivaldybės duomenys",
        "direction": "increase",
        "revision": "",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-year": "2020",
        "targets-0-value": "12.5",
        **CARD,
    }
    data.update(fields)
    return data


def development_draft():
    plan = factories.PlanFactory(kind=PlanKind.DEVELOPMENT, period_start=2021, period_end=2030)
    version = factories.VersionFactory(plan=plan, status=VersionStatus.DRAFT)
    return build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)


# --- The editor ---------------------------------------------------------------------


def test_the_editor_saves_every_field_of_the_card(staff, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")

    response = staff.post(add_url("measure", measure), form_post())

    assert response.status_code == 302
    indicator = Indicator.objects.get(measure=measure, name="Sutvarkyti sąvartynai")
    for name, value in CARD.items():
        assert getattr(indicator, name) == value, name
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(2020, Decimal("12.5"))]


def test_the_edit_form_shows_the_saved_card_in_its_fieldset(staff, draft_version, staff_user):
    indicator = Indicator.objects.filter(version=draft_version, measure__isnull=False).first()
    services.indicator_save(user=staff_user, indicator=indicator, **CARD)

    html = staff.get(reverse("plans:staff-indicator-edit", args=[indicator.pk])).content.decode()

    assert "<legend>Description card</legend>" in html
    for value in CARD.values():
        assert value in html
    assert 'aria-describedby="id_code_helptext"' in html


def test_an_edit_keeps_the_card_and_changes_only_what_was_typed(staff, draft_version, staff_user):
    indicator = Indicator.objects.filter(version=draft_version, measure__isnull=False).first()
    services.indicator_save(user=staff_user, indicator=indicator, **CARD)
    indicator.refresh_from_db()
    url = reverse("plans:staff-indicator-edit", args=[indicator.pk])

    response = staff.post(
        url, form_post(revision=str(indicator.revision), remarks="", frequency="Kas ketvirtį")
    )

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.remarks, indicator.frequency, indicator.code) == (
        "",
        "Kas ketvirtį",
        "R-01-02",
    )


def test_spp_2013_plans_offer_every_kind_with_the_levels_default_first(staff, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.1")

    form = staff.get(add_url("goal", goal)).context["form"]

    assert [value for value, _label in form.fields["kind"].choices] == [
        "effect",
        "impact",
        "result",
        "output",
    ]
    assert form.fields["kind"].initial == "effect"


@pytest.mark.parametrize(("level", "kind"), [("goal", "effect"), ("task", "result")])
def test_a_development_plan_offers_only_the_levels_kind(staff, level, kind):
    version = development_draft()
    node = {"goal": Goal, "task": Task}[level].objects.get(version=version)

    form = staff.get(add_url(level, node)).context["form"]

    assert [value for value, _label in form.fields["kind"].choices] == [kind]


def test_a_kind_the_plan_does_not_allow_is_a_form_error_and_keeps_what_was_typed(staff):
    version = development_draft()
    measure = Measure.objects.get(version=version)

    response = staff.post(add_url("measure", measure), form_post(kind="impact"))

    assert response.status_code == 400
    assert response.context["form"].has_error("kind")
    html = response.content.decode()
    assert CARD["definition"] in html and 'value="R-01-02"' in html
    assert not Indicator.objects.filter(name="Sutvarkyti sąvartynai").exists()


def test_an_indicator_whose_kind_is_no_longer_allowed_keeps_it_offered_and_is_refused(
    staff, staff_user
):
    # Stored before the plan's kind said otherwise (or imported): the form
    # does not switch it silently, the service says why it refuses.
    version = development_draft()
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).get()
    Indicator.objects.filter(pk=indicator.pk).update(kind="impact")
    url = reverse("plans:staff-indicator-edit", args=[indicator.pk])

    form = staff.get(url).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["output", "impact"]

    response = staff.post(url, form_post(kind="impact", revision=str(indicator.revision)))
    assert response.status_code == 400
    assert "cannot be used here" in response.content.decode()


# --- The public card ---------------------------------------------------------------------


def card_indicator(version):
    """A measure's indicator of ``version`` with the whole card filled in."""
    # Written as into a draft: the guards refuse changes to a frozen version.
    status = version.status
    set_status(version, VersionStatus.DRAFT)
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).first()
    Indicator.objects.filter(pk=indicator.pk).update(**CARD)
    set_status(version, status)
    indicator.refresh_from_db()
    return indicator


def test_the_card_page_shows_every_field_with_its_label_and_the_targets(client, approved_version):
    indicator = card_indicator(approved_version)
    client.cookies["planportal_language"] = "en"

    response = client.get(card_url(indicator))

    assert response.status_code == 200
    html = response.content.decode()
    for label in (
        "Indicator code",
        "Definition",
        "Calculation method",
        "Unit of measure",
        "Data source",
        "Frequency of measurement",
        "Body responsible for the data",
        "Baseline value",
        "Baseline year",
        "Desired direction",
        "Remarks",
    ):
        assert f"<dt>{label}</dt>" in html, label
    for value in CARD.values():
        assert value in html
    assert '<table id="targets"' in html
    assert '<th scope="row">2017</th>' in html and '<th scope="row">2020</th>' in html
    measure = indicator.measure
    assert reverse("plans:measure", args=[approved_version.pk, measure.pk]) in html


def test_empty_fields_of_the_card_say_not_set(client, approved_version):
    indicator = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()
    client.cookies["planportal_language"] = "en"

    html = client.get(card_url(indicator)).content.decode()

    # Code, definition, calculation method, data source, frequency, body, remarks.
    assert html.count('<span class="not-set">Not set</span>') == 7


def test_the_node_page_links_each_indicator_to_its_card(client, approved_version):
    measure = Measure.objects.filter(version=approved_version).first()
    goal = Goal.objects.filter(version=approved_version).first()

    for level, node in (("measure", measure), ("goal", goal)):
        html = client.get(reverse(f"plans:{level}", args=[approved_version.pk, node.pk]))
        for indicator in Indicator.objects.filter(**{level: node}):
            assert f'href="{card_url(indicator)}"' in html.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", 302), ("resident", 403), ("council", 200), ("staff", 200)]
)
def test_a_drafts_card_is_read_only_by_staff_and_council(
    client, resident_client, council_client, staff_client, draft_version, role, expected
):
    clients = {
        "anonymous": client,
        "resident": resident_client,
        "council": council_client,
        "staff": staff_client,
    }
    indicator = card_indicator(draft_version)
    url = card_url(indicator)

    response = clients[role].get(url)

    assert response.status_code == expected
    if expected == 302:
        # Like every page of a draft: the reader may be a council member not yet signed in.
        assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    if expected != 200:
        assert CARD["definition"] not in response.content.decode()


def test_an_indicator_of_another_version_or_none_at_all_is_404(
    client, approved_version, draft_version
):
    other = Indicator.objects.filter(version=draft_version).first()
    assert client.get(f"/versions/{approved_version.pk}/indicators/{other.pk}/").status_code == 404
    assert client.get(f"/versions/{approved_version.pk}/indicators/999999/").status_code == 404


def test_the_card_page_runs_the_same_queries_however_many_targets(
    resident_client, approved_version
):
    few = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()
    many = Indicator.objects.filter(version=approved_version, goal__isnull=False).first()
    # Built as a draft would be; the version's guards refuse writes once approved.
    set_status(approved_version, VersionStatus.DRAFT)
    for year in range(2013, 2031):
        factories.IndicatorTargetFactory(indicator=many, year=year + 100)
    set_status(approved_version, VersionStatus.APPROVED)

    counts = []
    for indicator in (few, many):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert resident_client.get(card_url(indicator)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_card_is_read_in_two_queries_with_its_owner_and_ancestors(
    django_assert_num_queries, approved_version
):
    indicator = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()

    with django_assert_num_queries(2):
        card = indicator_detail(approved_version, indicator.pk)
        codes = [node.code for node in card.ancestors]
        levels = [node.level for node in card.ancestors]

    assert codes == ["A", "A.1", "A.1.1", indicator.measure.code]
    assert levels == ["priority", "goal", "task", "measure"]
    assert card.owner == indicator.measure and card.level == "measure"


def test_a_cached_card_needs_fewer_queries_and_reads_the_same(client, approved_version):
    url = card_url(card_indicator(approved_version))
    with CaptureQueriesContext(connection) as first:
        first_html = client.get(url).content
    with CaptureQueriesContext(connection) as second:
        second_html = client.get(url).content
    assert len(second) < len(first)
    assert second_html == first_html


# --- API ----------------------------------------------------------------------------------


def api(client, method, path, data=None):
    client.cookies["planportal_language"] = "en"
    kwargs = {} if data is None else {"data": json.dumps(data), "content_type": "application/json"}
    return getattr(client, method)(path, **kwargs)


def test_the_api_writes_and_reads_the_card(staff_client, draft_version):
    task = Task.objects.filter(version=draft_version).first()

    created = api(
        staff_client,
        "post",
        "/api/v1/indicators/",
        {"task": task.pk, "name": "Rodiklis su kortele", "unit": "proc.", **CARD},
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {name: body[name] for name in CARD} == CARD

    changed = api(
        staff_client,
        "patch",
        f"/api/v1/indicators/{body['id']}/",
        {"remarks": "", "frequency": "Kas pusmetį", "revision": body["revision"]},
    )
    assert changed.status_code == 200, changed.json()
    read = api(staff_client, "get", f"/api/v1/indicators/{body['id']}/").json()
    assert read == changed.json()
    assert (read["remarks"], read["frequency"], read["code"]) == ("", "Kas pusmetį", "R-01-02")
    indicator = Indicator.objects.get(pk=body["id"])
    assert (indicator.definition, indicator.frequency) == (CARD["definition"], "Kas pusmetį")


def test_the_version_tree_in_the_api_carries_the_card(client, approved_version):
    indicator = card_indicator(approved_version)

    tree = api(client, "get", f"/api/v1/versions/{approved_version.pk}/tree/")

    assert tree.status_code == 200
    text = json.dumps(tree.json(), ensure_ascii=False)
    assert CARD["calculation_method"] in text and indicator.name in text


def test_the_api_refuses_a_card_field_that_is_too_long(staff_client, draft_version):
    indicator = Indicator.objects.filter(version=draft_version).first()

    response = api(staff_client, "patch", f"/api/v1/indicators/{indicator.pk}/", {"code": "K" * 51})

    assert response.status_code == 400
    assert "code" in response.json()


# --- Comparison and history ----------------------------------------------------------------


def test_the_comparison_shows_changed_card_fields(staff_user, approved_version):
    draft = services.version_create_draft(
        user=staff_user, plan=approved_version.plan, source=approved_version
    )
    indicator = Indicator.objects.filter(version=draft, measure__isnull=False).first()
    services.indicator_save(user=staff_user, indicator=indicator, **CARD)

    diff = version_diff(draft, approved_version)

    changes = [
        change
        for node in diff.changed
        for ind in node.indicators
        if ind.key == str(indicator.key)
        for change in ind.changes
    ]
    assert {change.field for change in changes} == set(CARD)
    labels = {change.field: str(change.label) for change in changes}
    assert labels["calculation_method"] == "Skaičiavimo metodas"
    # Long texts are compared word by word.
    assert next(c for c in changes if c.field == "definition").segments is not None


def test_the_history_lists_changes_of_card_fields(staff_user, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    indicator = Indicator.objects.filter(measure=measure).first()
    services.indicator_save(user=staff_user, indicator=indicator, definition="Nauja apibrėžtis")

    entries = node_history("measure", measure)

    changes = [change for entry in entries for change in entry.changes]
    assert any(change.new == "Nauja apibrėžtis" for change in changes)
