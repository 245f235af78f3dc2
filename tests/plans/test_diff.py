"""Comparing two versions of a plan: plans/diff.py, its API endpoint and its page."""

import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from plans import services
from plans.diff import Segment, diff_trees, version_diff, word_diff
from plans.models import (
    FundingSource,
    Indicator,
    Measure,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def approved_with_draft(staff_user, **shape):
    """Version 1 (approved) with a regular tree, and a draft copied from it."""
    old = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(old, **shape)
    PlanVersion.objects.filter(pk=old.pk).update(status=VersionStatus.APPROVED)
    old.refresh_from_db()
    new = services.version_create_draft(user=staff_user, plan=old.plan, source=old)
    return old, new


@pytest.fixture
def versions(staff_user):
    return approved_with_draft(staff_user, priorities=2, goals=1, tasks=2, measures=3)


def get(model, version, code):
    return model.objects.get(version=version, code=code)


def keys(entries):
    return {entry.key for entry in entries}


def changed_by_code(diff):
    return {change.code: change for change in diff.changed}


# --- Worked examples -------------------------------------------------------------------


def test_a_copied_draft_does_not_differ_from_its_source(versions):
    old, new = versions

    diff = version_diff(new, old)

    assert diff.is_empty
    assert diff.counts == {"added": 0, "removed": 0, "moved": 0, "renumbered": 0, "changed": 0}
    assert diff.funding_overall.difference == 0


def test_a_new_measure_is_added_and_a_deleted_one_removed(versions, staff_user):
    old, new = versions
    task = get(Task, new, "A.1.1")
    created = services.node_create(
        user=staff_user, level="measure", parent=task, title="Nauja priemonė"
    )
    deleted = get(Measure, new, "B.1.2.3")
    services.node_delete(user=staff_user, node=deleted)

    diff = version_diff(new, old)

    assert [(e.key, e.code, e.title, e.level) for e in diff.added] == [
        (str(created.key), "A.1.1.4", "Nauja priemonė", "measure")
    ]
    assert [(e.key, e.code, e.level) for e in diff.removed] == [
        (str(deleted.key), "B.1.2.3", "measure")
    ]


def test_added_one_way_is_removed_the_other_way(versions, staff_user):
    old, new = versions
    services.node_create(
        user=staff_user, level="goal", parent=get(Priority, new, "A"), title="Tikslas"
    )
    services.node_delete(user=staff_user, node=get(Task, new, "B.1.1"))

    forward, backward = version_diff(new, old), version_diff(old, new)

    assert keys(forward.added) == keys(backward.removed)
    assert keys(forward.removed) == keys(backward.added)
    assert len(forward.removed) == 1 + 3  # the task and its three measures
    assert {c.key for c in forward.changed} == {c.key for c in backward.changed}


def test_inserting_a_sibling_before_renumbers_later_nodes_without_changing_them(
    versions, staff_user
):
    old, new = versions
    first = get(Measure, new, "A.1.1.1")
    services.node_create(
        user=staff_user, level="measure", parent=first.task, title="Pirmoji priemonė", position=1
    )

    diff = version_diff(new, old)

    changes = changed_by_code(diff)
    assert {code: c.old_code for code, c in changes.items()} == {
        "A.1.1.2": "A.1.1.1",
        "A.1.1.3": "A.1.1.2",
        "A.1.1.4": "A.1.1.3",
    }
    assert all(c.fields == ["code"] for c in diff.changed)
    assert diff.counts == {"added": 1, "removed": 0, "moved": 0, "renumbered": 3, "changed": 0}


def test_swapping_two_siblings_changes_their_position(versions, staff_user):
    old, new = versions
    services.node_move(user=staff_user, node=get(Measure, new, "A.1.1.3"), position=1)

    changes = changed_by_code(version_diff(new, old))

    assert changes["A.1.1.1"].fields == ["code", "position"]
    assert changes["A.1.1.1"].change("position").old == 3
    assert changes["A.1.1.1"].change("position").new == 1


def test_a_measure_moved_to_another_task_is_moved_and_renumbered(versions, staff_user):
    old, new = versions
    measure = get(Measure, new, "A.1.1.2")
    services.node_move(user=staff_user, node=measure, position=1, parent=get(Task, new, "A.1.2"))

    diff = version_diff(new, old)

    moved = next(c for c in diff.changed if c.key == str(measure.key))
    assert (moved.old_code, moved.code) == ("A.1.1.2", "A.1.2.1")
    assert "parent" in moved.fields
    parent = moved.change("parent")
    assert (parent.old, parent.new) == ("A.1.1", "A.1.2")
    assert not diff.added and not diff.removed
    assert diff.counts["moved"] == 1
    assert diff.counts["changed"] == 0


def test_a_changed_title_is_shown_word_by_word(versions, staff_user):
    old, new = versions
    measure = get(Measure, new, "A.1.1.1")
    services.node_update(
        user=staff_user,
        node=measure,
        title=f"{measure.title} ir Neries trasa",
        end_year=2019,
    )

    change = changed_by_code(version_diff(new, old))["A.1.1.1"]

    assert change.fields == ["title", "end_year"]
    assert change.old_title == measure.title
    assert [(s.op, s.text) for s in change.change("title").segments] == [
        ("equal", measure.title),
        ("insert", " ir Neries trasa"),
    ]
    end = change.change("end_year")
    assert (end.old, end.new) == (2020, 2019)


def test_word_diff_marks_only_the_words_that_changed_and_keeps_lithuanian_letters():
    segments = word_diff(
        "Įrengti Nemuno vandens turizmo trasą su poilsiavietėmis",
        "Įrengti Nemuno ir Neries vandens turizmo trasas su poilsiavietėmis",
    )

    assert segments == [
        Segment("equal", "Įrengti Nemuno"),
        Segment("insert", " ir Neries"),
        Segment("equal", " vandens turizmo "),
        Segment("delete", "trasą"),
        Segment("insert", "trasas"),
        Segment("equal", " su poilsiavietėmis"),
    ]


def test_indicator_targets_changed_added_and_removed(versions, staff_user):
    old, new = versions
    measure = get(Measure, new, "A.1.1.1")
    indicator = Indicator.objects.get(measure=measure)
    services.indicator_save(
        user=staff_user,
        indicator=indicator,
        targets=[{"year": 2017, "value": 10}, {"year": 2020, "value": 25}],
    )
    added = services.indicator_save(user=staff_user, owner=measure, name="Įrengta km", unit="km")
    services.indicator_delete(
        user=staff_user, indicator=Indicator.objects.get(measure=get(Measure, new, "A.1.1.2"))
    )

    changes = changed_by_code(version_diff(new, old))

    first = changes["A.1.1.1"]
    assert first.fields == ["indicators"]
    by_status = {i.status: i for i in first.indicators}
    assert [(t.year, t.old, t.new) for t in by_status["changed"].targets] == [
        (2020, Decimal("20"), Decimal("25"))
    ]
    assert by_status["added"].key == str(added.key)
    assert [i.status for i in changes["A.1.1.2"].indicators] == ["removed"]


def test_funding_changes_per_line_and_totals_per_priority_and_source(versions, staff_user):
    old, new = versions
    sb, es = FundingSource.objects.get(code="SB"), FundingSource.objects.get(code="ES")
    measure = get(Measure, new, "B.1.1.1")  # 10 000 from SB and from ES in 2016
    services.measure_set_funding(
        user=staff_user,
        measure=measure,
        lines=[
            {"year": 2016, "source": sb, "amount": "11000.00"},  # +1 000
            {"year": 2017, "source": es, "amount": "2500.50"},  # new line
        ],  # the 2016 ES line is dropped: −10 000
    )

    diff = version_diff(new, old)

    funding = changed_by_code(diff)["B.1.1.1"].funding
    assert [(f.year, f.source, f.status, f.old, f.new, f.difference) for f in funding] == [
        (2016, "ES", "removed", Decimal("10000.00"), None, Decimal("-10000.00")),
        (2016, "SB", "changed", Decimal("10000.00"), Decimal("11000.00"), Decimal("1000.00")),
        (2017, "ES", "added", None, Decimal("2500.50"), Decimal("2500.50")),
    ]
    totals = {(t.priority_code, t.source): t for t in diff.funding_totals}
    # Priority B has 2 tasks × 3 measures, each with 10 000 per source.
    assert (totals["B", "SB"].old, totals["B", "SB"].new) == (Decimal("60000"), Decimal("61000"))
    assert totals["B", "ES"].difference == Decimal("-7499.50")
    assert totals["A", "SB"].difference == 0
    assert diff.funding_overall.difference == Decimal("-6499.50")
    assert diff.funding_overall.difference == sum(f.difference for f in funding)


# --- API -------------------------------------------------------------------------------


def diff_url(version, against=None):
    url = f"/api/v1/versions/{version.pk}/diff/"
    return url if against is None else f"{url}?against={against}"


def test_api_diff_lists_added_removed_and_changed_nodes_with_old_and_new_values(
    versions, staff_user, council_client
):
    old, new = versions
    measure = get(Measure, new, "A.1.1.2")
    services.node_update(user=staff_user, node=measure, title="Nauja antraštė", start_year=2015)
    services.node_delete(user=staff_user, node=get(Measure, new, "A.1.1.1"))

    response = council_client.get(diff_url(new, old.pk))

    assert response.status_code == 200
    body = response.json()
    assert body["added"] == []
    assert [(n["code"], n["level"]) for n in body["removed"]] == [("A.1.1.1", "measure")]
    changed = {n["key"]: n for n in body["changed"]}
    node = changed[str(measure.key)]
    assert (node["old_code"], node["code"], node["title"]) == (
        "A.1.1.2",
        "A.1.1.1",
        "Nauja antraštė",
    )
    assert node["fields"] == ["title", "code", "start_year"]
    by_field = {c["field"]: c for c in node["changes"]}
    assert by_field["start_year"]["old"] == 2014 and by_field["start_year"]["new"] == 2015
    assert {"op": "insert", "text": "Nauja antraštė"} in by_field["title"]["segments"]
    assert body["counts"]["renumbered"] == 2
    assert body["funding_difference"]["difference"] == "-20000.00"
    assert {(t["priority_code"], t["source"], t["difference"]) for t in body["funding_totals"]} >= {
        ("A", "SB", "-10000.00"),
        ("A", "ES", "-10000.00"),
    }


def test_anonymous_and_residents_cannot_diff_a_draft(versions, client, resident_client):
    old, new = versions

    assert client.get(diff_url(new, old.pk)).status_code in {401, 403, 404}
    assert resident_client.get(diff_url(new, old.pk)).status_code == 404
    # Nor can they name the draft as the other side.
    response = client.get(diff_url(old, new.pk))
    assert response.status_code == 400
    assert str(new.pk) in response.json()["against"][0]


def test_staff_and_council_can_diff_a_draft(versions, staff_client, council_client):
    old, new = versions

    assert staff_client.get(diff_url(new, old.pk)).status_code == 200
    assert council_client.get(diff_url(new, old.pk)).status_code == 200


def test_anyone_can_diff_two_public_versions(versions, client):
    old, _new = versions

    response = client.get(diff_url(old, old.pk))

    assert response.status_code == 200
    assert response.json()["changed"] == []


@pytest.mark.parametrize("against", [None, "", "abc", "1.5", "999999", "other-plan"])
def test_a_bad_against_is_refused_with_a_clear_message(versions, staff_client, against):
    old, new = versions
    if against == "other-plan":
        against = factories.VersionFactory(status=VersionStatus.DRAFT).pk
    staff_client.cookies["planportal_language"] = "en"

    response = staff_client.get(diff_url(new, against))

    assert response.status_code == 400
    message = response.json()["against"][0]
    assert message
    if against is not None and str(against).isdigit() and against != "999999":
        assert "another plan" in message


# --- Query counts ------------------------------------------------------------------------


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return len(queries)


def test_diff_runs_the_same_number_of_queries_on_a_plan_five_times_larger(
    staff_user, council_client
):
    small_old, small_new = approved_with_draft(
        staff_user, priorities=1, goals=2, tasks=2, measures=2
    )
    large_old, large_new = approved_with_draft(
        staff_user, priorities=5, goals=2, tasks=2, measures=2
    )
    for new in (small_new, large_new):
        services.node_delete(user=staff_user, node=get(Measure, new, "A.1.1.1"))
    council_client.cookies["planportal_language"] = "en"

    def api(old, new):
        return lambda: council_client.get(diff_url(new, old.pk))

    def page(old, new):
        return lambda: council_client.get(
            reverse("plans:compare", args=[new.pk]), {"against": old.pk}
        )

    assert count_queries(api(small_old, small_new)) == count_queries(api(large_old, large_new))
    assert count_queries(page(small_old, small_new)) == count_queries(page(large_old, large_new))


# --- The page ----------------------------------------------------------------------------


def test_compare_page_shows_counts_word_diff_and_signed_amounts_in_lithuanian_format(
    versions, staff_user, council_client
):
    old, new = versions
    measure = get(Measure, new, "A.1.1.1")
    services.node_update(user=staff_user, node=measure, title="Įrengti Neries trasą")
    services.measure_set_funding(
        user=staff_user,
        measure=Measure.objects.get(pk=measure.pk),
        lines=[{"year": 2016, "source": FundingSource.objects.get(code="SB"), "amount": "11000"}],
    )

    response = council_client.get(reverse("plans:compare", args=[new.pk]), {"against": old.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="count-changed">1</span>' in html
    assert '<ins><span class="visually-hidden">' in html
    assert "Įrengti Neries trasą" in html
    # Lithuanian number format: no-break space for thousands, decimal comma,
    # a real minus sign.
    assert "+1\xa0000,00" in html
    assert "\u221210\xa0000,00" in html
    assert "\u22129\xa0000,00" in html  # total difference of priority A, all sources


def test_compare_page_without_against_offers_the_choice(versions, council_client):
    old, new = versions

    response = council_client.get(reverse("plans:compare", args=[new.pk]))

    assert response.status_code == 200
    assert f'<option value="{old.pk}"' in response.content.decode()


def test_compare_page_refuses_a_bad_against_with_400(versions, council_client):
    _old, new = versions
    council_client.cookies["planportal_language"] = "en"

    response = council_client.get(reverse("plans:compare", args=[new.pk]), {"against": "x"})

    assert response.status_code == 400
    assert "must be the number" in response.content.decode()


def test_compare_page_of_a_draft_is_not_shown_to_residents(versions, resident_client):
    old, new = versions

    response = resident_client.get(reverse("plans:compare", args=[new.pk]), {"against": old.pk})

    assert response.status_code == 403


def test_version_page_offers_to_compare_with_the_other_versions(versions, council_client):
    old, new = versions

    html = council_client.get(new.get_absolute_url()).content.decode()

    assert f'action="{reverse("plans:compare", args=[new.pk])}"' in html
    assert f'<option value="{old.pk}"' in html


# --- Properties ------------------------------------------------------------------------

lithuanian_text = st.text(
    alphabet=st.sampled_from(list("ąčęėįšųūž aeiklmnorstv.,–\n")), max_size=40
)


@given(old=lithuanian_text, new=lithuanian_text)
def test_word_diff_segments_spell_both_texts(old, new):
    segments = word_diff(old, new)

    assert "".join(s.text for s in segments if s.op != "insert") == old
    assert "".join(s.text for s in segments if s.op != "delete") == new
    if old == new:
        assert all(s.op == "equal" for s in segments)


def fake_tree(amounts_by_measure, keys):
    """A duck-typed VersionTree: one priority per row, one measure per amount list."""

    def node(key, title, children=(), **extra):
        return SimpleNamespace(
            key=key,
            code=title,
            title=title,
            description="",
            children=list(children),
            indicator_list=[],
            **extra,
        )

    source = SimpleNamespace(code="SB")
    priorities = []
    for p_index, measures in enumerate(amounts_by_measure):
        measure_nodes = [
            node(
                keys[p_index, m_index],
                f"M{p_index}.{m_index}",
                funding_list=[
                    SimpleNamespace(year=2014 + year, source=source, amount=amount)
                    for year, amount in enumerate(amounts)
                ],
                co_executor_list=[],
                responsible_unit_id=None,
                responsible_unit=None,
                kind="progress",
                start_year=None,
                end_year=None,
            )
            for m_index, amounts in enumerate(measures)
        ]
        task = node(keys[p_index, "t"], f"T{p_index}", measure_nodes)
        goal = node(keys[p_index, "g"], f"G{p_index}", [task])
        priorities.append(node(keys[p_index, "p"], f"P{p_index}", [goal]))
    return SimpleNamespace(version=None, priorities=priorities)


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
funding_plan = st.lists(
    st.lists(st.lists(money, max_size=3), min_size=1, max_size=3), min_size=1, max_size=3
)


@settings(max_examples=50)
@given(old=funding_plan, new=funding_plan)
def test_total_differences_equal_the_sum_of_line_differences(old, new):
    width = max(len(old), len(new))
    keys = {}
    for p in range(width):
        for part in ("p", "g", "t", 0, 1, 2):
            keys[p, part] = uuid.uuid4()
    diff = diff_trees(fake_tree(new, keys), fake_tree(old, keys))

    line_differences = sum(
        (f.difference for change in diff.changed for f in change.funding), Decimal(0)
    )
    added_money = sum(
        (line.amount for e in diff.added if e.level == "measure" for line in e.node.funding_list),
        Decimal(0),
    )
    removed_money = sum(
        (line.amount for e in diff.removed if e.level == "measure" for line in e.node.funding_list),
        Decimal(0),
    )
    assert diff.funding_overall.difference == line_differences + added_money - removed_money
    assert diff.funding_overall.difference == sum(
        (t.difference for t in diff.funding_totals), Decimal(0)
    )
    assert diff.funding_overall.new == sum(a for p in new for m in p for a in m)


@settings(max_examples=20)
@given(plan=funding_plan)
def test_a_tree_compared_with_itself_has_no_differences(plan):
    keys = {(p, part): uuid.uuid4() for p in range(len(plan)) for part in ("p", "g", "t", 0, 1, 2)}

    diff = diff_trees(fake_tree(plan, keys), fake_tree(plan, keys))

    assert diff.is_empty


# --- The demo plan -------------------------------------------------------------------------


def test_demo_draft_against_the_version_in_force_shows_its_edits_in_constant_queries(
    demo, staff_user, council_client
):
    context = demo
    approved, draft = context.approved_version, context.draft_version

    with CaptureQueriesContext(connection) as queries:
        diff = version_diff(draft, approved)
    small_old, small_new = approved_with_draft(
        staff_user, priorities=1, goals=1, tasks=1, measures=1
    )
    with CaptureQueriesContext(connection) as small_queries:
        version_diff(small_new, small_old)

    assert len(queries) == len(small_queries)
    assert [e.title for e in diff.added] == [
        "Įrengti saulės elektrines savivaldybės pastatų stoguose"
    ]
    assert [e.title for e in diff.removed] == ["Įrengti gyventojų perspėjimo sirenas"]
    by_title = {c.title: c for c in diff.changed}
    tourism = by_title["Įrengti Nemuno ir Neries vandens turizmo trasas su poilsiavietėmis"]
    assert {"title", "end_year"} <= set(tourism.fields)
    assert ("insert", " ir Neries") in [(s.op, s.text) for s in tourism.change("title").segments]
    lighting = by_title["Pakeisti gatvių šviestuvus efektyviais šviesos diodų (LED) šviestuvais"]
    assert "funding" in lighting.fields
    assert any("indicators" in c.fields for c in diff.changed)
    assert diff.funding_overall.difference == sum(
        (t.difference for t in diff.funding_totals), Decimal(0)
    )

    response = council_client.get(
        reverse("plans:compare", args=[draft.pk]), {"against": approved.pk}
    )
    assert response.status_code == 200
