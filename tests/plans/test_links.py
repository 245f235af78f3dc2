"""Links between plans: an action plan's measures implement the development plan.

The refusals of the services, the development plan's node pages and the
staff list of what is left unimplemented, the editor's picker, the API, and
query counts that hold as both plans grow.
"""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.kinds import PlanKind
from plans.models import Goal, Measure, MeasureLink, PlanVersion, Task, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def make_plan(user, kind, **extra):
    return services.plan_create(
        user=user,
        title=extra.pop("title", f"Planas {kind}"),
        municipality="Kauno rajono savivaldybė",
        # Near the factories' years (2014–2020), which the services check.
        period_start=2018,
        period_end=2027,
        kind=kind,
        **extra,
    )


def approve(version):
    PlanVersion.objects.filter(plan=version.plan, status=VersionStatus.APPROVED).update(
        status=VersionStatus.SUPERSEDED
    )
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


def link(measure, node, position=1):
    level = "goal" if isinstance(node, Goal) else "task"
    MeasureLink(measure=measure, level=level, key=node.key, position=position).save()


def linked_plans(user, *, priorities=1, title="Veiklos planas"):
    """A development plan in force and an action plan in force whose every
    measure implements a task of it (round robin), with a draft of the action plan."""
    development = make_plan(user, PlanKind.DEVELOPMENT, title=f"Plėtros planas {priorities}")
    dev_version = build_plan_tree(development.versions.get(), priorities=priorities)
    approve(dev_version)
    action = make_plan(user, PlanKind.ACTION, development_plan=development, title=title)
    action_version = build_plan_tree(action.versions.get(), priorities=priorities)
    tasks = list(Task.objects.filter(version=dev_version).order_by("code"))
    measures = list(Measure.objects.filter(version=action_version).order_by("code"))
    for index, measure in enumerate(measures):
        link(measure, tasks[index % len(tasks)])
    approve(action_version)
    draft = services.version_create_draft(user=user, plan=action)
    return dev_version, action_version, draft, tasks


# --- Services -----------------------------------------------------------------------


def action_with_development(user):
    development = make_plan(user, PlanKind.DEVELOPMENT)
    version = development.versions.get()
    priority = services.node_create(user=user, level="priority", parent=version, title="P")
    goal = services.node_create(user=user, level="goal", parent=priority, title="T")
    task = services.node_create(user=user, level="task", parent=goal, title="U")
    action = make_plan(user, PlanKind.ACTION, development_plan=development)
    action_version = action.versions.get()
    a_priority = services.node_create(user=user, level="priority", parent=action_version, title="P")
    a_goal = services.node_create(user=user, level="goal", parent=a_priority, title="T")
    a_task = services.node_create(user=user, level="task", parent=a_goal, title="U")
    return goal, task, a_task


def test_a_continuing_activity_cannot_implement_the_development_plan(staff_user):
    _, task, a_task = action_with_development(staff_user)
    with pytest.raises(ValidationError) as refusal:
        services.node_create(
            user=staff_user,
            level="measure",
            parent=a_task,
            title="Mokyklų išlaikymas",
            kind="continuing",
            implements=[str(task.key)],
        )
    assert "implements" in refusal.value.message_dict
    assert not a_task.measures.exists()


def test_a_measure_with_links_cannot_become_continuing_without_dropping_them(staff_user):
    _, task, a_task = action_with_development(staff_user)
    measure = services.node_create(
        user=staff_user, level="measure", parent=a_task, title="Takas", implements=[task.key]
    )
    with pytest.raises(ValidationError) as refusal:
        services.node_update(user=staff_user, node=measure, kind="continuing")
    assert "kind" in refusal.value.message_dict
    measure.refresh_from_db()
    assert measure.kind == "progress"
    assert measure.links.count() == 1

    # Dropping the links in the same change is fine.
    services.node_update(user=staff_user, node=measure, kind="continuing", implements=[])
    measure.refresh_from_db()
    assert measure.kind == "continuing"
    assert not measure.links.exists()


