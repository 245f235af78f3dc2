"""Two years' reports of a plan side by side: the pairing, the page, who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services as monitoring
from plans.models import FundingSource, Indicator, Measure, VersionStatus
from reports import compare, services
from reports.models import ReportStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def _round(user, plan, year, *, actual, status, spent):
    round_ = monitoring.round_open(
        user=user, plan=plan, year=year, due=datetime.date(year + 1, 2, 15)
    )
    indicator = Indicator.objects.filter(version__plan=plan, measure__isnull=False).order_by("pk")
    monitoring.actual_set(user=user, indicator=indicator.first(), year=year, value=actual)
    measure = Measure.objects.filter(version__plan=plan).order_by("code").first()
    monitoring.implementation_set(
        user=user,
        measure=measure,
        year=year,
        status=status,
        note="Užsitęsė pirkimas" if status == "delayed" else "",
        spent=[{"source": "SB", "amount": spent}],
    )
    return monitoring.round_publish(user=user, round=round_)


def _report(user, plan, year, *, approve=True):
    report = services.report_create(user=user, plan=plan, year=year)
    if approve:
        report = services.report_submit(user=user, report=report)
        report = services.report_approve(
            user=user,
            report=report,
            decision_number=f"TS-{year}",
            decision_date=datetime.date(year + 1, 4, 28),
        )
    return report


@pytest.fixture
def plan_with_money(db):
    """A small approved version whose first measure plans money in 2019 and 2020."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=2, goals=1, tasks=1, measures=2)
    measure = Measure.objects.filter(version=version).order_by("code").first()
    source = FundingSource.objects.get(code="SB")
    factories.FundingLineFactory(measure=measure, source=source, year=2019, amount="1000.00")
    factories.FundingLineFactory(measure=measure, source=source, year=2020, amount="1500.00")
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


@pytest.fixture
def two_years(plan_with_money, staff_user):
    """Approved reports of 2019 and 2020 (the measure delayed, then completed)."""
    plan = plan_with_money.plan
    _round(staff_user, plan, 2019, actual="12", status="delayed", spent="400")
    _round(staff_user, plan, 2020, actual="15.5", status="completed", spent="1500")
    return _report(staff_user, plan, 2019), _report(staff_user, plan, 2020)


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
    assert 'id="compare-missing"' in response.content.decode()


def test_an_unknown_plan_is_a_404(client, db):
    assert (
        client.get(reverse("reports_compare:compare", kwargs={"plan_id": 999999})).status_code
        == 404
    )


def test_a_draft_is_compared_by_staff_only(
    client, staff_client, council_client, plan_with_money, staff_user
):
    plan = plan_with_money.plan
    _round(staff_user, plan, 2019, actual="12", status="delayed", spent="400")
    _round(staff_user, plan, 2020, actual="15.5", status="completed", spent="1500")
    _report(staff_user, plan, 2019)
    draft = _report(staff_user, plan, 2020, approve=False)

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


def test_the_query_count_does_not_grow_with_the_plan(
    django_assert_max_num_queries, client, two_years
):
    with django_assert_max_num_queries(12):
        assert client.get(_url(two_years[0].plan, a=2019, b=2020)).status_code == 200
