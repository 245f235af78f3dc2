"""The reports API (docs/reports/api.md): the contract's shapes, who sees
what, every step of a report's way, refusals and query counts."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitoring import services as monitoring
from monitoring.models import ActualValue
from plans.models import Indicator, VersionStatus
from reports import services
from reports.models import Report, ReportNarrative, ReportStatus
from tests import factories
from tests.api.conftest import ApiClient
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 2, 15)
DECISION = {"decision_number": "TS-1", "decision_date": "2021-01-01"}


def api_of(user=None) -> ApiClient:
    client = Client()
    if user is not None:
        client.force_login(user)
    return ApiClient(client)


def plan_url(plan_id) -> str:
    return f"/api/v1/plans/{plan_id}/reports/"


def report_url(report, step="") -> str:
    return f"/api/v1/reports/{report.pk}/" + (f"{step}/" if step else "")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def state_of():
    """Everything a report write could change, to prove a refused one changed nothing."""
    return (
        list(
            Report.objects.order_by("pk").values_list(
                "pk", "status", "revision", "decision_number", "decision_date", "change_counter"
            )
        ),
        list(ReportNarrative.objects.order_by("pk").values_list("pk", "section", "html")),
    )


# --- Making a report ---------------------------------------------------------------


def test_staff_make_the_draft_of_a_year_with_the_contracts_answer(published_round, staff_user):
    response = api_of(staff_user).post(plan_url(published_round.plan_id), {"year": 2020})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["year"] == 2020 and body["status"] == "draft"
    report = Report.objects.get(pk=body["id"])
    assert body["plan"] == report.plan_id and body["round"] == published_round.pk
    assert body["revision"] == 1 and body["decision"] is None


def test_a_second_report_of_the_year_is_a_409(draft_report, staff_user):
    response = api_of(staff_user).post(plan_url(draft_report.plan_id), {"year": 2020})
    assert response.status_code == 409
    assert response.json()["code"] == "report_exists"
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "year"),
        ({"year": "abc"}, "year"),
        ({"year": 1800}, "year"),
        ({"year": 99999999999999999999}, "year"),
        ({"year": [2020]}, "year"),
        ({"year": 2020, "status": "approved"}, "status"),
        ({"year": 2020, "yeer": 2020}, "yeer"),
        ({"year": 2019}, "year"),  # no round of 2019
    ],
)
def test_bad_years_and_unknown_fields_are_400s_naming_the_field(
    published_round, staff_user, body, field
):
    response = api_of(staff_user).post(plan_url(published_round.plan_id), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Report.objects.exists()


def test_a_plan_that_does_not_exist_is_a_404(staff_user, db):
    assert api_of(staff_user).get(plan_url(999999)).status_code == 404
    assert api_of(staff_user).post(plan_url(999999), {"year": 2020}).status_code == 404
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    assert client.get(plan_url("99999999999999999999")).status_code == 404


# --- Lists -------------------------------------------------------------------------


@pytest.fixture
def three_reports(approved_version, staff_user):
    """Reports of 2018 (approved), 2019 (under council review) and 2020 (draft)."""
    plan = approved_version.plan
    for year in (2018, 2019, 2020):
        round_ = monitoring.round_open(
            user=staff_user, plan=plan, year=year, due=datetime.date(year + 1, 2, 1)
        )
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
    return {"approved": approved, "review": review, "draft": draft}


def test_each_reader_lists_what_they_may_see(three_reports, staff_user, council_user):
    plan_id = three_reports["draft"].plan_id

    def years(user):
        return [row["year"] for row in results(api_of(user).get(plan_url(plan_id)))]

    assert years(None) == [2018]
    assert years(factories.UserFactory()) == [2018]
    assert years(council_user) == [2019, 2018]
    assert years(staff_user) == [2020, 2019, 2018]
    assert [row["year"] for row in results(api_of().get("/api/v1/reports/"))] == [2018]


def test_the_lists_filter_by_year_status_and_plan(three_reports, staff_user):
    staff = api_of(staff_user)
    plan_id = three_reports["draft"].plan_id
    assert [r["year"] for r in results(staff.get(plan_url(plan_id) + "?year=2019"))] == [2019]
    rows = results(staff.get(plan_url(plan_id) + "?status=approved"))
    assert [(r["year"], r["decision"]) for r in rows] == [
        (2018, {"number": "TS-101", "date": "2019-04-25"})
    ]
    assert len(results(staff.get(f"/api/v1/reports/?plan={plan_id}"))) == 3
    assert results(staff.get("/api/v1/reports/?plan=999999")) == []
    assert results(staff.get("/api/v1/reports/?status=draft&year=2020"))[0]["status"] == "draft"


@pytest.mark.parametrize(
    "query", ["?year=abc", "?year=99999999999999999999", "?status=nope", "?plan=1.5"]
)
def test_bad_filters_are_400s_naming_the_parameter(three_reports, query):
    response = api_of().get("/api/v1/reports/" + query)
    assert response.status_code == 400, response.content
    assert query[1:].split("=")[0] in response.json()


# --- The report itself ---------------------------------------------------------------


def test_the_detail_has_the_contracts_indicators_as_frozen(submitted_report, staff_user):
    body = api_of(staff_user).get(report_url(submitted_report)).json()
    assert body["year"] == 2020 and body["status"] == "council_review"
    indicators = body["indicators"]
    assert indicators and all(
        {"key", "actual", "target", "progress"} <= set(row) for row in indicators
    )
    reported = [row for row in indicators if row["actual"] is not None]
    assert [row["actual"] for row in reported] == ["15"]
    assert 0 <= reported[0]["progress"] <= 1
    assert {"revision", "plan", "version", "round", "summary", "measures", "narratives"} <= set(
        body
    )
    assert [e["kind"] for e in body["events"]] == ["created", "submitted"]
    delayed = [m for m in body["measures"] if m["implementation"] == "delayed"]
    assert delayed[0]["reason"] == "Užsitęsė pirkimas"
    assert body["summary"]["implementation_counts"]["delayed"] == 1

    # A correction of the monitoring data after submission changes nothing the report shows.
    ActualValue.objects.filter(year=2020).update(value=99)
    again = api_of(staff_user).get(report_url(submitted_report)).json()
    assert again["indicators"] == indicators


def test_a_drafts_detail_is_live_for_staff_and_hidden_from_others(
    draft_report, staff_user, council_user
):
    assert api_of().get(report_url(draft_report)).status_code == 404
    assert api_of(council_user).get(report_url(draft_report)).status_code == 404
    before = api_of(staff_user).get(report_url(draft_report)).json()
    assert before["status"] == "draft"
    ActualValue.objects.filter(year=2020).update(value=18)
    after = api_of(staff_user).get(report_url(draft_report)).json()
    assert [r["actual"] for r in after["indicators"] if r["actual"]] == ["18"]


def test_the_public_reads_an_approved_report_without_who_did_what(approved_report, staff_user):
    public = api_of().get(report_url(approved_report)).json()
    assert public["status"] == "approved"
    assert public["decision"] == {"number": "TS-12", "date": "2021-04-29"}
    assert {e["user"] for e in public["events"]} == {None}
    staff = api_of(staff_user).get(report_url(approved_report)).json()
    assert staff_user.get_username() in {e["user"] for e in staff["events"]}
    assert b"@" not in api_of(staff_user).get(report_url(approved_report)).content


# --- The way through the council ---------------------------------------------------------


def test_staff_take_a_report_through_every_step(draft_report, staff_user):
    staff = api_of(staff_user)
    response = staff.post(report_url(draft_report, "submit"))
    assert response.json()["status"] == "council_review"
    response = staff.post(report_url(draft_report, "withdraw"), {"reason": "Trūksta duomenų"})
    assert response.json()["status"] == "draft"
    staff.post(report_url(draft_report, "submit"))
    response = staff.post(
        report_url(draft_report, "approve"),
        {"decision_number": "TS-7", "decision_date": "2021-03-25"},
    )
    assert response.status_code == 200
    assert response.json()["decision"] == {"number": "TS-7", "date": "2021-03-25"}
    response = staff.post(
        report_url(draft_report, "decision"),
        {"decision_number": "TS-8", "decision_date": "2021-03-25", "reason": "Klaida numeryje"},
    )
    assert response.json()["decision"]["number"] == "TS-8"
    response = staff.post(report_url(draft_report, "revise"), {"reason": "Pataisyti rodikliai"})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["revision"]) == ("draft", 2)
    assert response.json()["replaces"] == draft_report.pk
    kinds = [e["kind"] for e in staff.get(report_url(draft_report)).json()["events"]]
    assert kinds == [
        "created",
        "submitted",
        "withdrawn",
        "submitted",
        "approved",
        "decision_recorded",
        "decision_corrected",
    ]


@pytest.mark.parametrize(
    "step, body, status, code",
    [
        ("submit", {"confirm": True}, 400, "invalid"),
        ("withdraw", {}, 400, "invalid"),
        ("withdraw", {"reason": "x"}, 409, "report_state"),
        ("approve", DECISION, 409, "report_state"),
        ("decision", DECISION, 409, "report_state"),
        ("revise", {"reason": "x"}, 409, "report_state"),
        ("revise", {"reason": ""}, 400, "invalid"),
    ],
)
def test_steps_the_draft_does_not_allow_are_refused_and_change_nothing(
    draft_report, staff_user, step, body, status, code
):
    before = state_of()
    response = api_of(staff_user).post(report_url(draft_report, step), body)
    assert (response.status_code, response.json()["code"]) == (status, code), response.content
    assert state_of() == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({"decision_number": "TS-1"}, "decision_date"),
        ({"decision_number": "TS-1", "decision_date": "vakar"}, "decision_date"),
        ({"decision_number": "TS-1", "decision_date": "2999-01-01"}, "decision_date"),
        ({"decision_number": "TS-1", "decision_date": "2020-06-01"}, "decision_date"),
        ({"decision_number": "???", "decision_date": "2021-01-01"}, "decision_number"),
        ({"decision_number": "TS-1", "decision_date": "2021-01-01", "reason": "x"}, "reason"),
    ],
)
def test_a_bad_decision_is_a_400_naming_the_field(submitted_report, staff_user, body, field):
    before = state_of()
    response = api_of(staff_user).post(report_url(submitted_report, "approve"), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert state_of() == before


def test_a_second_decision_needs_a_reason(approved_report, staff_user):
    body = {"decision_number": "TS-13", "decision_date": "2021-04-29"}
    response = api_of(staff_user).post(report_url(approved_report, "decision"), body)
    assert response.status_code == 400 and "reason" in response.json()


def test_submitting_before_the_round_is_published_is_a_409(approved_version, staff_user):
    monitoring.round_open(user=staff_user, plan=approved_version.plan, year=2020, due=DUE)
    report = services.report_create(user=staff_user, plan=approved_version.plan, year=2020)
    response = api_of(staff_user).post(report_url(report, "submit"))
    assert response.status_code == 409 and response.json()["code"] == "round_not_published"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None


# --- Narratives --------------------------------------------------------------------------


def test_staff_write_a_drafts_narrative_and_read_it_back(draft_report, staff_user):
    staff = api_of(staff_user)
    url = report_url(draft_report, "narratives/summary")
    text = "Metai buvo geri.\n\n- mokykla\n- keliai <script>x</script>"
    response = staff.put(url, {"text": text})
    assert response.status_code == 200, response.content
    html = response.json()["html"]
    assert html.startswith("<p>Metai buvo geri.</p><ul><li>mokykla</li>") and "<script" not in html
    assert staff.get(url).json()["html"] == html
    narratives = staff.get(report_url(draft_report)).json()["narratives"]
    assert [(n["section"], n["html"]) for n in narratives] == [("summary", html)]
    assert staff.put(url, {"text": ""}).json()["html"] == ""
    assert not ReportNarrative.objects.exists()


def test_a_priority_or_goal_narrative_is_keyed_by_the_nodes_key(draft_report, staff_user):
    staff = api_of(staff_user)
    priority_key = staff.get(f"/api/v1/versions/{draft_report.version_id}/tree/").json()[
        "priorities"
    ][0]["key"]
    url = report_url(draft_report, f"narratives/priority:{priority_key}")
    assert staff.put(url, {"text": "Prioritetas"}).status_code == 200
    sections = [n["section"] for n in staff.get(report_url(draft_report)).json()["narratives"]]
    assert sections == [f"priority:{priority_key}"]


@pytest.mark.parametrize(
    "section, body, field",
    [
        ("nothing", {"text": "x"}, "section"),
        ("goal:00000000-0000-0000-0000-000000000000", {"text": "x"}, "section"),
        ("summary", {}, "text"),
        ("summary", {"text": ["x"]}, "text"),
        ("summary", {"text": "x", "html": "<p>x</p>"}, "html"),
        ("summary", {"text": "x" * 20_001}, "text"),
    ],
)
def test_bad_narratives_are_400s(draft_report, staff_user, section, body, field):
    response = api_of(staff_user).put(report_url(draft_report, f"narratives/{section}"), body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ReportNarrative.objects.exists()


def test_a_frozen_reports_narrative_cannot_be_written(submitted_report, staff_user, council_user):
    url = report_url(submitted_report, "narratives/summary")
    response = api_of(staff_user).put(url, {"text": "Vėliau"})
    assert response.status_code == 409 and response.json()["code"] == "report_state"
    assert api_of(council_user).put(url, {"text": "Vėliau"}).status_code == 403
    assert api_of(council_user).get(url).json() == {"section": "summary", "html": "", "text": ""}
    assert api_of(council_user).get(report_url(submitted_report, "narratives/x")).status_code == 404


# --- Query counts ------------------------------------------------------------------------


def report_of_size(size, staff_user, *, submit):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size, goals=2, tasks=2, measures=2)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    round_ = monitoring.round_open(user=staff_user, plan=version.plan, year=2020, due=DUE)
    for indicator in Indicator.objects.filter(version=version, measure__isnull=False)[:size]:
        monitoring.actual_set(user=staff_user, indicator=indicator, year=2020, value="12")
    monitoring.round_publish(user=staff_user, round=round_)
    report = services.report_create(user=staff_user, plan=version.plan, year=2020)
    services.narrative_save(user=staff_user, report=report, section="summary", text="Gerai")
    if submit:
        services.report_submit(user=staff_user, report=report)
    return report


def queries_of(url, user) -> int:
    api = api_of(user)
    api.get("/api/v1/plans/")  # the session and the user's groups, as in every request
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "frozen"])
def test_the_detail_takes_the_same_number_of_queries_as_the_plan_grows_fivefold(staff_user, submit):
    small = report_of_size(1, staff_user, submit=submit)
    large = report_of_size(5, staff_user, submit=submit)
    assert len(api_of(staff_user).get(report_url(large)).json()["indicators"]) > 5 * 4
    assert queries_of(report_url(small), staff_user) == queries_of(report_url(large), staff_user)


def test_the_list_takes_the_same_number_of_queries_however_many_reports(staff_user):
    small = report_of_size(1, staff_user, submit=True)
    large = report_of_size(1, staff_user, submit=True)
    for year in (2016, 2017, 2018, 2019):
        monitoring.round_open(
            user=staff_user, plan=large.plan, year=year, due=datetime.date(year + 1, 1, 1)
        )
        services.report_create(user=staff_user, plan=large.plan, year=year)
    assert Report.objects.filter(plan=large.plan).count() == 5
    assert queries_of(plan_url(small.plan_id), staff_user) == queries_of(
        plan_url(large.plan_id), staff_user
    )


# --- The schema --------------------------------------------------------------------------


def test_the_schema_documents_the_reports_endpoints(db):
    schema = api_of().get("/api/v1/schema/?format=json").json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/plans/{id}/reports/", "get"),
        ("/api/v1/plans/{id}/reports/", "post"),
        ("/api/v1/reports/", "get"),
        ("/api/v1/reports/{id}/", "get"),
        ("/api/v1/reports/{id}/submit/", "post"),
        ("/api/v1/reports/{id}/withdraw/", "post"),
        ("/api/v1/reports/{id}/approve/", "post"),
        ("/api/v1/reports/{id}/decision/", "post"),
        ("/api/v1/reports/{id}/revise/", "post"),
        ("/api/v1/reports/{id}/narratives/{section}/", "put"),
    ]:
        assert method in paths[path], path
    schemas = schema["components"]["schemas"]
    assert schemas["ReportStatusEnum"]["enum"] == [
        "draft",
        "council_review",
        "approved",
        "superseded",
    ]
    indicator = schemas["ReportIndicator"]["properties"]
    assert {"key", "actual", "target", "progress"} <= set(indicator)
    assert "409" in paths["/api/v1/reports/{id}/submit/"]["post"]["responses"]
    assert "201" in paths["/api/v1/reports/{id}/revise/"]["post"]["responses"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/99999999999999999999/",
        "/api/v1/reports/99999999999999999999/submit/",
        "/api/v1/reports/99999999999999999999/narratives/summary/",
        "/api/v1/plans/99999999999999999999/reports/",
        "/api/v1/reports/abc/",
    ],
)
def test_ids_beyond_64_bits_or_not_numbers_are_404s(staff_user, path):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    assert client.get(path).status_code in (404, 405)
    response = client.post(path, '{"year": 2020}', content_type="application/json")
    assert response.status_code in (404, 405)
    response = client.put(path, '{"text": "x"}', content_type="application/json")
    assert response.status_code in (404, 405)