def test_links_must_name_the_plans_own_development_plan(staff_user):
    _, _, a_task = action_with_development(staff_user)
    other = make_plan(staff_user, PlanKind.DEVELOPMENT, title="Kitas plėtros planas")
    priority = services.node_create(
        user=staff_user, level="priority", parent=other.versions.get(), title="P"
    )
    other_goal = services.node_create(user=staff_user, level="goal", parent=priority, title="T")
    with pytest.raises(ValidationError) as refusal:
        services.node_create(
            user=staff_user, level="measure", parent=a_task, title="M", implements=[other_goal.key]
        )
    assert "implements" in refusal.value.message_dict


# --- The development plan's node page -------------------------------------------------


def test_the_task_page_lists_the_measures_that_implement_it(staff_user, client):
    dev_version, action_version, _, tasks = linked_plans(staff_user)
    task = tasks[0]
    implementing = Measure.objects.filter(version=action_version, links__key=task.key)
    assert implementing.exists()
    response = client.get(f"/versions/{dev_version.pk}/tasks/{task.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="implemented-by"' in html
    for measure in implementing:
        assert measure.title in html
        assert f"/versions/{action_version.pk}/measures/{measure.pk}/" in html
    assert "Veiklos planas" in html
    assert "Statybos skyrius" in html  # the responsible unit


def test_the_public_sees_the_version_in_force_and_staff_also_the_draft(staff_user, staff_client):
    dev_version, _, draft, tasks = linked_plans(staff_user)
    task = tasks[-1]
    draft_measure = Measure.objects.filter(version=draft).order_by("code").first()
    services.node_update(
        user=staff_user, node=draft_measure, implements=[task.key], title="Nauja priemonė X"
    )
    url = f"/versions/{dev_version.pk}/tasks/{task.pk}/"
    public = Client().get(url).content.decode()
    assert "Nauja priemonė X" not in public
    staff = staff_client.get(url).content.decode()
    assert "Nauja priemonė X" in staff
    assert 'class="badge badge-draft"' in staff


def test_the_list_survives_new_versions_of_both_plans(staff_user, client):
    dev_version, action_version, action_draft, tasks = linked_plans(staff_user)
    task = tasks[0]
    title = Measure.objects.filter(version=action_version, links__key=task.key).first().title
    approve(action_draft)
    new_dev = approve(services.version_create_draft(user=staff_user, plan=dev_version.plan))
    new_task = Task.objects.get(version=new_dev, key=task.key)
    html = client.get(f"/versions/{new_dev.pk}/tasks/{new_task.pk}/").content.decode()
    assert title in html
    assert f"/versions/{action_draft.pk}/measures/" in html
    assert f"/versions/{action_version.pk}/measures/" not in html


def test_an_action_plans_measure_page_links_to_what_it_implements(staff_user, client):
    dev_version, action_version, _, tasks = linked_plans(staff_user)
    measure = Measure.objects.filter(version=action_version).order_by("code").first()
    task = Task.objects.get(version=dev_version, key=measure.links.get().key)
    html = client.get(f"/versions/{action_version.pk}/measures/{measure.pk}/").content.decode()
    assert f"/versions/{dev_version.pk}/tasks/{task.pk}/" in html
    assert task.title in html


def test_pages_of_other_kinds_show_no_such_list(client, approved_version):
    goal = Goal.objects.filter(version=approved_version).first()
    html = client.get(f"/versions/{approved_version.pk}/goals/{goal.pk}/").content.decode()
    assert "implemented-by" not in html


# --- Unimplemented goals and tasks -----------------------------------------------------


def test_staff_see_the_goals_and_tasks_no_measure_implements(staff_user, staff_client):
    dev_version, action_version, draft, tasks = linked_plans(staff_user)
    # Only the first task stays implemented in force; the draft implements none.
    PlanVersion.objects.filter(pk=action_version.pk).update(status=VersionStatus.DRAFT)
    MeasureLink.objects.filter(measure__version=action_version).exclude(key=tasks[0].key).delete()
    MeasureLink.objects.filter(measure__version=draft).delete()
    PlanVersion.objects.filter(pk=action_version.pk).update(status=VersionStatus.APPROVED)

    version_page = staff_client.get(f"/versions/{dev_version.pk}/").content.decode()
    url = f"/staff/versions/{dev_version.pk}/unimplemented/"
    assert url in version_page
    response = staff_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    for task in tasks[1:]:
        assert f"/tasks/{task.pk}/" in html
    # The first task is implemented in force but not in the draft: listed too.
    assert f"/tasks/{tasks[0].pk}/" in html
    rows = html.count("<tr>") - 1
    assert rows == len(tasks) + Goal.objects.filter(version=dev_version).count()


def test_the_unimplemented_list_is_for_staff_only(client, resident_client, staff_user):
    dev_version, *_ = linked_plans(staff_user)
    url = f"/staff/versions/{dev_version.pk}/unimplemented/"
    assert resident_client.get(url).status_code == 403
    assert url not in client.get(f"/versions/{dev_version.pk}/").content.decode()


# --- The editor --------------------------------------------------------------------------


def test_the_editor_offers_the_development_plans_goals_and_tasks(staff_user, staff_client):
    dev_version, _, draft, tasks = linked_plans(staff_user)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    url = f"/staff/nodes/measure/{measure.pk}/"
    html = staff_client.get(url).content.decode()
    assert "Appropriation manager" in html or "Asignavimų valdytojas" in html
    for task in tasks:
        assert f'value="{task.key}"' in html
    saved_key = measure.links.get().key
    assert f'value="{saved_key}" id="implements-{saved_key}" checked' in html

    data = {
        "title": measure.title,
        "description": "",
        "revision": measure.revision,
        "kind": "continuing",
        "implements": [str(tasks[1].key)],
        # The years as the form shows them: the saved funding lies within them.
        "start_year": measure.start_year,
        "end_year": measure.end_year,
    }
    refused = staff_client.post(url, data)
    assert refused.status_code == 400
    page = refused.content.decode()
    # What was typed is kept: the new choice stays ticked, the old one unticked.
    assert f'value="{tasks[1].key}" id="implements-{tasks[1].key}" checked' in page
    assert f'value="{saved_key}" id="implements-{saved_key}" checked' not in page

    data["kind"] = "progress"
    assert staff_client.post(url, data).status_code == 302
    assert list(measure.links.values_list("key", flat=True)) == [tasks[1].key]


def test_the_editor_marks_links_to_items_no_longer_in_force(staff_user, staff_client):
    dev_version, _, draft, tasks = linked_plans(staff_user)
    new_dev = services.version_create_draft(user=staff_user, plan=dev_version.plan)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    dropped = Task.objects.get(version=new_dev, key=measure.links.get().key)
    services.node_delete(user=staff_user, node=dropped, expected_revision=None)
    approve(new_dev)
    html = staff_client.get(f"/staff/nodes/measure/{measure.pk}/").content.decode()
    assert "link-stale" in html
    assert f'value="{dropped.key}" id="implements-{dropped.key}" checked' in html


def test_a_development_plans_measure_form_has_no_action_plan_fields(staff_user, staff_client):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT)
    build_plan_tree(development.versions.get(), priorities=1)
    measure = Measure.objects.filter(version__plan=development).first()
    html = staff_client.get(f"/staff/nodes/measure/{measure.pk}/").content.decode()
    assert 'name="appropriation_manager"' not in html
    assert 'name="implements"' not in html
    assert 'name="kind"' not in html
    assert 'name="responsible_unit"' in html


