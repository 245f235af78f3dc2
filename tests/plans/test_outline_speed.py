"""The staff outline's kept rows (plans/views/staff/outline_rows.py): a fixed
number of queries however large the plan, and never a stale row after an edit."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plans.models import FundingSource, Measure, PlanVersion, Unit, VersionStatus
from plans.services import measure_set_funding
from tests.growth import grow_version

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def draft(demo):
    """The demo's draft: the action plan's 2026–2028 update."""
    return PlanVersion.objects.select_related("plan").get(
        plan__kind="action", status=VersionStatus.DRAFT
    )


@pytest.fixture
def author(demo):
    client = Client()
    client.force_login(demo.staff_user)
    return client


@pytest.fixture
def colleague(staff_user):
    client = Client()
    client.force_login(staff_user)
    return client


def outline_url(version):
    return f"/staff/versions/{version.pk}/outline/"


def outline(client, version):
    response = client.get(outline_url(version))
    assert response.status_code == 200
    return response.content.decode()


def codes_and_titles(html):
    """(code, title) of every row, in outline order."""
    rows = re.findall(
        r'<span class="node-code">([^<]*)</span>\s*<a class="node-title" href="[^"]*">([^<]*)</a>',
        html,
    )
    return [(unescape(code), unescape(title)) for code, title in rows]


def a_measure_with_siblings(version):
    measures = Measure.objects.filter(version=version).order_by("task_id", "position")
    return next(
        m for m in measures if m.position == 1 and Measure.objects.filter(task=m.task).count() > 2
    )


def test_the_outline_runs_the_same_queries_at_one_five_and_ten_times_the_demo(
    draft, author, django_assert_num_queries
):
    plans = [draft, grow_version(draft, 5), grow_version(draft, 10)]
    for version in plans:
        outline(author, version)  # The session and the user's groups, as in use.
    with CaptureQueriesContext(connection) as demo_size:
        html = outline(author, plans[0])
    rows = len(codes_and_titles(html))
    for factor, version in zip((5, 10), plans[1:], strict=True):
        with django_assert_num_queries(len(demo_size)):
            html = outline(author, version)
        assert len(codes_and_titles(html)) == rows * factor


def test_a_title_edit_shows_at_once_to_its_author_and_to_another_staff_member(
    draft, author, colleague
):
    measure = a_measure_with_siblings(draft)
    before = outline(author, draft)
    outline(colleague, draft)  # Both have seen the rows, so they are kept.
    assert (measure.code, measure.title) in codes_and_titles(before)
    prefix = f"edit-measure-{measure.pk}"
    response = author.post(
        f"/staff/nodes/measure/{measure.pk}/",
        {
            f"{prefix}-title": "Naujas priemonės pavadinimas",
            f"{prefix}-description": measure.description,
            f"{prefix}-revision": measure.revision,
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert (measure.code, "Naujas priemonės pavadinimas") in codes_and_titles(
        response.content.decode()
    )
    for client in (author, colleague):
        rows = codes_and_titles(outline(client, draft))
        assert (measure.code, "Naujas priemonės pavadinimas") in rows
        assert (measure.code, measure.title) not in rows


def test_a_move_shows_at_once_in_the_next_outline(draft, author, colleague):
    measure = a_measure_with_siblings(draft)
    after = Measure.objects.get(task=measure.task, position=2)
    outline(author, draft)
    outline(colleague, draft)
    response = author.post(
        f"/staff/nodes/measure/{measure.pk}/move/", {"direction": "down"}, **HTMX
    )
    assert response.status_code == 200
    # The two measures swap places and codes; the moved one has the focus.
    for html in (response.content.decode(), outline(author, draft), outline(colleague, draft)):
        rows = codes_and_titles(html)
        assert rows.index((measure.code, after.title)) + 1 == rows.index(
            (after.code, measure.title)
        )
    assert "data-autofocus" in response.content.decode()
    assert "data-autofocus" not in outline(author, draft)  # the focus is not kept


def test_a_deleted_item_disappears_at_once(draft, author, colleague):
    measure = a_measure_with_siblings(draft)
    outline(author, draft)
    outline(colleague, draft)
    response = author.post(f"/staff/nodes/measure/{measure.pk}/delete/", **HTMX)
    assert response.status_code == 200
    for html in (response.content.decode(), outline(author, draft), outline(colleague, draft)):
        assert f'id="node-measure-{measure.pk}"' not in html
        assert (measure.code, measure.title) not in codes_and_titles(html)


def test_the_kept_rows_carry_each_readers_own_csrf_token(draft, demo, staff_user):
    measure = a_measure_with_siblings(draft)
    for user in (demo.staff_user, staff_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        html = outline(client, draft)  # the second reader gets the first one's rows
        token = re.search(
            rf'action="/staff/nodes/measure/{measure.pk}/move/"[^>]*>'
            r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            html,
        ).group(1)
        response = client.post(
            f"/staff/nodes/measure/{measure.pk}/move/",
            {"direction": "down", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302  # not 403: the token is this reader's


def test_a_measures_new_funding_and_a_renamed_unit_show_at_once(draft, demo, author, colleague):
    measure = a_measure_with_siblings(draft)
    unit = Unit.objects.create(name="Naujas skyrius")
    Measure.objects.filter(pk=measure.pk).update(responsible_unit=unit)

    def row(client):
        html = outline(client, draft)
        return html.split(f'id="node-measure-{measure.pk}"')[1].split("</div>")[0]

    assert "Naujas skyrius" in row(author)
    assert "Naujas skyrius" in row(colleague)
    source = FundingSource.objects.order_by("position").first()
    measure_set_funding(
        user=demo.staff_user,
        measure=measure,
        lines=[{"year": draft.plan.period_start, "source": source, "amount": "1234567.89"}],
    )
    # A change to the unit alone, which the measure's row shows.
    Unit.objects.filter(pk=unit.pk).update(name="Pervadintas skyrius")
    for client in (author, colleague):
        assert "1\xa0234\xa0567,89" in row(client)
        assert "Pervadintas skyrius" in row(client)
