"""Two years' reports of a plan side by side: the pairing, the page, who sees what."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports import compare, services
from reports.models import ReportStatus
from tests.reports.compare_fixtures import (
    approved_years,
    make_report,
    plan_with_money,
    publish_round,
    two_years,
    version_with_money,
)

pytestmark = pytest.mark.django_db

__all__ = ["plan_with_money", "two_years"]


def _url(plan, **query):
    url = reverse("reports_compare:compare", kwargs={"plan_id": plan.pk})
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_the_pairs_show_each_figure_in_both_years_and_the_change(two_years):
    earlier, later = two_years
    result = compare.compare(earlier.snapshot, later.snapshot)

    assert (result["years"].a, result["years"].b) == (2019, 2020)
    summary = result["summary"]
    assert summary["planned"] == compare.Pair(
        Decimal("1000.00"), Decimal("1500.00"), Decimal("500.00")
    )
    assert summary["spent"].change == Decimal("1100.00")
    counts = {row["code"]: row["count"] for row in summary["implementation_counts"]}
    assert (counts["delayed"].a, counts["delayed"].b, counts["delayed"].change) == (1, 0, -1)
    assert (counts["completed"].a, counts["completed"].b) == (0, 1)

    measured = [row for row in result["indicators"] if row["actual"].b is not None]
    assert len(measured) == 1
    assert measured[0]["actual"] == compare.Pair(Decimal("12"), Decimal("15.5"), Decimal("3.5"))
    assert measured[0]["progress"].change == pytest.approx(
        measured[0]["progress"].b - measured[0]["progress"].a
    )

    changed = [row for row in result["measures"] if row["implementation"].changed]
    assert [(row["implementation"].a, row["implementation"].b) for row in changed] == [
        ("delayed", "completed")
    ]
    assert result["changed_measures"] == 1
    sources = {row["code"]: row for row in result["sources"]}
    assert sources["SB"]["spent"] == compare.Pair(
        Decimal("400.00"), Decimal("1500.00"), Decimal("1100.00")
    )


def test_items_only_one_year_shows_are_kept_with_an_empty_side(two_years):
    earlier, later = two_years
    a = earlier.snapshot
    b = {**later.snapshot, "priorities": later.snapshot["priorities"][:1]}
    result = compare.compare(a, b)
    only_earlier = [row for row in result["measures"] if not row["in_b"]]
    assert only_earlier and all(row["in_a"] for row in only_earlier)
    assert all(row["implementation"].b is None for row in only_earlier)
    # The later report's order first, then what only the earlier one has.
    assert result["measures"][-1] is only_earlier[-1]
    gone = result["priorities"][-1]
    assert gone["progress"].b is None and gone["progress"].change is None


def test_the_public_compares_two_approved_years(client, two_years):
    earlier, later = two_years
    response = client.get(_url(earlier.plan, a=2019, b=2020))
    assert response.status_code == 200
    assert response.context["earlier"] == earlier
    assert response.context["later"] == later
    html = response.content.decode()
    assert 'id="compare-indicators"' in html
    assert "+1\u00a0100,00" in html or "+1 100,00" in html
    assert reverse("reports_compare:report-xlsx", args=[later.pk]) in html


def test_without_years_the_two_newest_are_compared(client, two_years):
    response = client.get(_url(two_years[0].plan))
    assert response.status_code == 200
    assert (response.context["earlier"].year, response.context["later"].year) == (2019, 2020)


def test_the_years_may_come_in_either_order(client, two_years):
    response = client.get(_url(two_years[0].plan, a=2020, b=2019))
    assert response.status_code == 200
    assert response.context["compared"]["years"].a == 2019


@pytest.mark.parametrize(
    "query",
    [
        {"a": "x", "b": "2020"},
        {"a": "2019"},
        {"b": "2020"},
        {"a": "2020", "b": "2020"},
        {"a": "1800", "b": "2020"},
        {"a": "2019", "b": "99999999999999999999"},
        {"a": "", "b": ""},
    ],
)
def test_bad_years_are_a_400_with_the_form(client, two_years, query):
    response = client.get(_url(two_years[0].plan, **query))
    assert response.status_code == 400
    assert 'id="compare-errors"' in response.content.decode()


def test_a_year_without_a_report_is_a_404(client, two_years):
    response = client.get(_url(two_years[0].plan, a=2018, b=2020))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="compare-missing"' in html and "2018" in html


def test_an_unknown_plan_is_a_404(client, db):
    assert (
        client.get(reverse("reports_compare:compare", kwargs={"plan_id": 999999})).status_code
        == 404
    )


def test_a_draft_is_compared_by_staff_only(
    client, staff_client, council_client, plan_with_money, staff_user
):
    plan = plan_with_money.plan
    publish_round(staff_user, plan, 2019, actual="12", status="delayed", spent="400")
    publish_round(staff_user, plan, 2020, actual="15.5", status="completed", spent="1500")
    make_report(staff_user, plan, 2019)
    draft = make_report(staff_user, plan, 2020, approve=False)

    assert staff_client.get(_url(plan, a=2019, b=2020)).status_code == 200
    assert staff_client.get(_url(plan, a=2019, b=2020)).context["later"] == draft
    # Council members read reports under review, not drafts; the public approved ones.
    assert council_client.get(_url(plan, a=2019, b=2020)).status_code == 404
    assert client.get(_url(plan, a=2019, b=2020)).status_code == 404
    nothing = client.get(_url(plan))
    assert nothing.status_code == 200
    assert 'id="compare-nothing"' in nothing.content.decode()

    services.report_submit(user=staff_user, report=draft)
    assert council_client.get(_url(plan, a=2019, b=2020)).context["later"].status == (
        ReportStatus.COUNCIL_REVIEW
    )
    assert client.get(_url(plan, a=2019, b=2020)).status_code == 404


def test_the_approved_report_is_preferred_to_its_revision_in_the_making(
    staff_client, two_years, staff_user
):
    earlier, later = two_years
    revision = services.report_revise(user=staff_user, report=later, reason="Pataisyta suma")
    response = staff_client.get(_url(later.plan, a=2019, b=2020))
    assert response.context["later"] == later
    assert revision.revision == 2


def test_the_comparison_shows_the_frozen_figures(client, two_years):
    """After approval a corrected actual value changes neither year's column."""
    from monitoring.models import ActualValue

    earlier, later = two_years
    ActualValue.objects.filter(year=2020).update(value=Decimal("99"))
    compared = client.get(_url(later.plan, a=2019, b=2020)).context["compared"]
    actuals = [row["actual"].b for row in compared["indicators"] if row["actual"].b is not None]
    assert actuals == [Decimal("15.5")]


