"""The staff plan editor in the browser: dashboard, outline, node pages."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    Measure,
    Plan,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def staff(staff_client):
    staff_client.cookies["planportal_language"] = "en"
    return staff_client


def outline_url(version):
    return reverse("plans:staff-outline", args=[version.pk])


def node_url(name, node):
    return reverse(f"plans:staff-{name}", args=[type(node).__name__.lower(), node.pk])


def first_measure(version, code="A.1.1.1"):
    return Measure.objects.get(version=version, code=code)


# --- Dashboard ---------------------------------------------------------------------


def test_dashboard_lists_plans_with_their_versions(staff, draft_version, approved_version):
    response = staff.get(reverse("plans:staff-dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert draft_version.plan.title in html
    assert approved_version.plan.title in html
    assert outline_url(draft_version) in html
    assert reverse("plans:staff-version-delete", args=[draft_version.pk]) in html
    # An approved version cannot be deleted, so it offers no delete link.
    assert reverse("plans:staff-version-delete", args=[approved_version.pk]) not in html


def test_staff_creates_a_plan_with_an_empty_first_draft(staff):
    response = staff.post(
        reverse("plans:staff-plan-new"),
        {
            "kind": "spp_2013",
            "start": "empty",
            "title": "Strateginis plėtros planas 2021–2030",
            "municipality": "Kauno rajono savivaldybė",
            "period_start": "2021",
            "period_end": "2030",
            "numbering": "digits",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="Strateginis plėtros planas 2021–2030")
    assert plan.numbering == "digits"
    assert list(plan.versions.values_list("number", "status")) == [(1, VersionStatus.DRAFT)]


def test_a_plan_whose_period_ends_before_it_starts_is_refused_next_to_the_field(staff):
    response = staff.post(
        reverse("plans:staff-plan-new"),
        {
            "kind": "spp_2013",
            "start": "empty",
            "title": "X",
            "municipality": "M",
            "period_start": "2030",
            "period_end": "2021",
            "numbering": "letters",
        },
    )
    assert response.status_code == 400
    assert not Plan.objects.filter(title="X").exists()
    html = response.content.decode()
    assert 'id="id_period_end_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#id_period_end"' in html  # the error summary links to the field


def test_new_draft_is_a_copy_of_the_version_in_force(staff, approved_version):
    response = staff.post(reverse("plans:staff-draft-create", args=[approved_version.plan.pk]))
    draft = PlanVersion.objects.get(plan=approved_version.plan, status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert response.url == outline_url(draft)
    assert draft.based_on == approved_version
    assert (
        Measure.objects.filter(version=draft).count()
        == Measure.objects.filter(version=approved_version).count()
    )


def test_deleting_a_draft_asks_first_then_deletes_it(staff, draft_version):
    url = reverse("plans:staff-version-delete", args=[draft_version.pk])
    confirm = staff.get(url)
    assert confirm.status_code == 200
    assert PlanVersion.objects.filter(pk=draft_version.pk).exists()
    response = staff.post(url)
    assert response.status_code == 302
    assert not PlanVersion.objects.filter(pk=draft_version.pk).exists()


def test_an_approved_version_cannot_be_deleted(staff, approved_version):
    response = staff.post(reverse("plans:staff-version-delete", args=[approved_version.pk]))
    assert response.status_code == 409
    assert PlanVersion.objects.filter(pk=approved_version.pk).exists()


# --- Outline -------------------------------------------------------------------------


def test_outline_shows_the_whole_tree_with_codes_and_edit_controls(staff, draft_version):
    response = staff.get(outline_url(draft_version))
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("A", "B.2", "A.1.2", "B.2.2.2"):
        assert f'<span class="node-code">{code}</span>' in html
    assert 'name="direction" value="up"' in html
    assert reverse("plans:staff-priority-add", args=[draft_version.pk]) in html
    assert 'role="status"' in html


def test_outline_of_an_approved_version_is_read_only(staff, approved_version):
    response = staff.get(outline_url(approved_version))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="read-only-notice"' in html
    assert 'name="direction"' not in html
    assert "hx-get" not in html.split('id="outline"', 1)[1]


def test_outline_runs_the_same_number_of_queries_when_the_plan_grows_fivefold(staff_client):
    small = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(small, priorities=1, goals=2, tasks=1, measures=2)
    large = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(large, priorities=5, goals=2, tasks=1, measures=2)
    staff_client.get(outline_url(small))  # warm up the session and caches

    # Each read renders (the page cache emptied): what a render costs.
    cache.clear()
    with CaptureQueriesContext(connection) as small_queries:
        assert staff_client.get(outline_url(small)).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as large_queries:
        response = staff_client.get(outline_url(large))
    assert response.status_code == 200
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )
    assert len(large_queries) == len(small_queries)


def test_adding_a_measure_first_renumbers_its_siblings_at_once(staff, draft_version):
    task = Task.objects.get(version=draft_version, code="A.1.1")
    old_first = first_measure(draft_version)
    response = staff.post(
        reverse("plans:staff-node-add", args=["task", task.pk]),
        {
            f"add-task-{task.pk}-title": "Neveronių gatvių apšvietimas",
            f"add-task-{task.pk}-description": "",
            f"add-task-{task.pk}-position": str(old_first.position),
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#outline"
    html = response.content.decode()
    new = Measure.objects.get(version=draft_version, title="Neveronių gatvių apšvietimas")
    assert new.code == "A.1.1.1"
    old_first.refresh_from_db()
    assert old_first.code == "A.1.1.2"
    # The fragment already shows the new codes and announces the change.
    assert f'id="node-measure-{new.pk}" tabindex="-1" data-autofocus' in html
    assert 'id="outline-status" hx-swap-oob="innerHTML"' in html
    assert "A.1.1.1" in html.split('id="outline-status"')[1]


def test_adding_without_javascript_redirects_back_to_the_new_node(staff, draft_version):
    response = staff.post(
        reverse("plans:staff-priority-add", args=[draft_version.pk]),
        {"title": "Aplinkos kokybės gerinimas", "position": ""},
    )
    new = Priority.objects.get(version=draft_version, title="Aplinkos kokybės gerinimas")
    assert new.code == "C"
    assert response.status_code == 302
    assert response.url == f"{outline_url(draft_version)}#node-priority-{new.pk}"


def test_a_node_without_a_title_is_refused_and_what_was_typed_is_kept(staff, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.1")
    prefix = f"add-goal-{goal.pk}"
    response = staff.post(
        reverse("plans:staff-node-add", args=["goal", goal.pk]),
        {f"{prefix}-title": "   ", f"{prefix}-description": "Aprašymas, kurio negalima prarasti"},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aprašymas, kurio negalima prarasti" in html
    assert f'id="id_{prefix}-title_error"' in html
    assert Task.objects.filter(goal=goal).count() == 2


def test_inline_edit_changes_the_title_and_returns_the_outline(staff, draft_version):
    goal = Goal.objects.get(version=draft_version, code="B.1")
    url = node_url("node-edit", goal)
    form = staff.get(url, **HTMX)
    assert form.status_code == 200
    assert f'name="edit-goal-{goal.pk}-title"' in form.content.decode()
    response = staff.post(
        url,
        {
            f"edit-goal-{goal.pk}-title": "Parengti ir taikyti aplinkos kokybės priemones",
            f"edit-goal-{goal.pk}-description": "",
            f"edit-goal-{goal.pk}-revision": str(goal.revision),
        },
        **HTMX,
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.title == "Parengti ir taikyti aplinkos kokybės priemones"
    assert "Parengti ir taikyti aplinkos kokybės priemones" in response.content.decode()


def test_move_up_swaps_codes_with_the_previous_sibling(staff, draft_version):
    first = Goal.objects.get(version=draft_version, code="A.1")
    second = Goal.objects.get(version=draft_version, code="A.2")
    response = staff.post(node_url("node-move", second), {"direction": "up"}, **HTMX)
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.code, first.code) == ("A.1", "A.2")
    assert Task.objects.filter(goal=second, code="A.1.1").exists()


def test_move_down_without_javascript_redirects_to_the_outline(staff, draft_version):
    measure = first_measure(draft_version)
    response = staff.post(node_url("node-move", measure), {"direction": "down"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.code == "A.1.1.2"


def test_a_measure_moves_to_another_task_at_its_end(staff, draft_version):
    measure = first_measure(draft_version)
    target = Task.objects.get(version=draft_version, code="B.2.2")
    page = staff.get(node_url("node-move", measure))
    assert "B.2.2" in page.content.decode()
    response = staff.post(node_url("node-move", measure), {"place": f"{target.pk}:3"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.task == target
    assert measure.code == "B.2.2.3"
    assert Measure.objects.get(version=draft_version, code="A.1.1.1").pk != measure.pk


def test_the_move_form_offers_every_place_among_each_parents_items(staff, draft_version):
    measure = first_measure(draft_version)
    target = Task.objects.get(version=draft_version, code="B.2.2")
    html = staff.get(node_url("node-move", measure), **HTMX).content.decode()
    first_there = Measure.objects.get(version=draft_version, code="B.2.2.1")
    assert f'<optgroup label="B.2.2 {target.title}">' in html
    assert f'value="{target.pk}:1">Before B.2.2.1 {first_there.title}<' in html
    assert f'value="{target.pk}:3">At the end, after B.2.2.2' in html
    # Where the measure is now is chosen to begin with, and says so.
    assert f'value="{measure.task_id}:1" selected>' in html
    assert "(where it is now)" in html


def test_a_measure_moves_to_a_chosen_position_under_another_task(staff, draft_version):
    measure = first_measure(draft_version)
    left_behind = Measure.objects.get(version=draft_version, code="A.1.1.2")
    target = Task.objects.get(version=draft_version, code="B.2.2")
    was_first = Measure.objects.get(version=draft_version, code="B.2.2.1")
    response = staff.post(
        node_url("node-move", measure),
        {f"move-measure-{measure.pk}-place": f"{target.pk}:1"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#outline"
    html = response.content.decode()
    assert "now B.2.2.1" in html.split('id="outline-status"')[1]
    assert f'id="node-measure-{measure.pk}" tabindex="-1" data-autofocus' in html
    for node in (measure, left_behind, was_first):
        node.refresh_from_db()
    assert (measure.task_id, measure.code) == (target.pk, "B.2.2.1")
    assert was_first.code == "B.2.2.2"
    assert left_behind.code == "A.1.1.1"


def test_a_priority_moves_to_a_chosen_position_from_its_menu(staff, draft_version):
    first = Priority.objects.get(version=draft_version, code="A")
    page = staff.get(node_url("node-move", first))
    assert page.status_code == 200
    response = staff.post(node_url("node-move", first), {"place": "0:2"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.code == "B"
    assert Goal.objects.filter(priority=first, code="B.1").exists()


def test_a_place_that_is_not_offered_is_refused_and_nothing_moves(staff, draft_version):
    measure = first_measure(draft_version)
    response = staff.post(node_url("node-move", measure), {"place": "999999:1"})
    assert response.status_code == 400
    assert "error" in response.content.decode()
    measure.refresh_from_db()
    assert measure.code == "A.1.1.1"


def test_outline_rows_keep_edit_and_add_and_put_the_rest_in_a_menu(staff, draft_version):
    html = staff.get(outline_url(draft_version)).content.decode()
    goal = Goal.objects.get(version=draft_version, code="A.1")
    row = html.split(f'id="node-goal-{goal.pk}"', 1)[1].split('class="node-slot"', 1)[0]
    menu = row.split('<details class="node-menu">', 1)[1]
    assert 'hx-get="' + node_url("node-edit", goal) + '"' in row.split("<details", 1)[0]
    assert 'hx-get="' + node_url("node-add", goal) + '"' in row.split("<details", 1)[0]
    for action in ("node-move", "node-delete", "node-history"):
        assert node_url(action, goal) in menu
    assert 'name="direction" value="up"' in menu
    # Each level with items under it folds, by a button naming what it folds.
    assert (
        f'<button type="button" class="node-toggle" aria-expanded="true" '
        f'aria-controls="children-goal-{goal.pk}">' in html
    )
    assert f'<ol id="children-goal-{goal.pk}">' in html
    assert f'data-code="A.1" data-key="{goal.key}"' in html
    assert '<datalist id="outline-codes">' in html


def test_go_to_a_code_without_javascript_lands_on_its_line(staff, draft_version):
    task = Task.objects.get(version=draft_version, code="B.2.2")
    response = staff.get(outline_url(draft_version), {"goto": " b.2.2. "})
    assert response.status_code == 302
    assert response["Location"] == f"{outline_url(draft_version)}#node-task-{task.pk}"
    response = staff.get(outline_url(draft_version), {"goto": "Z.9"})
    assert response.status_code == 200
    assert "No item has the code Z.9." in response.content.decode()


def test_deleting_a_goal_says_how_much_goes_with_it(staff, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.1")
    confirm = staff.get(node_url("node-delete", goal), **HTMX)
    html = confirm.content.decode()
    assert "2 tasks" in html
    assert "4 measures" in html
    assert Goal.objects.filter(pk=goal.pk).exists()
    response = staff.post(node_url("node-delete", goal), **HTMX)
    assert response.status_code == 200
    assert not Goal.objects.filter(pk=goal.pk).exists()
    assert list(
        Goal.objects.filter(version=draft_version, priority=goal.priority).values_list(
            "code", flat=True
        )
    ) == ["A.1"]


def test_changes_to_an_approved_version_are_refused_with_409(staff, approved_version):
    task = Task.objects.filter(version=approved_version).first()
    response = staff.post(
        reverse("plans:staff-node-add", args=["task", task.pk]),
        {f"add-task-{task.pk}-title": "Nauja priemonė"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "cannot be changed" in response.content.decode()
    assert not Measure.objects.filter(title="Nauja priemonė").exists()
    goal = Goal.objects.filter(version=approved_version).last()
    response = staff.post(node_url("node-move", goal), {"direction": "up"})
    assert response.status_code == 409
    response = staff.post(node_url("node-delete", goal))
    assert response.status_code == 409
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_vision_is_saved_and_a_stale_form_is_a_conflict_that_keeps_the_typed_text(
    staff, draft_version
):
    url = reverse("plans:staff-vision", args=[draft_version.pk])
    opened_at = draft_version.revision
    assert (
        staff.post(url, {"vision": "Pirmoji", "label": "", "revision": opened_at}).status_code
        == 302
    )
    response = staff.post(url, {"vision": "Antroji, mano", "label": "", "revision": opened_at})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this item" in html
    assert "Pirmoji" in html and "Antroji, mano" in html
    draft_version.refresh_from_db()
    assert draft_version.vision == "Pirmoji"
    assert f'name="revision" value="{draft_version.revision}"' in html
    # Saving again on purpose overwrites.
    staff.post(url, {"vision": "Antroji, mano", "label": "", "revision": draft_version.revision})
    draft_version.refresh_from_db()
    assert draft_version.vision == "Antroji, mano"


# --- The node edit page -----------------------------------------------------------------


def measure_post(measure, **overrides):
    data = {
        "title": measure.title,
        "description": measure.description,
        "revision": str(measure.revision),
        "kind": measure.kind,
        "responsible_unit": str(measure.responsible_unit_id or ""),
        "start_year": str(measure.start_year or ""),
        "end_year": str(measure.end_year or ""),
    }
    data.update(overrides)
    return data


def test_add_an_indicator_saves_what_was_typed_first(staff, draft_version):
    measure = first_measure(draft_version)
    unit = factories.UnitFactory(name="Vietinio ūkio skyrius")
    data = measure_post(
        measure,
        responsible_unit=str(unit.pk),
        start_year="2016",
        end_year="2019",
        add_indicator="1",
    )
    response = staff.post(node_url("node-edit", measure), data)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "plans:staff-indicator-add", args=["measure", measure.pk]
    )
    measure.refresh_from_db()
    assert (measure.responsible_unit, measure.start_year, measure.end_year) == (unit, 2016, 2019)


def test_add_an_indicator_with_a_mistake_keeps_the_page_with_what_was_typed(staff, draft_version):
    measure = first_measure(draft_version)
    data = measure_post(measure, start_year="2019", end_year="2016", add_indicator="1")
    response = staff.post(node_url("node-edit", measure), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2019"' in html and 'value="2016"' in html
    # The form says it holds unsaved input, so leaving the page asks first.
    assert 'id="node-form" novalidate data-unsaved-pending' in html
    assert "js/unsaved.js" in html


def test_measure_page_shows_funding_totals_by_year_and_source(staff, draft_version):
    measure = first_measure(draft_version)
    response = staff.get(node_url("node-edit", measure))
    assert response.status_code == 200
    html = response.content.decode()
    # The funding is edited on its grid; the page shows what is saved.
    assert reverse("plans:staff-measure-funding", args=[measure.pk]) in html
    assert "funding-TOTAL_FORMS" not in html
    # Two sources of 10 000,00 in 2016: a grand total of 20 000,00.
    assert 'id="funding-grand-total">20,000.00<' in html


def test_measure_fields_are_saved_and_the_funding_is_kept(staff_client, draft_version):
    staff = staff_client
    measure = first_measure(draft_version)
    funding = sorted(FundingLine.objects.filter(measure=measure).values_list("year", "amount"))
    co_unit = factories.UnitFactory(name="Garliavos seniūnija")
    data = measure_post(
        measure,
        title="Modulinis darželis Garliavoje",
        kind="continuing",
        co_executors=[str(co_unit.pk)],
        start_year="2015",
        end_year="2018",
    )
    response = staff.post(node_url("node-edit", measure), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    measure.refresh_from_db()
    assert measure.title == "Modulinis darželis Garliavoje"
    assert measure.kind == "continuing"
    assert (measure.start_year, measure.end_year) == (2015, 2018)
    assert list(measure.co_executors.all()) == [co_unit]
    assert (
        sorted(FundingLine.objects.filter(measure=measure).values_list("year", "amount")) == funding
    )


def test_years_that_leave_saved_funding_outside_are_refused_and_keep_the_input(
    staff_client, draft_version
):
    measure = first_measure(draft_version)  # funded in 2016
    data = measure_post(measure, title="Naujas pavadinimas", start_year="2017")
    response = staff_client.post(node_url("node-edit", measure), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        "Priemonė turi 2016 m. finansavimą už laikotarpio 2017–2020 ribų: "
        "pirmiausia pašalinkite tą finansavimą."
    ) in html
    assert "Naujas pavadinimas" in html
    measure.refresh_from_db()
    assert (measure.title != "Naujas pavadinimas", measure.start_year) == (True, 2014)


def test_measure_edit_conflict_shows_both_versions_and_keeps_what_was_typed(
    staff, draft_version, staff_user
):
    from plans import services

    measure = first_measure(draft_version)
    opened = measure_post(measure, title="Mano pavadinimas", description="Mano aprašymas")
    services.node_update(
        user=staff_user, node=measure, revision=measure.revision, title="Kolegos pavadinimas"
    )
    response = staff.post(node_url("node-edit", measure), opened)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this item" in html
    assert "Kolegos pavadinimas" in html
    assert 'value="Mano pavadinimas"' in html
    assert "Mano aprašymas" in html
    measure.refresh_from_db()
    assert measure.title == "Kolegos pavadinimas"
    assert f'name="revision" value="{measure.revision}"' in html
    # Submitting the kept form again overwrites deliberately.
    opened["revision"] = str(measure.revision)
    assert staff.post(node_url("node-edit", measure), opened).status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Mano pavadinimas"


def test_inline_edit_conflict_is_shown_in_place(staff, draft_version, staff_user):
    from plans import services

    task = Task.objects.get(version=draft_version, code="A.2.1")
    prefix = f"edit-task-{task.pk}"
    stale = task.revision
    services.node_update(user=staff_user, node=task, revision=stale, title="Kolegos")
    response = staff.post(
        node_url("node-edit", task),
        {f"{prefix}-title": "Mano", f"{prefix}-description": "", f"{prefix}-revision": str(stale)},
        **HTMX,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kolegos" in html and 'value="Mano"' in html
    task.refresh_from_db()
    assert f'name="{prefix}-revision" value="{task.revision}"' in html


# --- Indicators -------------------------------------------------------------------------


def indicator_post(**fields):
    data = {
        "kind": "output",
        "name": "Išvalyti sąvartynai",
        "unit": "vnt.",
        "baseline_value": "0",
        "baseline_year": "2013",
        "data_source": "Savivaldybės duomenys",
        "direction": "increase",
        "revision": "",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    targets = fields.pop("targets", [])
    data["targets-TOTAL_FORMS"] = str(len(targets))
    for index, (year, value) in enumerate(targets):
        data[f"targets-{index}-year"] = str(year)
        data[f"targets-{index}-value"] = value
    data.update(fields)
    return data


def test_indicator_form_defaults_to_the_levels_kind(staff, draft_version):
    goal = Goal.objects.get(version=draft_version, code="A.1")
    response = staff.get(node_url("indicator-add", goal))
    assert '<option value="effect" selected>' in response.content.decode()


def test_staff_adds_an_indicator_with_targets_to_a_measure(staff, draft_version):
    measure = first_measure(draft_version)
    response = staff.post(
        node_url("indicator-add", measure), indicator_post(targets=[(2017, "20"), (2020, "40.5")])
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(measure=measure, name="Išvalyti sąvartynai")
    assert list(indicator.targets.values_list("year", "value")) == [
        (2017, Decimal("20")),
        (2020, Decimal("40.5")),
    ]
    page = staff.get(node_url("node-edit", measure)).content.decode()
    assert "Išvalyti sąvartynai" in page


def test_indicator_targets_with_the_same_year_twice_are_refused(staff, draft_version):
    measure = first_measure(draft_version)
    response = staff.post(
        node_url("indicator-add", measure), indicator_post(targets=[(2020, "1"), (2020, "2")])
    )
    assert response.status_code == 400
    assert "two target values" in response.content.decode()
    assert not Indicator.objects.filter(name="Išvalyti sąvartynai").exists()


def test_indicator_edit_conflict_keeps_the_typed_values(staff, draft_version, staff_user):
    from plans import services

    indicator = Indicator.objects.filter(version=draft_version, measure__isnull=False).first()
    stale = indicator.revision
    services.indicator_save(
        user=staff_user, indicator=indicator, revision=stale, name="Kolegos rodiklis"
    )
    url = reverse("plans:staff-indicator-edit", args=[indicator.pk])
    response = staff.post(url, indicator_post(name="Mano rodiklis", revision=str(stale)))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Kolegos rodiklis" in html and 'value="Mano rodiklis"' in html
    indicator.refresh_from_db()
    assert indicator.name == "Kolegos rodiklis"


def test_deleting_an_indicator_asks_first(staff, draft_version):
    indicator = Indicator.objects.filter(version=draft_version).first()
    url = reverse("plans:staff-indicator-delete", args=[indicator.pk])
    assert staff.get(url).status_code == 200
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert staff.post(url).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


# --- Permissions ------------------------------------------------------------------------


def staff_urls(version, measure, indicator):
    return [
        ("get", reverse("plans:staff-dashboard")),
        ("get", reverse("plans:staff-plan-new")),
        ("post", reverse("plans:staff-plan-new")),
        ("post", reverse("plans:staff-draft-create", args=[version.plan.pk])),
        ("get", reverse("plans:staff-version-delete", args=[version.pk])),
        ("post", reverse("plans:staff-version-delete", args=[version.pk])),
        ("get", outline_url(version)),
        ("post", reverse("plans:staff-vision", args=[version.pk])),
        ("post", reverse("plans:staff-priority-add", args=[version.pk])),
        ("get", reverse("plans:staff-recent-changes", args=[version.pk])),
        ("get", node_url("node-edit", measure)),
        ("post", node_url("node-edit", measure)),
        ("post", node_url("node-add", measure.task)),
        ("post", node_url("node-move", measure)),
        ("post", node_url("node-delete", measure)),
        ("get", node_url("node-history", measure)),
        ("post", node_url("indicator-add", measure)),
        ("get", reverse("plans:staff-indicator-edit", args=[indicator.pk])),
        ("post", reverse("plans:staff-indicator-delete", args=[indicator.pk])),
    ]


@pytest.mark.parametrize("role", ["anonymous", "resident", "council"])
def test_only_staff_can_use_the_editor(
    role, client, resident_client, council_client, draft_version
):
    measure = first_measure(draft_version)
    indicator = Indicator.objects.filter(measure=measure).first()
    user_client = {"anonymous": client, "resident": resident_client, "council": council_client}[
        role
    ]
    before = (Measure.objects.count(), PlanVersion.objects.count(), Indicator.objects.count())
    for method, url in staff_urls(draft_version, measure, indicator):
        response = getattr(user_client, method)(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")), url
        else:
            assert response.status_code == 403, url
    assert (
        Measure.objects.count(),
        PlanVersion.objects.count(),
        Indicator.objects.count(),
    ) == before


def test_staff_can_open_every_page_of_the_editor(staff, draft_version):
    measure = first_measure(draft_version)
    indicator = Indicator.objects.filter(measure=measure).first()
    for method, url in staff_urls(draft_version, measure, indicator):
        if method == "get":
            assert staff.get(url).status_code == 200, url


def test_unknown_levels_and_nodes_are_404(staff, draft_version):
    assert staff.get("/staff/nodes/vision/1/").status_code == 404
    assert staff.get(reverse("plans:staff-node-edit", args=["goal", 999999])).status_code == 404
    assert staff.get(reverse("plans:staff-outline", args=[999999])).status_code == 404
