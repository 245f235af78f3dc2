"""The draft's check before submitting (plans/draft_check.py): warnings per item."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import draft_check
from plans.draft_check import check_draft
from plans.models import FundingLine, Goal, Indicator, Measure, Priority, Task, VersionStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def described(version):
    for model in (Priority, Goal, Task, Measure):
        model.objects.filter(version=version).update(description="Aprašymas")


def codes(check, code):
    return [issue.node_code for issue in check.issues if issue.code == code]


def test_a_complete_draft_has_nothing_to_report(draft_version):
    described(draft_version)
    Measure.objects.filter(version=draft_version).update(start_year=2016, end_year=2020)
    check = check_draft(draft_version)
    assert check.is_clean, check.issues
    assert check.measures == Measure.objects.filter(version=draft_version).count()


def test_each_problem_is_named_with_its_item(draft_version):
    described(draft_version)
    Measure.objects.filter(version=draft_version).update(start_year=2016, end_year=2020)
    first, second, third, fourth = Measure.objects.filter(version=draft_version).order_by("code")[
        :4
    ]
    Indicator.objects.filter(measure=first).delete()
    FundingLine.objects.filter(measure=second).delete()
    FundingLine.objects.filter(measure=third).update(year=2015)
    Measure.objects.filter(pk=fourth.pk).update(description="  ")
    check = check_draft(draft_version)
    assert codes(check, draft_check.NO_INDICATORS) == [first.code]
    assert codes(check, draft_check.NO_FUNDING) == [second.code]
    assert codes(check, draft_check.FUNDING_OUTSIDE_PERIOD) == [third.code]
    assert codes(check, draft_check.NO_DESCRIPTION) == [fourth.code]
    outside = next(i for i in check.issues if i.code == draft_check.FUNDING_OUTSIDE_PERIOD)
    assert "2015" in outside.message and "2016–2020" in outside.message
    assert outside.url == reverse("plans:staff-node-edit", args=["measure", third.pk])


def test_an_empty_title_is_reported(draft_version):
    priority = Priority.objects.filter(version=draft_version).first()
    Priority.objects.filter(pk=priority.pk).update(title="")
    assert codes(check_draft(draft_version), draft_check.NO_TITLE) == [priority.code]


def test_the_check_asks_the_same_queries_for_a_plan_five_times_as_big():
    small = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(small, priorities=1, goals=1, tasks=1, measures=2)
    large = factories.VersionFactory(status=VersionStatus.DRAFT)
    build_plan_tree(large, priorities=5, goals=1, tasks=1, measures=2)
    with CaptureQueriesContext(connection) as few:
        check_draft(small)
    with CaptureQueriesContext(connection) as many:
        result = check_draft(large)
    assert result.measures == 10
    assert len(many) == len(few)


def test_the_check_writes_nothing(draft_version):
    with CaptureQueriesContext(connection) as queries:
        check_draft(draft_version)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