def test_the_query_count_does_not_grow_with_the_plan(client, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for priorities in (1, 5):
        plan = version_with_money(priorities=priorities).plan
        approved_years(staff_user, plan)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(plan, a=2019, b=2020)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_plan_id_beyond_the_database_is_a_404(client, db):
    assert client.get("/plans/99999999999999999999/reports/compare/").status_code == 404


def test_the_summary_panel_links_the_annex_and_the_year_before(rf, two_years):
    from django.contrib.auth.models import AnonymousUser

    from reports.panels_compare import annex_links

    earlier, later = two_years
    request = rf.get("/")
    request.user = AnonymousUser()
    html = annex_links(request, later, "summary")
    assert reverse("reports_compare:report-xlsx", args=[later.pk]) in html
    assert _url(later.plan) + "?a=2019&amp;b=2020" in html
    assert "?a=2020&amp;b=2019" in annex_links(request, earlier, "summary")
    assert annex_links(request, later, "priority:x") == ""


def test_the_panel_offers_no_comparison_without_another_year(rf, approved_report):
    from django.contrib.auth.models import AnonymousUser

    from reports.panels_compare import annex_links

    request = rf.get("/")
    request.user = AnonymousUser()
    html = annex_links(request, approved_report, "summary")
    assert "/xlsx/" in html and "compare" not in html
