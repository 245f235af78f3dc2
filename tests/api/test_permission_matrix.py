"""Every endpoint × every role, on a draft and on an approved version.

Each request runs in a savepoint that is rolled back afterwards, so that the
cases do not disturb one another (a staff DELETE does not remove what the next
case reads) and one set of fixtures serves the whole table.
"""

import pytest
from django.db import transaction
from django.test import Client

from plans.models import FundingSource, Goal, Indicator, Measure, Priority, Task, Unit

from .conftest import ApiClient, snapshot

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "resident", "council", "staff")

ALL_200 = (200, 200, 200, 200)
HIDDEN_DRAFT = (404, 404, 200, 200)
CREATE_IN_DRAFT = (401, 403, 403, 201)
CHANGE_IN_DRAFT = (401, 403, 403, 200)
DELETE_IN_DRAFT = (401, 403, 403, 204)
FROZEN = (401, 403, 403, 409)

# method, path, body, expected on a draft, expected on an approved version
# (each a status per role, in the order of ROLES). "{name}" is replaced by the
# id of that object in the version under test.
CASES = [
    ("get", "/api/v1/plans/", None, ALL_200, ALL_200),
    ("get", "/api/v1/plans/{plan}/", None, ALL_200, ALL_200),
    (
        "post",
        "/api/v1/plans/{plan}/versions/",
        {"source": "{version}"},
        CREATE_IN_DRAFT,
        CREATE_IN_DRAFT,
    ),
    ("get", "/api/v1/versions/", None, ALL_200, ALL_200),
    ("get", "/api/v1/versions/{version}/", None, HIDDEN_DRAFT, ALL_200),
    ("get", "/api/v1/versions/{version}/tree/", None, HIDDEN_DRAFT, ALL_200),
    ("get", "/api/v1/versions/{version}/diff/?against={version}", None, HIDDEN_DRAFT, ALL_200),
    ("patch", "/api/v1/versions/{version}/", {"vision": "Nauja vizija"}, CHANGE_IN_DRAFT, FROZEN),
    ("delete", "/api/v1/versions/{version}/", None, DELETE_IN_DRAFT, FROZEN),
    # Council review (council/api/views.py); ballots and closing need a voting:
    # tests/api/test_review_api.py checks their roles.
    ("post", "/api/v1/versions/{version}/submit/", None, (401, 403, 403, 200), FROZEN),
    ("post", "/api/v1/versions/{version}/withdraw/", {"reason": "x"}, FROZEN, FROZEN),
    (
        "post",
        "/api/v1/versions/{version}/decision/",
        {"number": "TS-1", "date": "2999-01-01"},
        FROZEN,
        (401, 403, 403, 400),
    ),
    ("get", "/api/v1/votings/", None, ALL_200, ALL_200),
    ("post", "/api/v1/votings/", {"version": "{version}"}, FROZEN, FROZEN),
    ("get", "/api/v1/units/", None, ALL_200, ALL_200),
    ("get", "/api/v1/units/{unit}/", None, ALL_200, ALL_200),
    ("get", "/api/v1/funding-sources/", None, ALL_200, ALL_200),
    ("get", "/api/v1/funding-sources/{source}/", None, ALL_200, ALL_200),
]
NODE_ENDPOINTS = [
    ("priorities", "priority", {"version": "{version}", "title": "Naujas"}),
    ("goals", "goal", {"priority": "{priority}", "title": "Naujas"}),
    ("tasks", "task", {"goal": "{goal}", "title": "Naujas"}),
    ("measures", "measure", {"task": "{task}", "title": "Naujas"}),
    ("indicators", "indicator", {"goal": "{goal}", "name": "Naujas", "unit": "vnt."}),
]
for endpoint, name, new in NODE_ENDPOINTS:
    detail = f"/api/v1/{endpoint}/{{{name}}}/"
    change = {"name": "Pakeistas"} if name == "indicator" else {"title": "Pakeistas"}
    full = {**change, "unit": "vnt."} if name == "indicator" else change
    CASES += [
        ("get", f"/api/v1/{endpoint}/", None, ALL_200, ALL_200),
        ("get", detail, None, HIDDEN_DRAFT, ALL_200),
        ("post", f"/api/v1/{endpoint}/", new, CREATE_IN_DRAFT, FROZEN),
        ("patch", detail, change, CHANGE_IN_DRAFT, FROZEN),
        ("put", detail, full, CHANGE_IN_DRAFT, FROZEN),
        ("delete", detail, None, DELETE_IN_DRAFT, FROZEN),
    ]
