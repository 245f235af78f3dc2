"""Bad input to the API is a 4xx with a JSON body and a code, never a server error.

Each case here was a 500 (or an HTML answer) before: found by hand or by the
schemathesis run of scripts/schemathesis.py (docs/security/badinput.md).
"""

import datetime
import importlib.util
import json
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from climate.models import Inventory
from consultations.models import Consultation, Proposal
from council import services as council_services
from council.models import Voting
from plans.models import VersionStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw(db):
    """A client that answers a server error with its 500 instead of raising it."""
    client = Client(raise_request_exception=False)
    client.cookies["planportal_language"] = "en"
    return client


def assert_json_refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    return body


# --- Bodies -------------------------------------------------------------------


def test_json_nested_a_thousand_deep_is_a_400_not_a_recursion_error(raw):
    body = "[" * 1000 + "]" * 1000
    response = raw.post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert "nested deeper" in assert_json_refusal(response, 400, "invalid")["detail"]


def test_json_just_past_the_depth_limit_is_refused_and_within_it_is_read(raw, settings):
    settings.API_JSON_MAX_DEPTH = 5
    deep = {"username": [[[[["x"]]]]], "password": "x"}  # six levels
    response = raw.post(
        "/api/v1/auth/token/", data=json.dumps(deep), content_type="application/json"
    )
    assert_json_refusal(response, 400, "invalid")
    shallow = {"username": "nobody", "password": "x"}
    response = raw.post(
        "/api/v1/auth/token/", data=json.dumps(shallow), content_type="application/json"
    )
    assert_json_refusal(response, 400, "invalid")
    assert "non_field_errors" in response.json()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_a_body_over_the_upload_limit_is_a_json_413(staff_client, small_draft):
    staff_client.cookies["planportal_language"] = "en"
    body = json.dumps({"version": small_draft.pk, "title": "x" * 20_000})
    response = staff_client.post("/api/v1/priorities/", data=body, content_type="application/json")
    assert "too large" in assert_json_refusal(response, 413, "too_large")["detail"]
    response = staff_client.post(
        "/api/v1/priorities/", data={"title": "x" * 20_000}, format="multipart"
    )
    assert_json_refusal(response, 413, "too_large")


# --- Ids in paths and filters -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/climate/inventories/abc/",
        "/api/v1/climate/inventories/null,null/",
        "/api/v1/climate/inventories/abc/consumption/",
        "/api/v1/climate/inventories/1.5/factors/",
        "/api/v1/versions/abc/",
        "/api/v1/proposals/abc/",
        "/api/v1/no-such-endpoint/",
    ],
)
def test_a_path_id_that_is_not_a_number_is_a_json_404(raw, path):
    # /climate/inventories/abc/ was a 500 (ValueError) on SQLite and PostgreSQL.
    assert_json_refusal(raw.get(path), 404, "not_found")


def test_an_inventory_id_beyond_the_database_is_a_404(raw):
    assert_json_refusal(
        raw.get("/api/v1/climate/inventories/99999999999999999999/"), 404, "not_found"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/versions/?plan=99999999999999999999",
        "/api/v1/measures/?task=-99999999999999999999",
        "/api/v1/indicators/?goal=9223372036854775808",
    ],
)
def test_a_filter_id_beyond_64_bits_is_a_400_naming_the_parameter(raw, path):
    # Was a 500 on SQLite (OverflowError: Python int too large to convert to SQLite INTEGER).
    name = path.split("?")[1].split("=")[0]
    assert name in assert_json_refusal(raw.get(path), 400, "invalid")


def test_the_largest_64_bit_id_simply_finds_nothing(raw):
    response = raw.get("/api/v1/versions/?plan=9223372036854775807")
    assert response.status_code == 200 and response.json()["count"] == 0


# --- Unknown fields -----------------------------------------------------------


def _iso(days):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def open_consultation(staff_api, small_draft):
    response = staff_api.post(
        "/api/v1/consultations/",
        {
            "version": small_draft.pk,
            "title": "Aptarimas",
            "starts_at": _iso(-1),
            "ends_at": _iso(9),
        },
    )
    assert response.status_code == 201, response.content
    return Consultation.objects.get(pk=response.json()["id"])


