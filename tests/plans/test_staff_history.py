"""The audit trail: a node's history and a version's recent changes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.models import FundingLine, Goal, Indicator, Measure, Priority, Task
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff_client):
    staff_client.cookies["planportal_language"] = "en"
    return staff_client


def test_node_history_shows_who_changed_what_from_what_to_what(staff, staff_user, draft_version):
    measure = Measure.objects.get(version=draft_version, code="A.1.1.1")
    other = factories.UserFactory(username="jonas-kolega", role="staff")
    services.node_update(user=other, node=measure, title="Modulinis darželis Akademijoje")
    sb = FundingLine.objects.filter(measure=measure).select_related("source").first().source
    services.measure_set_funding(
        user=staff_user, measure=measure, lines=[{"year": 2016, "source": sb, "amount": "12345.60"}]
    )
    indicator = Indicator.objects.get(measure=measure)
    services.indicator_save(
        user=staff_user, indicator=indicator, targets=[{"year": 2020, "value": "99"}]
    )
    response = staff.get(reverse("plans:staff-node-history", args=["measure", measure.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # The title change, with both values and who made it (history_user is
    # only recorded through a request; the service call here has none).
    assert "Modulinis darželis Akademijoje" in html
    # The funding amount went from 10,000.00 to 12,345.60; the other source's line was removed.
    assert "10,000.00" in html and "12,345.60" in html
    assert "deleted" in html
    # The 2017 target was removed and the 2020 one changed from 20 to 99.
    assert "Target value 2020" in html
    assert ">99" in html


def test_history_records_the_user_who_made_a_change_in_the_browser(staff, draft_version):
    task = Task.objects.get(version=draft_version, code="A.1.2")
    old_title = task.title
    prefix = f"edit-task-{task.pk}"
    staff.post(
        reverse("plans:staff-node-edit", args=["task", task.pk]),
        {
            f"{prefix}-title": "Sąvartynų sutvarkymas",
            f"{prefix}-description": "",
            f"{prefix}-revision": task.revision,
        },
        HTTP_HX_REQUEST="true",
    )
    html = staff.get(reverse("plans:staff-node-history", args=["task", task.pk])).content.decode()
    entries = html.split('<li class="history-entry">')[1:]
    renamed = [entry for entry in entries if "<td>Sąvartynų sutvarkymas</td>" in entry]
    assert len(renamed) == 1
    assert "staff-member" in renamed[0]
    assert f"<td>{old_title}</td>" in renamed[0]


def change_titles(user, version, count):
    for measure in Measure.objects.filter(version=version).order_by("id")[:count]:
        services.node_update(user=user, node=measure, title=f"{measure.title} (pakeista)")
        services.measure_set_funding(user=user, measure=measure, lines=[])


def test_recent_changes_run_a_fixed_number_of_queries_however_many_changes(
    staff, staff_user, approved_version
):
    # Drafts copied from the version in force start with no history of their
    # own, so each page below holds exactly the changes made here.
    small = services.version_create_draft(user=staff_user, plan=approved_version.plan)
    large = services.version_create_draft(user=staff_user, plan=approved_version.plan)
    change_titles(staff_user, small, 2)
    change_titles(staff_user, large, 10)
    staff.get(reverse("plans:staff-recent-changes", args=[small.pk]))
    with CaptureQueriesContext(connection) as small_queries:
        small_page = staff.get(reverse("plans:staff-recent-changes", args=[small.pk]))
    with CaptureQueriesContext(connection) as large_queries:
        large_page = staff.get(reverse("plans:staff-recent-changes", args=[large.pk]))
    assert small_page.status_code == large_page.status_code == 200
    assert small_page.content.decode().count("(pakeista)</td>") == 2
    assert large_page.content.decode().count("(pakeista)</td>") == 10
    assert len(large_queries) == len(small_queries)


def test_recent_changes_are_newest_first_and_paginated(staff, staff_user, draft_version):
    measures = list(Measure.objects.filter(version=draft_version).order_by("id"))
    for round_ in range(4):
        for measure in measures:
            measure.refresh_from_db()
            services.node_update(user=staff_user, node=measure, description=f"round {round_}")
    url = reverse("plans:staff-recent-changes", args=[draft_version.pk])
    first = staff.get(url).content.decode()
    assert first.index("<td>round 2</td><td>round 3</td>") < first.index(
        "<td>round 1</td><td>round 2</td>"
    )
    assert "?page=2" in first
    second = staff.get(url + "?page=2").content.decode()
    # 16 measures changed 4 times: 50 changes on the first page, the oldest on the second.
    assert "<td>round 0</td>" in second
    assert "<td>round 2</td><td>round 3</td>" not in second
    assert staff.get(url + "?page=nonsense").status_code == 200


def test_recent_changes_include_funding_and_indicators(staff, staff_user, draft_version):
    measure = Measure.objects.get(version=draft_version, code="B.1.1.1")
    source = factories.FundingSourceFactory(
        code="SAARSP", name="Savivaldybės aplinkos apsaugos rėmimo programa"
    )
    services.measure_set_funding(
        user=staff_user,
        measure=measure,
        lines=[{"year": 2018, "source": source, "amount": Decimal("777")}],
    )
    services.indicator_save(user=staff_user, owner=measure, name="Įrengti želdynai", unit="ha")
    html = staff.get(
        reverse("plans:staff-recent-changes", args=[draft_version.pk])
    ).content.decode()
    assert "Funding line 2018 of B.1.1.1" in html
    assert "777.00" in html
    assert "Įrengti želdynai" in html


def history_entries(client, level, node):
    html = client.get(reverse("plans:staff-node-history", args=[level, node.pk])).content.decode()
    return html.split('<li class="history-entry">')[1:]


def test_copied_rows_are_attributed_to_the_copy_not_to_whoever_made_the_draft(
    staff_client, staff_user, approved_version
):
    drafter = factories.UserFactory(username="projekto-kurejas", role="staff")
    draft = services.version_create_draft(user=drafter, plan=approved_version.plan)
    measure = Measure.objects.filter(version=draft).order_by("id").first()
    services.node_update(user=staff_user, node=measure, title="Pakeistas pavadinimas")
    entries = history_entries(staff_client, "measure", measure)
    copied = [e for e in entries if "nukopijuota iš 1 versijos kuriant projektą" in e]
    # The measure, its indicator, two targets and two funding lines came with the copy.
    assert len(copied) == 6
    assert all("projekto-kurejas" not in entry for entry in copied)
    assert not any("sukurta" in entry.split("</p>")[0] for entry in entries)
    # The co-executors came with the copy too: the later title change does not
    # show them as added by the person who changed the title.
    renamed = [e for e in entries if "<td>Pakeistas pavadinimas</td>" in e]
    assert len(renamed) == 1 and "Vykdymo partneriai" not in renamed[0]
    copied_measure = [e for e in copied if "<strong>Priemonė" in e]
    assert (
        '<th scope="row">Vykdymo partneriai</th><td></td><td>Seniūnijos</td>' in (copied_measure[0])
    )


def test_history_names_fields_in_lithuanian_and_figures_as_typed(
    staff_client, staff_user, draft_version
):
    task = Task.objects.filter(version=draft_version).order_by("id").last()
    measure = Measure.objects.filter(version=draft_version).order_by("id").first()
    services.node_save(user=staff_user, node=measure, expected_revision=None, parent=task)
    indicator = Indicator.objects.get(measure=measure)
    services.indicator_save(
        user=staff_user,
        indicator=indicator,
        baseline_value="10.5",
        targets=[{"year": 2020, "value": "1234.5"}],
    )
    html = "".join(history_entries(staff_client, "measure", measure))
    for label in ("Uždavinys", "Pradinė reikšmė", "Siektina reikšmė", "Suma, Eur"):
        assert f'<th scope="row">{label}</th>' in html
    for english in (">Goal<", ">Task<", ">Priority<", ">task<", "eur<"):
        assert english not in html
    assert "<td>10,5</td>" in html and "<td>1\xa0234,5</td>" in html
    assert "10,5000" not in html and ",0000" not in html
    # Money keeps its cents.
    assert "<td>10\xa0000,00</td>" in html


def test_an_action_plans_history_names_the_top_level_in_its_own_word(
    staff_client, staff_user, draft_version
):
    type(draft_version.plan).objects.filter(pk=draft_version.plan_id).update(kind="action")
    goal = Goal.objects.filter(version=draft_version).order_by("id").first()
    other = Priority.objects.filter(version=draft_version).order_by("id").last()
    services.node_save(user=staff_user, node=goal, expected_revision=None, parent=other)
    html = "".join(history_entries(staff_client, "goal", goal))
    assert '<th scope="row">Programa</th>' in html and ">Prioritetas<" not in html