# The version as a PDF (issue 6; documents/api/views.py): 202 "being prepared"
# to whoever may read the version, as no request renders (the worker does).
CASES += [
    ("get", "/api/v1/versions/{version}/pdf/", None, (404, 404, 202, 202), (202, 202, 202, 202))
]
CASES += [
    ("patch", "/api/v1/measures/{measure}/", {"funding": []}, CHANGE_IN_DRAFT, FROZEN),
    ("patch", "/api/v1/measures/{measure}/", {"position": 2}, CHANGE_IN_DRAFT, FROZEN),
]


def ids_in(version):
    return {
        "plan": version.plan_id,
        "version": version.pk,
        "priority": Priority.objects.filter(version=version).first().pk,
        "goal": Goal.objects.filter(version=version).first().pk,
        "task": Task.objects.filter(version=version).first().pk,
        "measure": Measure.objects.filter(version=version).first().pk,
        "indicator": Indicator.objects.filter(version=version).first().pk,
        "unit": Unit.objects.first().pk,
        "source": FundingSource.objects.first().pk,
    }


def fill(value, ids):
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


@pytest.fixture
def api_for(request):
    def make(role):
        if role == "anonymous":
            return ApiClient(Client())
        return ApiClient(request.getfixturevalue(f"{role}_client"))

    return make


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_endpoint(
    role, api_for, small_draft, small_approved
):
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for version, column in ((small_draft, 3), (small_approved, 4)):
        ids = ids_in(version)
        for case in CASES:
            method, path, body = case[0], case[1].format(**ids), fill(case[2], ids)
            expected = case[column][index]
            with transaction.atomic():
                before = snapshot() if method != "get" else None
                if method in {"get", "delete"}:
                    response = getattr(api, method)(path)
                else:
                    response = getattr(api, method)(path, body)
                changed = method != "get" and snapshot() != before
                transaction.set_rollback(True)
            where = f"{method.upper()} {path} on {version.status}"
            if response.status_code != expected:
                failures.append(f"{where}: {response.status_code}, expected {expected}")
            if response.status_code >= 400 and changed:
                failures.append(f"{where}: refused with {response.status_code} but changed data")
            if response.status_code < 300 and method != "get" and not changed:
                failures.append(f"{where}: answered {response.status_code} but changed nothing")
    assert failures == []


# --- Public consultations (consultations/api/) ------------------------------------------
# Every consultation endpoint × every role, on an open consultation with one
# proposal by someone else. A refused write must change nothing.

SIGNED_IN_CREATE = (401, 201, 201, 201)
STAFF_WRITE = (401, 403, 403, 200)
NOT_THE_AUTHOR = (401, 403, 403, 403)
CONSULTATION_CASES = [
    ("get", "/api/v1/consultations/", None, ALL_200),
    ("get", "/api/v1/consultations/{consultation}/", None, ALL_200),
    (
        "post",
        "/api/v1/consultations/",
        {
            "version": "{other_draft}",
            "title": "Aptarimas",
            "starts_at": "{now}",
            "ends_at": "{later}",
        },
        CREATE_IN_DRAFT,
    ),
    ("patch", "/api/v1/consultations/{consultation}/", {"ends_at": "{much_later}"}, STAFF_WRITE),
    ("get", "/api/v1/consultations/{consultation}/proposals/", None, ALL_200),
    (
        "post",
        "/api/v1/consultations/{consultation}/proposals/",
        {"text": "Naujas pasiūlymas"},
        SIGNED_IN_CREATE,
    ),
    ("get", "/api/v1/consultations/{consultation}/outcome/", None, ALL_200),
    ("post", "/api/v1/consultations/{consultation}/publish-answers/", None, (401, 403, 403, 200)),
    ("get", "/api/v1/proposals/{proposal}/", None, ALL_200),
    ("patch", "/api/v1/proposals/{proposal}/", {"text": "Svetimas pakeitimas"}, NOT_THE_AUTHOR),
    ("post", "/api/v1/proposals/{proposal}/withdraw/", None, NOT_THE_AUTHOR),
    ("post", "/api/v1/proposals/{proposal}/support/", None, SIGNED_IN_CREATE),
    ("delete", "/api/v1/proposals/{proposal}/support/", None, (401, 200, 200, 200)),
    ("post", "/api/v1/proposals/{proposal}/report/", {"reason": "x"}, SIGNED_IN_CREATE),
    (
        "post",
        "/api/v1/proposals/{proposal}/response/",
        {"status": "accepted", "text": "Taip"},
        STAFF_WRITE,
    ),
    # No answer to publish yet: the proposal's state forbids it (409).
    ("post", "/api/v1/proposals/{proposal}/publish/", None, (401, 403, 403, 409)),
    ("post", "/api/v1/proposals/{proposal}/hide/", {"reason": "Reklama"}, STAFF_WRITE),
    ("post", "/api/v1/proposals/{proposal}/unhide/", None, STAFF_WRITE),
    ("get", "/api/v1/proposals/mine/", None, (401, 200, 200, 200)),
    ("get", "/api/v1/elderships/", None, ALL_200),
    ("get", "/api/v1/elderships/{eldership}/", None, ALL_200),
]