def test_a_proposal_with_an_unknown_field_is_refused_and_not_stored(
    open_consultation, resident_api
):
    response = resident_api.post(
        f"/api/v1/consultations/{open_consultation.pk}/proposals/",
        {"text": "Siūlau įrengti daugiau suoliukų parke.", "colour": "green"},
    )
    body = assert_json_refusal(response, 400, "invalid")
    assert body["colour"] == ["Unknown field."]
    assert not Proposal.objects.exists()


def test_a_proposal_edit_with_a_read_only_field_is_refused(open_consultation, resident_api):
    created = resident_api.post(
        f"/api/v1/consultations/{open_consultation.pk}/proposals/",
        {"text": "Siūlau įrengti daugiau suoliukų parke."},
    ).json()
    response = resident_api.patch(
        f"/api/v1/proposals/{created['id']}/", {"text": "Kitas tekstas čia.", "status": "accepted"}
    )
    assert assert_json_refusal(response, 400, "invalid")["status"] == ["Unknown field."]
    assert Proposal.objects.get().text == "Siūlau įrengti daugiau suoliukų parke."


def test_a_consultation_with_an_unknown_field_is_refused(staff_api, small_draft):
    response = staff_api.post(
        "/api/v1/consultations/",
        {
            "version": small_draft.pk,
            "title": "Aptarimas",
            "starts_at": _iso(-1),
            "ends_at": _iso(9),
            "ends": _iso(20),
        },
    )
    assert assert_json_refusal(response, 400, "invalid")["ends"] == ["Unknown field."]
    assert not Consultation.objects.exists()


def test_extending_a_consultation_with_an_unknown_field_is_refused(open_consultation, staff_api):
    ends_at = open_consultation.ends_at
    response = staff_api.patch(
        f"/api/v1/consultations/{open_consultation.pk}/", {"ends_at": _iso(30), "title": "Naujas"}
    )
    assert assert_json_refusal(response, 400, "invalid")["title"] == ["Unknown field."]
    open_consultation.refresh_from_db()
    assert open_consultation.ends_at == ends_at


@pytest.fixture
def review_version(db):
    return factories.VersionFactory(status=VersionStatus.COUNCIL_REVIEW)


def test_a_voting_with_an_unknown_field_is_refused(staff_api, review_version):
    response = staff_api.post("/api/v1/votings/", {"version": review_version.pk, "quorum": 3})
    assert assert_json_refusal(response, 400, "invalid")["quorum"] == ["Unknown field."]
    response = staff_api.post(
        "/api/v1/votings/", {"version": review_version.pk, "status": "closed"}
    )
    assert assert_json_refusal(response, 400, "invalid")["status"] == [
        "This field cannot be written here."
    ]
    assert not Voting.objects.exists()


def test_a_ballot_with_an_unknown_field_is_refused(staff_user, council_api, review_version):
    voting = council_services.voting_open(user=staff_user, version=review_version)
    response = council_api.post(
        f"/api/v1/votings/{voting.pk}/ballots/", {"choice": "for", "member": "someone"}
    )
    assert assert_json_refusal(response, 400, "invalid")["member"] == ["Unknown field."]
    assert not voting.ballots.exists()


@pytest.mark.parametrize("body", [[], ["number"], {"number": "T-1"}, {"motion": "x"}])
def test_closing_a_voting_with_a_bad_body_is_a_400_and_leaves_it_open(
    staff_user, staff_api, review_version, body
):
    # A list body was a 500 (AttributeError: 'list' object has no attribute 'get').
    voting = council_services.voting_open(user=staff_user, version=review_version)
    response = staff_api.post(f"/api/v1/votings/{voting.pk}/close/", body)
    assert_json_refusal(response, 400, "invalid")
    voting.refresh_from_db()
    assert voting.is_open


def test_an_inventory_with_an_unknown_field_is_refused(staff_api):
    response = staff_api.post(
        "/api/v1/climate/inventories/",
        {"year": 2012, "kind": "baseline", "population": 5, "populaton": 7},
    )
    assert assert_json_refusal(response, 400, "invalid")["populaton"] == ["Unknown field."]
    assert not Inventory.objects.exists()


def test_a_table_a_cell_with_an_unknown_field_is_refused(staff_api):
    pk = staff_api.post(
        "/api/v1/climate/inventories/", {"year": 2012, "kind": "baseline", "population": 5}
    ).json()["id"]
    response = staff_api.put(
        f"/api/v1/climate/inventories/{pk}/consumption/",
        [{"sector": "residential", "carrier": "heat", "mwh": "5", "unit": "GWh"}],
    )
    assert "unknown field „unit“" in assert_json_refusal(response, 400, "invalid")["detail"]
    assert not Inventory.objects.get(pk=pk).consumption.exists()


