"""A changed target shows both targets: the node panel's table and chart
name the target an earlier approved version set, when it differs."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Indicator, IndicatorTarget, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree
from tests.monitoring.test_public import monitored, node_url


def earlier_version(current, indicator, number, target_2020):
    """A superseded version ``number`` of ``current``'s plan in which
    ``indicator`` (the same key) had ``target_2020`` for 2020 (10 for 2017)."""
    old = factories.VersionFactory(plan=current.plan, number=number, based_on=None)
    build_plan_tree(old, priorities=1, goals=1, tasks=1, measures=1)
    same = Indicator.objects.filter(version=old, measure__isnull=False).first()
    Indicator._base_manager.filter(pk=same.pk).update(key=indicator.key)
    IndicatorTarget._base_manager.filter(indicator=same, year=2020).update(value=target_2020)
    type(old).objects.filter(pk=old.pk).update(status=VersionStatus.SUPERSEDED)
    return old


@pytest.fixture
def current(db):
    version = factories.VersionFactory(number=5)
    build_plan_tree(version, priorities=1)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


@pytest.fixture
def indicator(current, staff_user):
    return monitored(current, staff_user)


def panel_of(client, indicator):
    page = client.get(node_url(indicator)).content.decode()
    table = re.search(rf'<table[^>]*id="values-{indicator.pk}".*?</table>', page, re.S).group(0)
    svg = re.search(rf'<svg[^>]*id="chart-{indicator.pk}".*?</svg>', page, re.S).group(0)
    return table, svg


def test_a_changed_target_shows_the_earlier_one_in_the_table_and_the_chart(
    client, current, indicator
):
    earlier_version(current, indicator, 2, Decimal(25))
    table, svg = panel_of(client, indicator)
    row = re.search(r"<tr><th scope=\"row\">2020</th>.*?</tr>", table, re.S).group(0)
    assert re.search(r"\D2\): 25<", row)  # "Ankstesnis tikslas (versija 2): 25"
    row_2017 = re.search(r"<tr><th scope=\"row\">2017</th>.*?</tr>", table, re.S).group(0)
    assert 'earlier-target">–<' in row_2017  # the 2017 target did not move
    assert "chart-earlier-targets" in svg and ">25<" in svg


def test_an_equal_earlier_target_is_not_shown(client, current, indicator):
    earlier_version(current, indicator, 2, Decimal(20))
    table, svg = panel_of(client, indicator)
    assert "earlier-target" not in table and "chart-earlier-targets" not in svg


def test_a_draft_or_a_later_version_is_not_an_earlier_target(client, current, indicator):
    draft = earlier_version(current, indicator, 3, Decimal(30))
    type(draft).objects.filter(pk=draft.pk).update(status=VersionStatus.DRAFT)
    earlier_version(current, indicator, 7, Decimal(40))
    table, svg = panel_of(client, indicator)
    assert "earlier-target" not in table and "chart-earlier-targets" not in svg


def queries(client, indicator):
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(node_url(indicator)).status_code == 200
    return len(context)


def test_earlier_targets_take_the_same_queries_however_many_versions(client, current, indicator):
    earlier_version(current, indicator, 1, Decimal(30))
    one = queries(client, indicator)
    earlier_version(current, indicator, 2, Decimal(25))
    earlier_version(current, indicator, 3, Decimal(22))
    assert queries(client, indicator) == one
    table, _svg = panel_of(client, indicator)
    row = re.search(r"<tr><th scope=\"row\">2020</th>.*?</tr>", table, re.S).group(0)
    assert all(re.search(rf"\D{n}\): {v}", row) for n, v in ((3, 22), (2, 25), (1, 30)))