def consultation_snapshot():
    from consultations.models import Consultation, Proposal, Report, Support
    from plans.models import PlanVersion

    return (
        list(Consultation.objects.order_by("pk").values_list("pk", "ends_at")),
        list(
            Proposal.objects.order_by("pk").values_list(
                "pk", "text", "withdrawn_at", "hidden", "response_status"
            )
        ),
        Support.objects.count(),
        Report.objects.count(),
        list(PlanVersion.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_consultation_endpoint(
    role, api_for, small_draft, staff_user
):
    import datetime

    from django.utils import timezone

    from consultations import services
    from consultations.models import Eldership
    from tests import factories

    now = timezone.now()
    consultation = services.consultation_open(
        user=staff_user,
        version=small_draft,
        title="Aptarimas",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=9),
    )
    author = factories.UserFactory(username="matrix-proposal-author")
    proposal = services.proposal_submit(
        user=author, consultation=consultation, text="Pasiūlymas matricai"
    )
    other_draft = factories.VersionFactory(status="draft")
    ids = {
        "consultation": consultation.pk,
        "proposal": proposal.pk,
        "other_draft": other_draft.pk,
        "eldership": Eldership.objects.first().pk,
        "now": now.isoformat(),
        "later": (now + datetime.timedelta(days=5)).isoformat(),
        "much_later": (now + datetime.timedelta(days=50)).isoformat(),
    }
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for method, raw_path, raw_body, expected in CONSULTATION_CASES:
        path, body = raw_path.format(**ids), fill(raw_body, ids)
        with transaction.atomic():
            before = consultation_snapshot()
            if method in {"get", "delete"}:
                response = getattr(api, method)(path)
            else:
                response = getattr(api, method)(path, body)
            changed = consultation_snapshot() != before
            transaction.set_rollback(True)
        where = f"{method.upper()} {path}"
        if response.status_code != expected[index]:
            failures.append(f"{where}: {response.status_code}, expected {expected[index]}")
        if response.status_code >= 400 and changed:
            failures.append(f"{where}: refused with {response.status_code} but changed data")
    assert failures == []


# --- Climate (climate/api/) -----------------------------------------------------------------
# Every climate endpoint × every role, with one published inventory, one draft
# and one SEAP measure. Reads are public, but a draft is staff's only (a 404
# for everyone else); writes are for staff; a refused write changes nothing
# and an accepted one changes something.

STAFF_CHANGE = (401, 403, 403, 200)
STAFF_CREATE = (401, 403, 403, 201)
STAFF_DELETE = (401, 403, 403, 204)
STAFF_READ = (404, 404, 404, 200)
CLIMATE_CASES = [
    ("get", "/api/v1/climate/inventories/", None, ALL_200),
    ("get", "/api/v1/climate/inventories/{inventory}/", None, ALL_200),
    ("get", "/api/v1/climate/inventories/{draft}/", None, STAFF_READ),
    ("get", "/api/v1/climate/inventories/{draft}/consumption/", None, STAFF_READ),
    ("post", "/api/v1/climate/inventories/{draft}/publish/", None, STAFF_CHANGE),
    (
        "post",
        "/api/v1/climate/inventories/",
        {"year": 2018, "kind": "monitoring", "population": 90000},
        STAFF_CREATE,
    ),
    ("patch", "/api/v1/climate/inventories/{inventory}/", {"population": 88000}, STAFF_CHANGE),
    ("delete", "/api/v1/climate/inventories/{inventory}/", None, STAFF_DELETE),
    ("get", "/api/v1/climate/inventories/{inventory}/consumption/", None, ALL_200),
    (
        "put",
        "/api/v1/climate/inventories/{inventory}/consumption/",
        [{"sector": "residential", "carrier": "electricity", "mwh": "12.5"}],
        STAFF_CHANGE,
    ),
    ("get", "/api/v1/climate/inventories/{inventory}/factors/", None, ALL_200),
    (
        "put",
        "/api/v1/climate/inventories/{inventory}/factors/",
        {"natural_gas": "0.21"},
        STAFF_CHANGE,
    ),
    ("get", "/api/v1/climate/measures/", None, ALL_200),
    ("get", "/api/v1/climate/measures/{seap}/", None, ALL_200),
    (
        "post",
        "/api/v1/climate/measures/",
        {"title": "Naujas", "sector": "residential", "start_year": 2014, "end_year": 2016},
        STAFF_CREATE,
    ),
    ("patch", "/api/v1/climate/measures/{seap}/", {"co2_reduction_t": "12.5"}, STAFF_CHANGE),
    ("delete", "/api/v1/climate/measures/{seap}/", None, STAFF_DELETE),
    (
        "put",
        "/api/v1/climate/measures/{seap}/progress/2016/",
        {"status": "in_progress", "co2_reduction_t": "40"},
        STAFF_CREATE,
    ),
    ("put", "/api/v1/climate/target/", {"percent": "20", "year": 2020}, STAFF_CHANGE),
    ("get", "/api/v1/climate/target/", None, ALL_200),
]


def climate_snapshot():
    from climate.models import (
        Consumption,
        FactorOverride,
        Inventory,
        SeapMeasure,
        SeapProgress,
        Target,
    )

    return (
        list(SeapProgress.objects.order_by("pk").values_list("year", "status", "co2_reduction_t")),
        list(
            Inventory.objects.order_by("pk").values_list(
                "pk", "year", "kind", "population", "status"
            )
        ),
        list(
            Consumption.objects.order_by("pk").values_list(
                "inventory_id", "sector", "carrier", "mwh"
            )
        ),
        list(FactorOverride.objects.order_by("pk").values_list("inventory_id", "carrier", "value")),
        list(SeapMeasure.objects.order_by("pk").values_list("pk", "title", "co2_reduction_t")),
        list(Target.objects.values_list("percent", "year", "kind")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_climate_endpoint(role, api_for):
    from decimal import Decimal

    from climate.models import Inventory, SeapMeasure, Target

    inventory = Inventory.objects.create(
        kind="baseline", year=2012, population=87000, status="published"
    )
    inventory.consumption.create(sector="residential", carrier="heat", mwh=Decimal("100"))
    draft = Inventory.objects.create(kind="monitoring", year=2016, population=86000)
    seap = SeapMeasure.objects.create(
        title="LED", sector="public_lighting", start_year=2015, end_year=2019
    )
    Target.objects.create(pk=1, percent=Decimal("10"), year=2030)
    ids = {"inventory": inventory.pk, "draft": draft.pk, "seap": seap.pk}
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for method, raw_path, body, expected in CLIMATE_CASES:
        path = raw_path.format(**ids)
        with transaction.atomic():
            before = climate_snapshot()
            if method in {"get", "delete"}:
                response = getattr(api, method)(path)
            else:
                response = getattr(api, method)(path, body)
            changed = climate_snapshot() != before
            transaction.set_rollback(True)
        where = f"{method.upper()} {path}"
        if response.status_code != expected[index]:
            failures.append(f"{where}: {response.status_code}, expected {expected[index]}")
        if response.status_code >= 400 and changed:
            failures.append(f"{where}: refused with {response.status_code} but changed data")
        if response.status_code < 300 and method != "get" and not changed:
            failures.append(f"{where}: answered {response.status_code} but changed nothing")
    assert failures == []


# --- Monitoring (monitoring/api/) -------------------------------------------------------
# Every monitoring endpoint × every role, plus the unit member responsible for
# the measure under test and a member of another unit, on the version in force
# with an open round (2020) and a published one (2019, with values). A refused
# write changes nothing; an accepted one changes something.

MONITORING_ROLES = (*ROLES, "member", "other_member")
#                         anon resident council staff member other
MONITORING_ALL = (200, 200, 200, 200, 200, 200)
MONITORING_STAFF = (401, 403, 403, 201, 403, 403)
MONITORING_PUBLISH = (401, 403, 403, 200, 403, 403)
MONITORING_WRITE = (401, 403, 403, 201, 201, 403)
MONITORING_CORRECT = (401, 403, 403, 200, 200, 403)  # the 2020 value exists already
MONITORING_OPEN_YEAR = (404, 404, 200, 200, 200, 200)
MONITORING_DELETE = (401, 403, 403, 204, 204, 403)
MONITORING_CASES = [
    ("get", "/api/v1/plans/{plan}/rounds/", None, MONITORING_ALL),
    ("post", "/api/v1/plans/{plan}/rounds/", {"year": 2018, "due": "2019-02-15"}, MONITORING_STAFF),
    ("post", "/api/v1/rounds/{open}/publish/", None, MONITORING_PUBLISH),
    ("get", "/api/v1/rounds/{open}/items/", None, MONITORING_OPEN_YEAR),
    ("get", "/api/v1/rounds/{published}/items/", None, MONITORING_ALL),
    (
        "put",
        "/api/v1/indicators/{indicator}/actuals/2020/",
        {"value": "3", "note": ""},
        MONITORING_CORRECT,
    ),
    (
        "put",
        "/api/v1/measures/{measure}/implementation/2020/",
        {"status": "in_progress", "note": "", "spent": [{"source": "SB", "amount": "10"}]},
        MONITORING_WRITE,
    ),
    ("get", "/api/v1/indicators/{indicator}/actuals/", None, MONITORING_ALL),
    ("get", "/api/v1/indicators/{indicator}/actuals/2019/", None, MONITORING_ALL),
    ("get", "/api/v1/indicators/{indicator}/actuals/2020/", None, MONITORING_OPEN_YEAR),
    ("get", "/api/v1/measures/{measure}/implementation/", None, MONITORING_ALL),
    ("get", "/api/v1/measures/{measure}/implementation/2019/", None, MONITORING_ALL),
    ("get", "/api/v1/versions/{version}/progress/", None, MONITORING_ALL),
    ("get", "/api/v1/measures/{measure}/milestones/", None, MONITORING_ALL),
    ("post", "/api/v1/measures/{measure}/milestones/", {"title": "Projektas"}, MONITORING_WRITE),
    ("patch", "/api/v1/milestones/{milestone}/", {"done_on": "2020-05-01"}, MONITORING_CORRECT),
    ("delete", "/api/v1/milestones/{milestone}/", None, MONITORING_DELETE),
]


def monitoring_snapshot():
    from monitoring.models import (
        ActualValue,
        MeasureImplementation,
        Milestone,
        MonitoringRound,
        SpentLine,
    )

    return (
        list(Milestone.objects.order_by("pk").values_list("pk", "title", "due", "done_on")),
        list(MonitoringRound.objects.order_by("pk").values_list("pk", "year", "status")),
        list(ActualValue.objects.order_by("pk").values_list("pk", "year", "value", "revision")),
        list(
            MeasureImplementation.objects.order_by("pk").values_list(
                "pk", "year", "status", "revision"
            )
        ),
        list(SpentLine.objects.order_by("pk").values_list("pk", "source_id", "amount")),
    )


@pytest.mark.parametrize("role", MONITORING_ROLES)
def test_each_role_gets_the_expected_answer_from_every_monitoring_endpoint(
    role, api_for, approved_version, staff_user
):
    import datetime

    from monitoring import milestones, services
    from monitoring.models import UnitMembership
    from tests import factories

    indicator = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()
    measure = indicator.measure
    plan = approved_version.plan
    published = services.round_open(
        user=staff_user, plan=plan, year=2019, due=datetime.date(2020, 2, 15)
    )
    services.actual_set(user=staff_user, indicator=indicator, year=2019, value="2")
    services.implementation_set(user=staff_user, measure=measure, year=2019, status="in_progress")
    services.round_publish(user=staff_user, round=published)
    opened = services.round_open(
        user=staff_user, plan=plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value="2.5")
    milestone = milestones.milestone_save(
        user=staff_user, measure=measure, title="Techninis projektas", due=datetime.date(2020, 6, 1)
    )
    if role in {"member", "other_member"}:
        unit = measure.responsible_unit if role == "member" else factories.UnitFactory()
        user = factories.UserFactory()
        UnitMembership.objects.create(unit=unit, user=user)
        client = Client()
        client.force_login(user)
        api = ApiClient(client)
    else:
        api = api_for(role)
    ids = {
        "plan": plan.pk,
        "version": approved_version.pk,
        "indicator": indicator.pk,
        "measure": measure.pk,
        "open": opened.pk,
        "published": published.pk,
        "milestone": milestone.pk,
    }
    index = MONITORING_ROLES.index(role)
    failures = []
    for method, raw_path, body, statuses in MONITORING_CASES:
        path = raw_path.format(**ids)
        expected = statuses[index]
        with transaction.atomic():
            before = monitoring_snapshot()
            if method in ("get", "delete"):
                response = getattr(api, method)(path)
            else:
                response = getattr(api, method)(path, body)
            changed = monitoring_snapshot() != before
            transaction.set_rollback(True)
        where = f"{method.upper()} {path}"
        if response.status_code != expected:
            failures.append(f"{where}: {response.status_code}, expected {expected}")
        if response.status_code >= 400 and changed:
            failures.append(f"{where}: refused with {response.status_code} but changed data")
        if response.status_code < 300 and method != "get" and not changed:
            failures.append(f"{where}: answered {response.status_code} but changed nothing")
    assert failures == []


# --- Yearly implementation reports (reports/api/) -----------------------------------------
# Every reports endpoint × every role, on a draft (2020), a report under
# council review (2019) and an approved one (2018) of the version in force's
# plan, with an open round of 2017 to make a new report from. A refused write
# changes nothing; an accepted one changes something.

HIDDEN_REPORT = (404, 404, 404, 200)  # a draft: staff only
COUNCIL_REPORT = (404, 404, 200, 200)  # under council review
STAFF_STEP = (401, 403, 403, 200)
STAFF_STEP_REFUSED = (401, 403, 403, 409)
REPORT_DECISION = {"decision_number": "TS-9", "decision_date": "2020-05-01"}
REPORT_CASES = [
    ("get", "/api/v1/plans/{plan}/reports/", None, ALL_200),
    ("post", "/api/v1/plans/{plan}/reports/", {"year": 2017}, CREATE_IN_DRAFT),
    ("post", "/api/v1/plans/{plan}/reports/", {"year": 2020}, STAFF_STEP_REFUSED),
    ("get", "/api/v1/reports/", None, ALL_200),
    ("get", "/api/v1/reports/{draft}/", None, HIDDEN_REPORT),
    ("get", "/api/v1/reports/{review}/", None, COUNCIL_REPORT),
    ("get", "/api/v1/reports/{approved}/", None, ALL_200),
    ("get", "/api/v1/reports/{draft}/narratives/summary/", None, HIDDEN_REPORT),
    ("get", "/api/v1/reports/{approved}/narratives/summary/", None, ALL_200),
    ("put", "/api/v1/reports/{draft}/narratives/summary/", {"text": "Gerai"}, STAFF_STEP),
    ("put", "/api/v1/reports/{review}/narratives/summary/", {"text": "Gerai"}, STAFF_STEP_REFUSED),
    ("post", "/api/v1/reports/{draft}/submit/", None, STAFF_STEP),
    ("post", "/api/v1/reports/{approved}/submit/", None, STAFF_STEP_REFUSED),
    ("post", "/api/v1/reports/{review}/withdraw/", {"reason": "Trūksta"}, STAFF_STEP),
    ("post", "/api/v1/reports/{draft}/withdraw/", {"reason": "Trūksta"}, STAFF_STEP_REFUSED),
    ("post", "/api/v1/reports/{review}/approve/", REPORT_DECISION, STAFF_STEP),
    ("post", "/api/v1/reports/{draft}/approve/", REPORT_DECISION, STAFF_STEP_REFUSED),
    (
        "post",
        "/api/v1/reports/{approved}/decision/",
        {**REPORT_DECISION, "reason": "Klaida"},
        STAFF_STEP,
    ),
    ("post", "/api/v1/reports/{review}/decision/", REPORT_DECISION, STAFF_STEP_REFUSED),
    ("post", "/api/v1/reports/{approved}/revise/", {"reason": "Pataisos"}, CREATE_IN_DRAFT),
    ("post", "/api/v1/reports/{draft}/revise/", {"reason": "Pataisos"}, STAFF_STEP_REFUSED),
]


def report_snapshot():
    from reports.models import Report, ReportEvent, ReportNarrative

    return (
        list(
            Report.objects.order_by("pk").values_list(
                "pk", "status", "revision", "decision_number", "change_counter"
            )
        ),
        list(ReportNarrative.objects.order_by("pk").values_list("pk", "section", "html")),
        ReportEvent.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_report_endpoint(
    role, api_for, approved_version, staff_user
):
    import datetime

    from monitoring import services as monitoring
    from reports import services

    plan = approved_version.plan
    for year in (2017, 2018, 2019, 2020):
        round_ = monitoring.round_open(
            user=staff_user, plan=plan, year=year, due=datetime.date(year + 1, 2, 1)
        )
        if year > 2017:
            monitoring.round_publish(user=staff_user, round=round_)
    approved = services.report_create(user=staff_user, plan=plan, year=2018)
    services.report_submit(user=staff_user, report=approved)
    services.report_approve(
        user=staff_user,
        report=approved,
        decision_number="TS-101",
        decision_date=datetime.date(2019, 4, 25),
    )
    review = services.report_create(user=staff_user, plan=plan, year=2019)
    services.report_submit(user=staff_user, report=review)
    draft = services.report_create(user=staff_user, plan=plan, year=2020)
    ids = {"plan": plan.pk, "draft": draft.pk, "review": review.pk, "approved": approved.pk}
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for method, raw_path, body, statuses in REPORT_CASES:
        path = raw_path.format(**ids)
        expected = statuses[index]
        with transaction.atomic():
            before = report_snapshot()
            if method == "get":
                response = api.get(path)
            else:
                response = getattr(api, method)(path, body)
            changed = report_snapshot() != before
            transaction.set_rollback(True)
        where = f"{method.upper()} {path}"
        if response.status_code != expected:
            failures.append(f"{where}: {response.status_code}, expected {expected}")
        if response.status_code >= 400 and changed:
            failures.append(f"{where}: refused with {response.status_code} but changed data")
        if response.status_code < 300 and method != "get" and not changed:
            failures.append(f"{where}: answered {response.status_code} but changed nothing")


# --- A yearly report's XLSX annex (reports/api_xlsx.py) ---------------------------------
# To whoever may read the report: the public approved ones, council those under
# review too, staff drafts too; 404 otherwise, as for the report itself.
REPORT_XLSX_CASES = [
    ("/api/v1/reports/{approved}/xlsx/", ALL_200),
    ("/api/v1/reports/{review}/xlsx/", (404, 404, 200, 200)),
    ("/api/v1/reports/{draft}/xlsx/", (404, 404, 404, 200)),
    ("/api/v1/reports/999999/xlsx/", (404, 404, 404, 404)),
]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_the_report_xlsx_endpoint(
    role, api_for, approved_version, staff_user
):
    from reports import services
    from tests.reports.compare_fixtures import make_report, publish_round

    plan = approved_version.plan
    for year in (2018, 2019, 2020):
        publish_round(staff_user, plan, year, actual="3", status="in_progress", spent="1")
    ids = {
        "approved": make_report(staff_user, plan, 2018).pk,
        "review": services.report_submit(
            user=staff_user, report=make_report(staff_user, plan, 2019, approve=False)
        ).pk,
        "draft": make_report(staff_user, plan, 2020, approve=False).pk,
    }
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for raw_path, statuses in REPORT_XLSX_CASES:
        path = raw_path.format(**ids)
        response = api.get(path)
        if response.status_code != statuses[index]:
            failures.append(f"GET {path}: {response.status_code}, expected {statuses[index]}")
    assert failures == []


# --- Council votings and review of yearly reports (council/api/, issue 14) ------------------
# Every voting endpoint × every role on a report under council review: first
# without a voting (opening one), then with an open one (reading it, a
# ballot, closing), then with the closed voting of the approved report, which
# is public. A refused write changes nothing; an accepted one changes something.

REPORT_VOTING_CASES = {
    "none": [
        ("post", "/api/v1/votings/", {"report": "{report}"}, (401, 403, 403, 201)),
        (
            "post",
            "/api/v1/votings/",
            {"report": "{report}", "version": "{version}"},
            FROZEN[:3] + (400,),
        ),
        ("get", "/api/v1/votings/?report={report}", None, ALL_200),
    ],
    "open": [
        ("post", "/api/v1/votings/", {"report": "{report}"}, FROZEN),
        ("get", "/api/v1/votings/{voting}/", None, HIDDEN_DRAFT),
        ("post", "/api/v1/votings/{voting}/ballots/", {"choice": "for"}, (401, 403, 201, 403)),
        ("post", "/api/v1/votings/{voting}/close/", {}, (401, 403, 403, 200)),
    ],
    "closed": [
        ("get", "/api/v1/votings/{voting}/", None, ALL_200),
        ("get", "/api/v1/votings/?report={report}", None, ALL_200),
        ("post", "/api/v1/votings/{voting}/close/", {}, FROZEN),
        ("post", "/api/v1/votings/{voting}/ballots/", {"choice": "for"}, (401, 403, 409, 403)),
    ],
}


def report_voting_snapshot():
    from council.models import Ballot, Voting
    from reports.models import Report

    return (
        list(Voting.objects.order_by("pk").values_list("pk", "status", "passed")),
        list(Ballot.objects.order_by("pk").values_list("pk", "choice")),
        list(Report.objects.order_by("pk").values_list("pk", "status")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_the_report_voting_endpoints(
    role, api_for, approved_version, staff_user
):
    import datetime

    from council import services as council
    from monitoring import services as monitoring
    from reports import services as reports
    from tests import factories

    round_ = monitoring.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    monitoring.round_publish(user=staff_user, round=round_)
    report = reports.report_create(user=staff_user, plan=approved_version.plan, year=2020)
    report = reports.report_submit(user=staff_user, report=report)
    api = api_for(role)
    ids = {"report": report.pk, "version": approved_version.pk}
    failures = []
    for stage in ("none", "open", "closed"):
        if stage == "open":
            ids["voting"] = council.voting_open(user=staff_user, report=report).pk
        elif stage == "closed":
            from council.models import Voting

            voting = Voting.objects.get(pk=ids["voting"])
            for n in range(2):
                member = factories.UserFactory(username=f"report-matrix-{n}", role="council")
                council.ballot_cast(user=member, voting=voting, choice="for")
            council.voting_close(user=staff_user, voting=voting)
        for method, raw_path, raw_body, statuses in REPORT_VOTING_CASES[stage]:
            path, body = raw_path.format(**ids), fill(raw_body, ids)
            expected = statuses[ROLES.index(role)]
            with transaction.atomic():
                before = report_voting_snapshot()
                response = api.get(path) if method == "get" else api.post(path, body)
                changed = report_voting_snapshot() != before
                transaction.set_rollback(True)
            where = f"{method.upper()} {path} ({stage})"
            if response.status_code != expected:
                failures.append(f"{where}: {response.status_code}, expected {expected}")
            if response.status_code >= 400 and changed:
                failures.append(f"{where}: refused with {response.status_code} but changed data")
            if response.status_code < 300 and method != "get" and not changed:
                failures.append(f"{where}: answered {response.status_code} but changed nothing")
    assert failures == []


# --- The yearly report as a PDF (reports/api_pdf.py) ------------------------------------
# 202 "being prepared" to whoever may read the report (no request renders),
# 404 to anyone else: drafts are staff's, a report under review the council's too.

REPORT_PDF_CASES = {
    "draft": (404, 404, 404, 202),
    "council_review": (404, 404, 202, 202),
    "approved": (202, 202, 202, 202),
    "superseded": (202, 202, 202, 202),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_the_report_pdf(
    role, api_for, approved_version, staff_user, settings, tmp_path
):
    import datetime

    from monitoring import services as monitoring
    from reports import services as reports
    from reports.models import ReportDocument

    settings.MEDIA_ROOT = tmp_path
    plan = approved_version.plan
    for year in (2018, 2019, 2020):
        round_ = monitoring.round_open(
            user=staff_user, plan=plan, year=year, due=datetime.date(year + 1, 2, 15)
        )
        monitoring.round_publish(user=staff_user, round=round_)
    decided = {"decision_number": "TS-12", "decision_date": datetime.date(2021, 4, 29)}
    old = reports.report_create(user=staff_user, plan=plan, year=2018)
    reports.report_submit(user=staff_user, report=old)
    reports.report_approve(user=staff_user, report=old, **decided)
    new = reports.report_revise(user=staff_user, report=old, reason="Pataisyta")
    reports.report_submit(user=staff_user, report=new)
    reports.report_approve(user=staff_user, report=new, **decided)
    review = reports.report_create(user=staff_user, plan=plan, year=2019)
    reports.report_submit(user=staff_user, report=review)
    draft = reports.report_create(user=staff_user, plan=plan, year=2020)
    by_status = {"draft": draft, "council_review": review, "approved": new, "superseded": old}
    api = api_for(role)
    index = ROLES.index(role)
    failures = []
    for status, expected in REPORT_PDF_CASES.items():
        report = by_status[status]
        report.refresh_from_db()
        assert report.status == status
        path = f"/api/v1/reports/{report.pk}/pdf/"
        got = api.get(path).status_code
        if got != expected[index]:
            failures.append(f"GET {path} on {status}: {got}, expected {expected[index]}")
    for method in ("post", "delete"):
        got = getattr(api, method)(f"/api/v1/reports/{new.pk}/pdf/").status_code
        if got not in (401, 403, 405):
            failures.append(f"{method.upper()} on the PDF: {got}")
    assert failures == []
    if role in ("anonymous", "resident"):
        assert not ReportDocument.objects.filter(report__in=[draft, review]).exists()