# --- API -----------------------------------------------------------------------------------


def test_the_api_reads_and_writes_kind_implements_and_appropriation_manager(staff_user):
    dev_version, _, draft, tasks = linked_plans(staff_user)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    manager = factories.UnitFactory(name="Finansų skyrius")
    client = Client()
    client.force_login(staff_user)
    url = f"/api/v1/measures/{measure.pk}/"
    body = client.get(url).json()
    assert body["kind"] == "progress"
    assert body["implements"] == [str(measure.links.get().key)]
    assert body["appropriation_manager"] is None

    changed = client.patch(
        url,
        json.dumps({"implements": [str(tasks[1].key)], "appropriation_manager": manager.pk}),
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["implements"] == [str(tasks[1].key)]
    assert changed.json()["appropriation_manager_name"] == "Finansų skyrius"

    refused = client.patch(url, json.dumps({"kind": "continuing"}), content_type="application/json")
    assert refused.status_code == 400

    found = client.get(f"/api/v1/measures/?implements={tasks[1].key}").json()
    assert measure.pk in [row["id"] for row in found["results"]]

    tree = client.get(f"/api/v1/versions/{draft.pk}/tree/").json()
    first = tree["priorities"][0]["goals"][0]["tasks"][0]["measures"][0]
    assert first["implements"] == [str(tasks[1].key)]


def test_the_api_refuses_action_plan_fields_on_a_development_plans_measure(staff_user):
    dev_version, *_ = linked_plans(staff_user)
    draft = services.version_create_draft(user=staff_user, plan=dev_version.plan)
    measure = Measure.objects.filter(version=draft).first()
    client = Client()
    client.force_login(staff_user)
    for body in (
        {"implements": [str(Task.objects.filter(version=draft).first().key)]},
        {"appropriation_manager": factories.UnitFactory().pk},
        {"kind": "continuing"},
    ):
        response = client.patch(
            f"/api/v1/measures/{measure.pk}/", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400, body


def test_the_public_api_filter_sees_only_public_versions(staff_user):
    _, action_version, draft, tasks = linked_plans(staff_user)
    found = Client().get(f"/api/v1/measures/?implements={tasks[0].key}").json()
    versions = {row["version"] for row in found["results"]}
    assert versions == {action_version.pk}


def test_the_comparison_shows_added_and_removed_links(staff_user, staff_client):
    _, action_version, draft, tasks = linked_plans(staff_user)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    old_key = measure.links.get().key
    services.node_update(user=staff_user, node=measure, implements=[tasks[-1].key])
    html = staff_client.get(
        f"/versions/{draft.pk}/compare/?against={action_version.pk}"
    ).content.decode()
    old_task = Task.objects.filter(key=old_key).first()
    assert "diff-field-implements" in html
    assert f"{tasks[-1].code} {tasks[-1].title}" in html
    assert f"{old_task.code} {old_task.title}" in html


# --- Query counts --------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def link_urls(dev_version, action_version, draft):
    task = Task.objects.filter(version=dev_version).order_by("code").first()
    goal = task.goal
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    in_force = Measure.objects.filter(version=action_version).order_by("code").first()
    return {
        "action measure": f"/versions/{action_version.pk}/measures/{in_force.pk}/",
        "task": f"/versions/{dev_version.pk}/tasks/{task.pk}/",
        "goal": f"/versions/{dev_version.pk}/goals/{goal.pk}/",
        "unimplemented": f"/staff/versions/{dev_version.pk}/unimplemented/",
        "editor": f"/staff/nodes/measure/{measure.pk}/",
        "api filter": f"/api/v1/measures/?implements={task.key}",
        "api measure": f"/api/v1/measures/{measure.pk}/",
        "compare": f"/versions/{draft.pk}/compare/?against={draft.based_on_id}",
    }


def test_link_pages_run_the_same_queries_as_both_plans_grow_fivefold(
    staff_user, staff_client, resident_client
):
    small = linked_plans(staff_user, priorities=1, title="Mažas")
    large = linked_plans(staff_user, priorities=5, title="Didelis")
    small_links = MeasureLink.objects.filter(measure__version=small[1]).count()
    assert MeasureLink.objects.filter(measure__version=large[1]).count() == 5 * small_links

    small_urls, large_urls = link_urls(*small[:3]), link_urls(*large[:3])
    public_pages = ["task", "goal", "action measure"]
    for client, pages in ((staff_client, small_urls), (resident_client, public_pages)):
        for page in pages:
            cache.clear()
            small_count = queries_for(client, small_urls[page])
            cache.clear()
            large_count = queries_for(client, large_urls[page])
            assert small_count == large_count, page


def test_the_history_shows_the_links_and_the_appropriation_manager(staff_user, staff_client):
    _, _, draft, tasks = linked_plans(staff_user)
    measure = Measure.objects.filter(version=draft).order_by("code").first()
    manager = factories.UnitFactory(name="Finansų skyrius")
    services.node_update(
        user=staff_user, node=measure, implements=[tasks[-1].key], appropriation_manager=manager
    )
    html = staff_client.get(f"/staff/nodes/measure/{measure.pk}/history/").content.decode()
    assert "Finansų skyrius" in html
    named = f"{tasks[-1].code} {tasks[-1].title}"
    assert named in html
    recent = staff_client.get(f"/staff/versions/{draft.pk}/changes/")
    assert recent.status_code == 200
    assert named in recent.content.decode()
