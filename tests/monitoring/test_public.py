"""Progress in public: the plan's progress page, the node panel's chart and
table, and the open data, each as its reader may see it."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from monitoring import services
from monitoring.charts import indicator_chart
from monitoring.models import UnitMembership
from plans.models import Indicator, Measure, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

DUE = datetime.date(2021, 2, 15)


def monitored(version, staff):
    """2019 published (13.5, in progress, 5 000 spent); 2020 open (17.5, completed).

    The measured indicator goes from 10 (2015) to 20 (2020): 35 % by 2019, 75 % by 2020.
    """
    indicator = Indicator.objects.filter(version=version, measure__isnull=False).first()
    # An approved version's indicators are frozen: set the baseline on the row
    # as a data fix would, past the guards.
    Indicator._base_manager.filter(pk=indicator.pk).update(
        baseline_value=Decimal(10), baseline_year=2015
    )
    indicator.refresh_from_db()
    measure = indicator.measure
    published = services.round_open(user=staff, plan=version.plan, year=2019, due=DUE)
    services.actual_set(user=staff, indicator=indicator, year=2019, value="13.5")
    services.implementation_set(
        user=staff,
        measure=measure,
        year=2019,
        status="in_progress",
        spent=[{"source": "SB", "amount": "5000"}],
    )
    services.round_publish(user=staff, round=published)
    services.round_open(user=staff, plan=version.plan, year=2020, due=DUE)
    services.actual_set(user=staff, indicator=indicator, year=2020, value="17.5")
    services.implementation_set(user=staff, measure=measure, year=2020, status="completed")
    return indicator


@pytest.fixture
def indicator(approved_version, staff_user):
    return monitored(approved_version, staff_user)


def progress_url(version):
    return f"/plans/{version.plan_id}/progress/"


def node_url(indicator):
    return f"/versions/{indicator.version_id}/measures/{indicator.measure_id}/"


def test_the_page_shows_each_priority_and_goal_with_its_progress_in_words(
    client, approved_version, indicator
):
    response = client.get(progress_url(approved_version))
    page = response.content.decode()
    assert response.status_code == 200
    priority = indicator.measure.task.goal.priority
    row = re.search(rf"<tr class=\"progress-priority\">.*?{priority.code}.*?</tr>", page, re.S)
    assert row is not None
    # The share as text beside the bar, the status as an icon and a word.
    assert "35 %" in row.group(0)
    assert re.search(r'progress-status-(on_track|at_risk|off_track)">\s*<svg[^>]*aria-hidden', page)
    assert "Priemonės pagal būseną" in page
    assert f'href="/plans/{approved_version.plan_id}/progress.csv"' in page


def measure_links(page):
    return set(re.findall(r'href="/versions/\d+/measures/(\d+)/"', page))


def test_the_filters_narrow_the_list_of_measures(client, approved_version, indicator):
    url = progress_url(approved_version)
    measured = str(indicator.measure_id)
    everything = measure_links(client.get(url).content.decode())
    assert len(everything) == Measure.objects.filter(version=approved_version).count()

    no_data = measure_links(client.get(url, {"status": "no_data"}).content.decode())
    assert measured not in no_data and len(no_data) == len(everything) - 1
    other_unit = factories.UnitFactory()
    assert measure_links(client.get(url, {"unit": other_unit.pk}).content.decode()) == set()
    # Up to 2018 nothing has been measured: the measure has no data.
    assert measured in measure_links(
        client.get(url, {"year": 2018, "status": "no_data"}).content.decode()
    )
    for bad in ({"status": "bogus"}, {"unit": "abc"}, {"year": "1200"}):
        assert client.get(url, bad).status_code == 400


def test_the_public_never_sees_an_unpublished_round(
    client, resident_client, approved_version, indicator
):
    for reader in (client, resident_client):
        page = reader.get(progress_url(approved_version)).content.decode()
        assert "35 %" in page and "75 %" not in page
        assert "badge-unpublished" not in page
        node = reader.get(node_url(indicator)).content.decode()
        assert "13,5" in node and "17,5" not in node
        assert "badge-unpublished" not in node


def test_the_open_data_hold_published_values_only_even_for_staff(
    client, staff_client, approved_version, indicator
):
    base = f"/plans/{approved_version.plan_id}/progress"
    for reader in (client, staff_client):
        response = reader.get(f"{base}.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        mine = [
            r for r in rows if r["indicator_name"] == indicator.name and r["item"] == "indicator"
        ]
        assert {r["year"] for r in rows} == {"2019"}
        assert [(r["actual"], r["progress"]) for r in mine] == [("13.5000", "0.35")]
        measure_rows = [r for r in rows if r["item"] == "measure" and r["implementation_status"]]
        assert [(r["implementation_status"], r["spent_eur"]) for r in measure_rows] == [
            ("in_progress", "5000.00")
        ]

        book = load_workbook(io.BytesIO(reader.get(f"{base}.xlsx").content))
        values = [
            cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        ]
        assert Decimal("13.5") in [Decimal(str(v)) for v in values if isinstance(v, int | float)]
        assert not any(v in (17.5, 2020) for v in values if isinstance(v, int | float))


def test_council_and_unit_members_see_the_open_round_marked_too(
    client, council_client, approved_version, indicator
):
    member = factories.UserFactory()
    UnitMembership.objects.create(unit=indicator.measure.responsible_unit, user=member)
    client.force_login(member)
    for reader in (council_client, client):
        page = reader.get(progress_url(approved_version)).content.decode()
        assert "75 %" in page and "badge-unpublished" in page


def test_staff_see_the_open_round_marked_not_yet_published(
    staff_client, approved_version, indicator
):
    page = staff_client.get(progress_url(approved_version)).content.decode()
    assert "75 %" in page and "badge-unpublished" in page and "unpublished-notice" in page
    node = staff_client.get(node_url(indicator)).content.decode()
    row = re.search(r"<tr><th scope=\"row\">2020</th>.*?</tr>", node, re.S)
    assert row and "17,5" in row.group(0) and "badge-unpublished" in row.group(0)


def test_the_chart_shows_the_actual_values_and_the_table_the_same_numbers(
    client, approved_version, indicator
):
    node = client.get(node_url(indicator)).content.decode()
    svg = re.search(rf'<svg[^>]*id="chart-{indicator.pk}".*?</svg>', node, re.S).group(0)
    table = re.search(rf'<table[^>]*id="values-{indicator.pk}".*?</table>', node, re.S).group(0)
    chart_actuals = re.findall(r'class="chart-actual-value">([^<]+)<', svg)
    table_actuals = re.findall(
        r"<th scope=\"row\">(\d{4})</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)<", table
    )
    assert chart_actuals == ["13,5"]
    assert ("2019", "13,5") in table_actuals
    # The targets are in both too: 10 (2017) and 20 (2020).
    assert ">20<" in svg and ("2020", "–") in table_actuals


def test_the_chart_escapes_its_texts_and_draws_without_values():
    svg = indicator_chart(
        chart_id="c", title="<b>x</b>", unit="vnt.", baseline=None, targets=[], actuals=[]
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and svg.endswith("</svg>")


def plan_of(size, staff):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version, monitored(version, staff)


def queries_for(reader, url):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = reader.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.parametrize("reader", ["client", "staff_client"])
def test_the_pages_run_the_same_queries_when_the_plan_grows_fivefold(
    request, db, staff_user, reader
):
    reader = request.getfixturevalue(reader)
    small, small_indicator = plan_of(1, staff_user)
    large, large_indicator = plan_of(5, staff_user)
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )
    assert queries_for(reader, progress_url(small)) == queries_for(reader, progress_url(large))
    assert queries_for(reader, node_url(small_indicator)) == queries_for(
        reader, node_url(large_indicator)
    )


def test_publishing_a_round_refreshes_the_cached_node_page(
    client, staff_user, indicator, django_capture_on_commit_callbacks
):
    url = node_url(indicator)
    assert "17,5" not in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    open_round = indicator.version.plan.monitoring_rounds.get(year=2020)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(user=staff_user, round=open_round)
    assert "17,5" in client.get(url).content.decode()


def test_the_csv_neutralises_a_title_that_a_spreadsheet_would_run(
    client, approved_version, indicator
):
    Measure._base_manager.filter(pk=indicator.measure_id).update(title="=HYPERLINK(1)")
    body = client.get(f"/plans/{approved_version.plan_id}/progress.csv").content.decode()
    assert '"=HYPERLINK' not in body and '"\'=HYPERLINK(1)"' in body