def test_a_funding_line_with_an_unknown_field_is_refused(staff_api, small_draft):
    from plans.models import Measure

    measure = Measure.objects.filter(version=small_draft).first()
    before = list(measure.funding.values_list("year", "source__code", "amount"))
    response = staff_api.patch(
        f"/api/v1/measures/{measure.pk}/",
        {"funding": [{"year": 2020, "source": "SB", "amount": "5", "currency": "EUR"}]},
    )
    body = assert_json_refusal(response, 400, "invalid")
    assert body["funding"] == [{"currency": ["Unknown field."]}] or body["funding"] == {
        "0": {"currency": ["Unknown field."]}
    }
    assert list(measure.funding.values_list("year", "source__code", "amount")) == before


# --- The climate inventories list ---------------------------------------------


def test_the_climate_inventories_list_is_paginated_like_the_others(staff_api, anonymous_api):
    for year, kind in [(2014, "monitoring"), (2012, "baseline"), (2016, "monitoring")]:
        pk = staff_api.post(
            "/api/v1/climate/inventories/", {"year": year, "kind": kind, "population": 5}
        ).json()["id"]
        staff_api.post(f"/api/v1/climate/inventories/{pk}/publish/")
    # A draft is staff's only: the public list leaves it out.
    staff_api.post(
        "/api/v1/climate/inventories/", {"year": 2018, "kind": "monitoring", "population": 5}
    )
    assert staff_api.get("/api/v1/climate/inventories/").json()["count"] == 4
    body = anonymous_api.get("/api/v1/climate/inventories/?page_size=2").json()
    assert body["count"] == 3 and body["previous"] is None and body["next"]
    assert [i["year"] for i in body["results"]] == [2012, 2014]
    assert "total_co2_t" in body["results"][0]
    rest = anonymous_api.get(body["next"].replace("http://testserver", "")).json()
    assert [i["year"] for i in rest["results"]] == [2016]


def test_the_schema_says_the_inventories_list_is_paginated(anonymous_api):
    schema = anonymous_api.get("/api/v1/schema/?format=json").json()
    ok = schema["paths"]["/api/v1/climate/inventories/"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert {"count", "next", "previous", "results"} <= set(
        schema["components"]["schemas"][ref]["properties"]
    )


# --- The schemathesis script --------------------------------------------------


def test_the_schemathesis_script_runs_every_phase_with_both_checks():
    path = Path(__file__).resolve().parents[2] / "scripts" / "schemathesis.py"
    spec = importlib.util.spec_from_file_location("schemathesis_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    command = module.schemathesis_command(
        config=Path("/tmp/c.toml"),
        port=8123,
        token="t0k",
        max_examples=30,
        seed=1,
        workers=1,
        report_dir=Path("/tmp/r"),
        extra=[],
    )
    assert command[3:5] == ["run", "http://127.0.0.1:8123/api/v1/schema/?format=json"]
    options = dict(zip(command[5::2], command[6::2], strict=False))
    assert options["--phases"] == "examples,coverage,fuzzing,stateful"
    assert options["--checks"] == "not_a_server_error,response_schema_conformance"
    assert options["--header"] == "Authorization: Token t0k"
    # The run must not revoke its own token (every later answer would be a 401).
    assert options["--exclude-operation-id"] == "auth_tokens_destroy"


# --- What the schemathesis run found in the schema ----------------------------


def test_a_prepared_answer_not_yet_published_matches_the_schema(
    open_consultation, resident_api, staff_api, anonymous_api
):
    created = resident_api.post(
        f"/api/v1/consultations/{open_consultation.pk}/proposals/",
        {"text": "Siūlau įrengti daugiau suoliukų parke."},
    ).json()
    answered = staff_api.post(
        f"/api/v1/proposals/{created['id']}/response/",
        {"status": "accepted", "text": "Įtraukta.", "publish": False},
    ).json()
    assert answered["prepared_response"]["published_at"] is None
    schemas = anonymous_api.get("/api/v1/schema/?format=json").json()["components"]["schemas"]
    prepared = schemas["StaffProposal"]["properties"]["prepared_response"]
    ref = prepared["allOf"][0]["$ref"]
    assert schemas[ref.rsplit("/", 1)[1]]["properties"]["published_at"]["nullable"] is True
