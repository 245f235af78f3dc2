import json

import pytest
from django.test import Client

from plans.models import (
    FundingLine,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    PlanVersion,
    Priority,
    Task,
    VersionStatus,
)
from tests import factories
from tests.conftest import build_plan_tree


class ApiClient:
    """The test client, speaking JSON to /api/v1/."""

    def __init__(self, client: Client):
        # English messages, so that tests can read them before the Lithuanian
        # translations (DRF's own are already Lithuanian) change the wording.
        client.cookies["planportal_language"] = "en"
        self.client = client

    def request(self, method: str, path: str, data=None, **headers):
        kwargs = {"headers": headers} if headers else {}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, **headers):
        return self.request("get", path, **headers)

    def post(self, path, data=None, **headers):
        return self.request("post", path, {} if data is None else data, **headers)

    def patch(self, path, data, **headers):
        return self.request("patch", path, data, **headers)

    def put(self, path, data, **headers):
        return self.request("put", path, data, **headers)

    def delete(self, path, **headers):
        return self.request("delete", path, **headers)


@pytest.fixture
def anonymous_api(db):
    return ApiClient(Client())


@pytest.fixture
def resident_api(resident_client):
    return ApiClient(resident_client)


@pytest.fixture
def council_api(council_client):
    return ApiClient(council_client)


@pytest.fixture
def staff_api(staff_client):
    return ApiClient(staff_client)


def snapshot():
    """Everything a write could change, to prove that a refused one changed nothing."""
    return (
        list(
            PlanVersion.objects.order_by("pk").values_list(
                "pk", "status", "vision", "label", "revision"
            )
        ),
        *(
            list(
                model.objects.order_by("pk").values_list(
                    "pk", "code", "position", "title", "description", "revision"
                )
            )
            for model in (Priority, Goal, Task, Measure)
        ),
        list(Goal.objects.order_by("pk").values_list("pk", "priority_id")),
        list(Task.objects.order_by("pk").values_list("pk", "goal_id")),
        list(
            Measure.objects.order_by("pk").values_list(
                "pk", "task_id", "responsible_unit_id", "start_year", "end_year", "kind"
            )
        ),
        list(
            Measure.co_executors.through.objects.order_by("pk").values_list("measure_id", "unit_id")
        ),
        list(
            Indicator.objects.order_by("pk").values_list(
                "pk", "name", "unit", "baseline_value", "revision"
            )
        ),
        list(
            IndicatorTarget.objects.order_by("pk").values_list(
                "pk", "indicator_id", "year", "value"
            )
        ),
        list(
            FundingLine.objects.order_by("pk").values_list(
                "pk", "measure_id", "year", "source_id", "amount"
            )
        ),
    )


@pytest.fixture
def small_draft(db):
    """A draft with one branch and two measures (A.1.1.1 and A.1.1.2): cheap to build."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=2)
    return build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)


@pytest.fixture
def small_approved(db):
    """An approved version shaped like ``small_draft``, of a plan of its own."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version
