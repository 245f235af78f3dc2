"""The round workbook: download, fill in offline, upload; all or nothing."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from monitoring import services
from monitoring.models import ActualValue, MeasureImplementation, UnitMembership
from monitoring.spreadsheets import round_import, round_items, round_workbook
from plans.models import Indicator, Measure, PlanVersion, VersionStatus
from plans.spreadsheets import WorkbookInvalid
from plans.spreadsheets.files import cell_number as number
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db

DUE = datetime.date(2021, 2, 15)
NEW = "Nauja faktinė reikšmė"


def approved(**shape):
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, **shape)
    # The second half of the measures belong to another unit (while still a draft).
    other = factories.UnitFactory(name="Švietimo skyrius")
    measures = list(Measure.objects.filter(version=version).order_by("pk"))
    for measure in measures[(len(measures) + 1) // 2 :]:
        measure.responsible_unit = other
        measure.save()
    # The first task carries an indicator of its own: the units of its measures enter it.
    task = measures[0].task
    factories.IndicatorFactory(measure=None, task=task, version=version, kind="result")
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


@pytest.fixture
def version(db):
    return approved()


@pytest.fixture
def round_2020(version, staff_user):
    return services.round_open(user=staff_user, plan=version.plan, year=2020, due=DUE)


def member_of(name):
    user = factories.UserFactory()
    UnitMembership.objects.create(unit=factories.UnitFactory(name=name), user=user)
    return user


def download(round, user):
    return load_workbook(BytesIO(round_workbook(round_items(round, user))))


def columns(sheet):
    return {cell.value: index for index, cell in enumerate(sheet[1], start=1)}


def save(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fill(workbook, *, value="12,5", status="Vykdoma"):
    """Every indicator gets ``value``, every measure ``status`` and 100 € spent from SB."""
    sheet = workbook["Rodikliai"]
    at = columns(sheet)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=at[NEW]).value = value
        sheet.cell(row=row, column=at["Reikšmės data"]).value = "2020-12-31"
    sheet = workbook["Priemonės"]
    at = columns(sheet)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=at["Būsena"]).value = status
        sheet.cell(row=row, column=at["Panaudota SB"]).value = "1 250,50"
    return workbook


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", "12.5"),
        ("1 250,50", "1250.50"),
        ("1.250,50", "1250.50"),
        ("12.5", "12.5"),
        (7, "7"),
    ],
)
def test_numbers_are_read_the_lithuanian_way(text, expected):
    assert number(text, places=4, digits=18) == Decimal(expected)


@pytest.mark.parametrize("text", ["daug", "1,2,3", "nan", "12,12345"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        number(text, places=4, digits=18)


def refused(user, round, data):
    with pytest.raises(WorkbookInvalid) as caught:
        round_import(user=user, round=round, data=data)
    return [(e.sheet, e.row, e.column) for e in caught.value.errors], caught.value


def test_round_trip_stores_the_values_and_a_second_upload_changes_nothing(
    version, round_2020, staff_user
):
    workbook = download(round_2020, staff_user)
    indicators = workbook["Rodikliai"].max_row - 1
    measures = workbook["Priemonės"].max_row - 1
    assert indicators == Indicator.objects.filter(version=version).count()
    assert measures == Measure.objects.filter(version=version).count()
    data = save(fill(workbook))

    result = round_import(user=staff_user, round=round_2020, data=data)
    assert (result.written, result.unchanged) == (indicators + measures, 0)
    assert {a.value for a in ActualValue.objects.all()} == {Decimal("12.5")}
    assert {a.measured_on for a in ActualValue.objects.all()} == {datetime.date(2020, 12, 31)}
    entry = MeasureImplementation.objects.first()
    assert entry.status == "in_progress"
    assert [(s.source.code, s.amount) for s in entry.spent.all()] == [("SB", Decimal("1250.50"))]

    again = round_import(user=staff_user, round=round_2020, data=data)
    assert (again.written, again.unchanged) == (0, indicators + measures)
    assert set(ActualValue.objects.values_list("revision", flat=True)) == {1}

    # The workbook downloaded now shows the stored values, and the planned money.
    workbook = download(round_2020, staff_user)
    sheet = workbook["Rodikliai"]
    assert sheet.cell(row=2, column=columns(sheet)["Dabartinė faktinė reikšmė"]).value == 12.5
    sheet = workbook["Priemonės"]
    assert sheet.cell(row=2, column=columns(sheet)["Būsena"]).value == "Vykdoma"


def test_each_bad_cell_is_named_and_nothing_is_written(version, round_2020, staff_user):
    workbook = fill(download(round_2020, staff_user))
    indicators, measures = workbook["Rodikliai"], workbook["Priemonės"]
    at, mt = columns(indicators), columns(measures)
    indicators.cell(row=2, column=at[NEW]).value = "daug"
    indicators.cell(row=3, column=at["Reikšmės data"]).value = "vakar"
    indicators.cell(row=4, column=at[NEW]).value = "=1+1"
    measures.cell(row=2, column=mt["Būsena"]).value = "Beveik baigta"
    measures.cell(row=3, column=mt["Būsena"]).value = "Vėluojama"  # without a reason
    measures.cell(row=4, column=mt["Panaudota SB"]).value = "-5"
    named, error = refused(staff_user, round_2020, save(workbook))
    assert named == [
        ("Rodikliai", 2, NEW),
        ("Rodikliai", 3, "Reikšmės data"),
        ("Rodikliai", 4, NEW),
        ("Priemonės", 2, "Būsena"),
        ("Priemonės", 3, "Priežastis ar pastaba"),
        ("Priemonės", 4, "Panaudota SB"),
    ]
    assert error.details()["errors"][0]["sheet"] == "Rodikliai"
    assert not ActualValue.objects.exists() and not MeasureImplementation.objects.exists()


def test_a_missing_column_an_unknown_source_and_a_broken_file_are_refused(round_2020, staff_user):
    workbook = download(round_2020, staff_user)
    workbook["Rodikliai"].cell(row=1, column=columns(workbook["Rodikliai"])[NEW]).value = "X"
    workbook["Priemonės"].cell(
        row=1, column=columns(workbook["Priemonės"])["Panaudota SB"]
    ).value = "Panaudota XX"
    named, _error = refused(staff_user, round_2020, save(workbook))
    assert ("Rodikliai", None, NEW) in named
    assert ("Priemonės", 1, "Panaudota XX") in named
    named, _error = refused(staff_user, round_2020, b"not a workbook")
    assert named == [("", None, "")]


def test_a_value_changed_after_the_download_is_a_conflict_not_overwritten(
    version, round_2020, staff_user
):
    workbook = fill(download(round_2020, staff_user), value="7")
    sheet = workbook["Rodikliai"]
    indicator = Indicator.objects.get(key=sheet.cell(row=3, column=columns(sheet)["Raktas"]).value)
    services.actual_set(user=staff_user, indicator=indicator, year=2020, value="99")
    named, error = refused(staff_user, round_2020, save(workbook))
    assert named == [("Rodikliai", 3, NEW)]
    assert "99" in error.errors[0].message
    assert ActualValue.objects.get().value == 99
    assert not MeasureImplementation.objects.exists()


def test_a_unit_member_gets_only_their_items_and_a_forged_row_is_refused(
    version, round_2020, staff_user
):
    member = member_of("Statybos skyrius")
    mine = Measure.objects.filter(version=version, responsible_unit__name="Statybos skyrius")
    workbook = download(round_2020, member)
    sheet = workbook["Priemonės"]
    keys = {
        sheet.cell(row=r, column=columns(sheet)["Raktas"]).value
        for r in range(2, sheet.max_row + 1)
    }
    assert keys == {str(m.key) for m in mine}
    sheet_keys = {
        row[columns(workbook["Rodikliai"])["Raktas"] - 1].value
        for row in workbook["Rodikliai"].iter_rows(min_row=2)
    }
    # Their measures' indicators and their task's; no goal's indicator.
    expected = Indicator.objects.filter(measure__in=mine) | Indicator.objects.filter(
        task__measures__in=mine
    )
    assert sheet_keys == {str(key) for key in expected.values_list("key", flat=True)}
    assert Indicator.objects.filter(version=version, task__isnull=False).exists()

    fill(workbook)
    other = Measure.objects.filter(version=version, responsible_unit__name="Švietimo skyrius")[0]
    forged = sheet.max_row + 1
    sheet.cell(row=forged, column=1).value = other.code
    sheet.cell(row=forged, column=columns(sheet)["Būsena"]).value = "Įvykdyta"
    sheet.cell(row=forged, column=columns(sheet)["Raktas"]).value = str(other.key)
    sheet.cell(row=forged, column=columns(sheet)["Redakcija"]).value = 0
    named, _error = refused(member, round_2020, save(workbook))
    assert named == [("Priemonės", forged, "Raktas")]
    assert not MeasureImplementation.objects.exists() and not ActualValue.objects.exists()


def test_a_published_round_takes_no_workbook(round_2020, staff_user):
    data = save(fill(download(round_2020, staff_user)))
    services.round_publish(user=staff_user, round=round_2020)
    named, _error = refused(staff_user, round_2020, data)
    assert named == [("", None, "")]


def _export_queries(staff, reader, measures: int) -> int:
    version = approved(priorities=1, goals=1, tasks=1, measures=measures)
    round = services.round_open(user=staff, plan=version.plan, year=2020, due=DUE)
    for measure in Measure.objects.filter(version=version)[:3]:
        services.implementation_set(user=staff, measure=measure, year=2020, status="completed")
    reader = type(reader).objects.get(pk=reader.pk)  # nothing cached on the user
    with CaptureQueriesContext(connection) as queries:
        round_workbook(round_items(round, reader))
    return len(queries)


def test_the_export_costs_the_same_queries_when_the_plan_grows_fivefold(staff_user):
    small = _export_queries(staff_user, staff_user, 1)
    assert _export_queries(staff_user, staff_user, 5) == small
    member = member_of("Statybos skyrius")
    small = _export_queries(staff_user, member, 1)
    assert _export_queries(staff_user, member, 5) == small


# --- The pages and the API ------------------------------------------------------------


def test_the_pages_are_for_staff_and_unit_members(round_2020, resident_user):
    member = member_of("Statybos skyrius")
    client = Client()
    assert client.get(f"/monitoring/rounds/{round_2020.pk}/import/").status_code == 302
    client.force_login(resident_user)
    assert client.get(f"/monitoring/rounds/{round_2020.pk}/import/").status_code == 403
    assert client.get(f"/monitoring/rounds/{round_2020.pk}/xlsx/").status_code == 403
    client.force_login(member)
    assert client.get(f"/monitoring/rounds/{round_2020.pk}/import/").status_code == 200
    response = client.get(f"/monitoring/rounds/{round_2020.pk}/xlsx/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd")
    data = save(fill(load_workbook(BytesIO(response.content))))
    response = client.post(
        f"/monitoring/rounds/{round_2020.pk}/import/",
        {"file": SimpleUploadedFile("r.xlsx", data)},
    )
    assert response.status_code == 302
    assert ActualValue.objects.exists()


def test_the_api_answers_written_and_unchanged_or_the_cells(round_2020, staff_user, resident_user):
    client = Client()
    client.cookies["planportal_language"] = "en"
    client.force_login(staff_user)
    response = client.get(f"/api/v1/rounds/{round_2020.pk}/xlsx/")
    assert response.status_code == 200
    workbook = fill(load_workbook(BytesIO(response.content)))
    good = save(workbook)
    sheet = workbook["Rodikliai"]
    sheet.cell(row=2, column=columns(sheet)[NEW]).value = "daug"
    bad = save(workbook)
    url = f"/api/v1/rounds/{round_2020.pk}/import/"
    response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", bad)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_workbook"
    assert body["errors"][0] | {"message": "", "text": ""} == {
        "sheet": "Rodikliai",
        "row": 2,
        "column": NEW,
        "message": "",
        "text": "",
    }
    response = client.post(url, {"file": SimpleUploadedFile("r.xlsx", good)})
    assert response.status_code == 200
    assert response.json()["written"] > 0 and response.json()["unchanged"] == 0
    assert client.post(url, {}).status_code == 400

    client.force_login(resident_user)
    assert client.get(f"/api/v1/rounds/{round_2020.pk}/xlsx/").status_code == 403
    assert client.post(url, {"file": SimpleUploadedFile("r.xlsx", good)}).status_code == 403
