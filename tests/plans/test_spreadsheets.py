"""A version as an XLSX workbook and back: the round trip, each refusal, the API."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from planportal.errors import status_of
from plans import services
from plans.kinds import PlanKind
from plans.models import Goal, Indicator, Measure, PlanVersion, Task, VersionStatus
from plans.selectors import version_tree
from plans.spreadsheets import (
    XLSX_CONTENT_TYPE,
    WorkbookInvalid,
    blank_workbook,
    version_import,
    version_workbook,
)
from plans.spreadsheets.layout import MAX_FILE_BYTES
from tests.factories import FundingSourceFactory, UnitFactory

YEARS = (2025, 2026, 2027)


def make_plan(user, kind=PlanKind.ACTION, title="", **extra):
    return services.plan_create(
        user=user,
        title=title or f"Planas {kind}",
        municipality="Kauno rajono savivaldybė",
        period_start=2025,
        period_end=2027,
        kind=kind,
        **extra,
    )


def approve(version):
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)


@pytest.fixture
def reference(staff_user):
    """Units, sources and a development plan in force with a goal and two tasks."""
    units = [UnitFactory(name=name) for name in ("Statybos skyrius", "Seniūnijos", "Švietimo")]
    sources = [FundingSourceFactory(code=code) for code in ("SB", "ES")]
    development = make_plan(staff_user, PlanKind.DEVELOPMENT)
    version = development.versions.get()
    priority = services.node_create(user=staff_user, level="priority", parent=version, title="P")
    goal = services.node_create(user=staff_user, level="goal", parent=priority, title="T")
    tasks = [
        services.node_create(user=staff_user, level="task", parent=goal, title=f"U{i}")
        for i in range(2)
    ]
    approve(version)
    return {
        "units": units,
        "sources": sources,
        "development": development,
        "links": [goal.key, *(task.key for task in tasks)],
    }


def build(user, plan, tree, reference):
    """The nodes and indicators ``tree`` (lists of dicts, as ``trees()`` draws) describe."""
    version = plan.versions.order_by("-number").first()
    units, sources = reference["units"], reference["sources"]
    for priority_data in tree:
        priority = services.node_create(
            user=user, level="priority", parent=version, title=priority_data["title"]
        )
        for goal_data in priority_data["children"]:
            goal = services.node_create(
                user=user, level="goal", parent=priority, title=goal_data["title"]
            )
            add_indicators(user, goal, goal_data["indicators"])
            for task_data in goal_data["children"]:
                task = services.node_create(
                    user=user,
                    level="task",
                    parent=goal,
                    title=task_data["title"],
                    description=task_data["description"],
                )
                add_indicators(user, task, task_data["indicators"])
                for data in task_data["children"]:
                    measure = services.node_create(
                        user=user,
                        level="measure",
                        parent=task,
                        title=data["title"],
                        description=data["description"],
                        kind=data["kind"],
                        responsible_unit=units[data["unit"]] if data["unit"] is not None else None,
                        appropriation_manager=units[2] if data["manager"] else None,
                        start_year=data["start"],
                        end_year=data["end"],
                        co_executors=[units[i] for i in data["co"]],
                        funding=[
                            {"year": year, "source": sources[s], "amount": amount}
                            for (year, s), amount in data["funding"].items()
                        ],
                        implements=[reference["links"][i] for i in data["implements"]] or None,
                    )
                    add_indicators(user, measure, data["indicators"])
    return version


def add_indicators(user, owner, indicators):
    for data in indicators:
        services.indicator_save(
            user=user,
            owner=owner,
            targets=[{"year": y, "value": v} for y, v in data.pop("targets").items()],
            **data,
        )


def snapshot(version):
    """Everything the workbook carries, for comparing two versions."""
    tree = version_tree(version)

    def indicators(node):
        return [
            (
                i.key,
                i.kind,
                i.name,
                i.unit,
                i.baseline_value,
                i.baseline_year,
                i.direction,
                i.data_source,
                i.code,
                i.definition,
                i.calculation_method,
                i.frequency,
                i.responsible_body,
                i.remarks,
                [(t.year, t.value) for t in i.target_list],
            )
            for i in node.indicator_list
        ]

    def node_data(node, level):
        data = [level, node.code, node.key, node.title, node.description]
        if level != "priority":
            data.append(indicators(node))
        if level == "measure":
            data += [
                node.kind,
                node.responsible_unit_id,
                node.appropriation_manager_id,
                sorted(u.pk for u in node.co_executor_list),
                node.start_year,
                node.end_year,
                sorted((f.year, f.source_id, f.amount) for f in node.funding_list),
                list(node.links.values_list("level", "key").order_by("position")),
            ]
        return data

    rows = []
    for priority in tree.priorities:
        rows.append(node_data(priority, "priority"))
        for goal in priority.children:
            rows.append(node_data(goal, "goal"))
            for task in goal.children:
                rows.append(node_data(task, "task"))
                rows += [node_data(m, "measure") for m in task.children]
    return rows


# --- The round trip -------------------------------------------------------------------

# Texts with Lithuanian letters, separators and the characters that start a formula.
text = (
    st.text(alphabet="aąčęėįšųūž ABŽ=+-@'\";,.1", min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
optional_text = st.one_of(st.just(""), text)
money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
value = st.decimals(min_value=-(10**13), max_value=10**13, places=4, allow_nan=False)
year = st.sampled_from(YEARS)


def indicator(kind):
    return st.fixed_dictionaries(
        {
            "kind": st.just(kind),
            "name": text,
            "unit": text,
            "baseline_value": st.one_of(st.none(), value),
            "baseline_year": st.one_of(st.none(), st.integers(2015, 2024)),
            "direction": st.sampled_from(["increase", "decrease", "maintain"]),
            "data_source": optional_text,
            "code": optional_text,
            "definition": optional_text,
            "calculation_method": optional_text,
            "frequency": optional_text,
            "responsible_body": optional_text,
            "remarks": optional_text,
            "targets": st.dictionaries(year, value, max_size=3),
        }
    )


@st.composite
def measures(draw):
    start = draw(st.one_of(st.none(), year))
    end = draw(st.one_of(st.none(), st.integers(start or 2025, 2027)))
    kind = draw(st.sampled_from(["progress", "continuing"]))
    return {
        "title": draw(text),
        "description": draw(optional_text),
        "kind": kind,
        "unit": draw(st.one_of(st.none(), st.integers(0, 1))),
        "manager": draw(st.booleans()),
        "co": draw(st.lists(st.integers(0, 2), unique=True, max_size=2)),
        "start": start,
        "end": end,
        # Funding lies within the measure's years (else the draft's 2025–2027).
        "funding": draw(
            st.dictionaries(
                st.tuples(st.integers(start or 2025, end or 2027), st.integers(0, 1)),
                money,
                max_size=3,
            )
        ),
        # Only a progress measure implements the development plan.
        "implements": draw(st.lists(st.integers(0, 2), unique=True, max_size=2))
        if kind == "progress"
        else [],
        "indicators": draw(st.lists(indicator("output"), max_size=1)),
    }


def level(children, kind, size=2):
    return st.fixed_dictionaries(
        {
            "title": text,
            "description": optional_text,
            "children": st.lists(children, max_size=size),
            "indicators": st.lists(indicator(kind), max_size=1) if kind else st.just([]),
        }
    )


trees = st.lists(level(level(level(measures(), "result"), "effect"), None), min_size=1, max_size=2)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=trees)
def test_export_then_import_gives_the_same_tree(staff_user, reference, tree):
    with transaction.atomic():
        plan = make_plan(staff_user, development_plan=reference["development"])
        original = build(staff_user, plan, tree, reference)
        draft = version_import(user=staff_user, plan=plan, data=version_workbook(original))
        assert draft.number == original.number + 1
        assert snapshot(draft) == snapshot(original)
        transaction.set_rollback(True)


def test_a_workbook_imports_as_a_draft_based_on_the_version_in_force(staff_user, reference):
    plan = make_plan(staff_user, development_plan=reference["development"])
    first = plan.versions.get()
    build(staff_user, plan, [level_example()], reference)
    approve(first)
    draft = version_import(user=staff_user, plan=plan, data=version_workbook(first))
    assert (draft.number, draft.status, draft.based_on) == (2, VersionStatus.DRAFT, first)
    assert snapshot(draft) == snapshot(first)


def level_example(title="Švietimas"):
    measure = {
        "title": '=HYPERLINK("x")',
        "description": "+ aprašymas",
        "kind": "progress",
        "unit": 0,
        "manager": True,
        "co": [1],
        "start": 2025,
        "end": 2026,
        "funding": {(2025, 0): Decimal("1250.50"), (2026, 1): Decimal("0")},
        "implements": [1],
        "indicators": [
            {
                "kind": "output",
                "name": "Renginiai",
                "unit": "vnt.",
                "baseline_value": Decimal("3"),
                "baseline_year": 2024,
                "direction": "increase",
                "data_source": "-",
                "code": "P-1",
                "definition": "",
                "calculation_method": "",
                "frequency": "kasmet",
                "responsible_body": "",
                "remarks": "",
                "targets": {2025: Decimal("4"), 2027: Decimal("6.5")},
            }
        ],
    }
    task = {"title": "Uždavinys", "description": "", "children": [measure], "indicators": []}
    goal = {"title": "Tikslas", "description": "", "children": [task], "indicators": []}
    return {"title": title, "description": "", "children": [goal], "indicators": []}


@pytest.mark.parametrize("kind", [PlanKind.DEVELOPMENT, PlanKind.SPP_2013])
def test_the_other_kinds_make_the_round_trip_too(staff_user, reference, kind):
    plan = make_plan(staff_user, kind, title="Kitas planas")
    branch = level_example()
    measure = branch["children"][0]["children"][0]["children"][0]
    measure.update(kind="progress", manager=False, implements=[])
    branch["children"][0]["indicators"] = [
        {**measure["indicators"][0], "kind": "effect", "targets": {2026: Decimal("1")}}
    ]
    version = build(staff_user, plan, [branch], reference)
    draft = version_import(user=staff_user, plan=plan, data=version_workbook(version))
    assert snapshot(draft) == snapshot(version)


def test_control_characters_do_not_break_the_export(staff_user, reference):
    plan = make_plan(staff_user, development_plan=reference["development"])
    version = plan.versions.get()
    services.node_create(
        user=staff_user, level="priority", parent=version, title="Vienas", description="a\x0bb"
    )
    sheet = load_workbook(BytesIO(version_workbook(version)))["Planas"]
    assert sheet["D2"].value == "ab"


def test_texts_that_look_like_formulas_are_text_cells(staff_user, reference):
    plan = make_plan(staff_user, development_plan=reference["development"])
    version = build(staff_user, plan, [level_example()], reference)
    sheet = load_workbook(BytesIO(version_workbook(version)))["Planas"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    formula_like = [c for c in cells if str(c.value)[0] in "=+-@"]
    assert formula_like and all(cell.data_type == "s" for cell in formula_like)
    assert sheet.column_dimensions[sheet.cell(row=1, column=sheet.max_column).column_letter].hidden


def test_a_development_plan_workbook_has_only_its_kinds_columns(staff_user, reference):
    sheet = load_workbook(BytesIO(blank_workbook(reference["development"].kind_spec, years=YEARS)))
    headers = [cell.value for cell in sheet["Planas"][1]]
    assert "Atsakingas padalinys" in headers and "2025 SB" in headers
    assert not {"Priemonės rūšis", "Įgyvendina", "Asignavimų valdytojas"} & set(headers)
    assert headers[-1] == "Raktas"
    assert set(sheet.sheetnames) >= {"Planas", "Rodikliai", "Šaltiniai", "Instrukcija"}


def test_skipped_numbers_close_up_and_codes_give_the_order(staff_user, reference):
    plan = make_plan(staff_user, development_plan=reference["development"])
    data = workbook_rows(
        [
            ["03", "Programa", "Antra"],
            ["01", "Programa", "Pirma"],
            ["03.07", "Tikslas", "Tikslas"],
        ]
    )
    draft = version_import(user=staff_user, plan=plan, data=data)
    tree = version_tree(draft)
    assert [(p.code, p.title) for p in tree.priorities] == [("01", "Pirma"), ("02", "Antra")]
    assert [g.code for g in tree.priorities[1].children] == ["02.01"]


def workbook_rows(rows, indicators=()):
    """A minimal workbook: the plan sheet's first three columns and the indicators'."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Planas"
    sheet.append(["Kodas", "Lygis", "Pavadinimas"])
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("Rodikliai")
    other.append(["Priklauso (kodas)", "Pavadinimas", "Mato vienetas"])
    for row in indicators:
        other.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Refusals ------------------------------------------------------------------------


@pytest.fixture
def exported(staff_user, reference):
    """An action plan's version with one branch, and its workbook."""
    plan = make_plan(staff_user, development_plan=reference["development"])
    version = build(staff_user, plan, [level_example()], reference)
    return plan, version_workbook(version)


def edit(data, sheet_name, changes):
    """``data`` with ``changes`` ({(row, header): value}) made on ``sheet_name``."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook[sheet_name]
    headers = [cell.value for cell in sheet[1]]
    for (row, header), new in changes.items():
        column = headers.index(header) + 1 if isinstance(header, str) else header
        sheet.cell(row=row, column=column).value = new
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(user, plan, data):
    before = (PlanVersion.objects.count(), Measure.objects.count(), Indicator.objects.count())
    with pytest.raises(WorkbookInvalid) as refusal:
        version_import(user=user, plan=plan, data=data)
    after = (PlanVersion.objects.count(), Measure.objects.count(), Indicator.objects.count())
    assert after == before
    return [(e.sheet, e.row, e.column) for e in refusal.value.errors], refusal.value


# Rows of the exported workbook: 2 the programme, 3 the goal, 4 the task, 5 the measure.
@pytest.mark.parametrize(
    ("sheet", "changes", "expected"),
    [
        ("Planas", {(5, "Pradžios metai"): "kitais metais"}, ("Planas", 5, "Pradžios metai")),
        ("Planas", {(5, "Pabaigos metai"): 2024}, ("Planas", 5, "Pabaigos metai")),
        ("Planas", {(3, "Lygis"): "Skyrius"}, ("Planas", 3, "Lygis")),
        ("Planas", {(4, "Kodas"): "09.01.01"}, ("Planas", 4, "Kodas")),
        ("Planas", {(5, "Kodas"): "01.01.02"}, ("Planas", 5, "Lygis")),
        ("Planas", {(4, "Kodas"): "01"}, ("Planas", 4, "Kodas")),
        ("Planas", {(3, "Raktas"): None, (4, "Raktas"): "not-a-key"}, ("Planas", 4, "Raktas")),
        ("Planas", {(5, "2025 SB"): "daug"}, ("Planas", 5, "2025 SB")),
        ("Planas", {(5, "2025 SB"): -5}, ("Planas", 5, "2025 SB")),
        ("Planas", {(3, "2025 SB"): 5}, ("Planas", 3, "2025 SB")),
        ("Planas", {(1, "2025 SB"): "2025 XX"}, ("Planas", 1, "2025 XX")),
        ("Planas", {(5, "Atsakingas padalinys"): "Nėra"}, ("Planas", 5, "Atsakingas padalinys")),
        ("Planas", {(5, "Bendravykdytojai"): "Seniūnijos; X"}, ("Planas", 5, "Bendravykdytojai")),
        ("Planas", {(5, "Įgyvendina"): "9.9"}, ("Planas", 5, "Įgyvendina")),
        ("Planas", {(5, "Priemonės rūšis"): "kita"}, ("Planas", 5, "Priemonės rūšis")),
        # A continuing activity implements nothing of the development plan.
        (
            "Planas",
            {(5, "Priemonės rūšis"): "Tęstinės veiklos priemonė"},
            ("Planas", 5, "Įgyvendina"),
        ),
        (
            "Planas",
            {(3, "Atsakingas padalinys"): "Seniūnijos"},
            ("Planas", 3, "Atsakingas padalinys"),
        ),
        # openpyxl stores a text starting with "=" as a formula, as Excel would.
        ("Planas", {(5, "Pavadinimas"): "=1+2"}, ("Planas", 5, "Pavadinimas")),
        ("Planas", {(5, "Pavadinimas"): None}, ("Planas", 5, "Pavadinimas")),
        ("Planas", {(1, "Pavadinimas"): "Pavadinimass"}, ("Planas", 1, "Pavadinimass")),
        ("Rodikliai", {(2, "Rūšis"): "Efekto"}, ("Rodikliai", 2, "Rūšis")),
        ("Rodikliai", {(2, "Priklauso (kodas)"): "01"}, ("Rodikliai", 2, "Priklauso (kodas)")),
        ("Rodikliai", {(2, "Priklauso (kodas)"): "05"}, ("Rodikliai", 2, "Priklauso (kodas)")),
        ("Rodikliai", {(2, "Pradinė reikšmė"): "1,23456"}, ("Rodikliai", 2, "Pradinė reikšmė")),
        ("Rodikliai", {(2, "2025"): "x"}, ("Rodikliai", 2, "2025")),
        ("Rodikliai", {(2, "Mato vienetas"): None}, ("Rodikliai", 2, "Mato vienetas")),
    ],
)
def test_each_bad_cell_is_named_and_nothing_is_created(
    staff_user, exported, sheet, changes, expected
):
    plan, data = exported
    cells, _ = refused(staff_user, plan, edit(data, sheet, changes))
    assert expected in cells


def test_a_duplicate_code_and_a_duplicate_key_are_named(staff_user, exported):
    plan, data = exported
    workbook = load_workbook(BytesIO(data))
    sheet = workbook["Planas"]
    sheet.append([cell.value for cell in sheet[5]])  # the measure again, row 6
    sheet["C6"] = "Kita priemonė"
    buffer = BytesIO()
    workbook.save(buffer)
    cells, _ = refused(staff_user, plan, buffer.getvalue())
    assert ("Planas", 6, "Kodas") in cells
    data = edit(buffer.getvalue(), "Planas", {(6, "Kodas"): "01.01.01.02"})
    cells, refusal = refused(staff_user, plan, data)
    assert cells == [("Planas", 6, "Raktas")], [str(e) for e in refusal.errors]


def test_every_error_of_a_workbook_is_listed_with_its_sheet_row_and_column(staff_user, exported):
    plan, data = exported
    changes = {(5, "Pradžios metai"): "kitais", (3, "Lygis"): "Skyrius"}
    cells, refusal = refused(staff_user, plan, edit(data, "Planas", changes))
    assert ("Planas", 5, "Pradžios metai") in cells and ("Planas", 3, "Lygis") in cells
    texts = [str(error) for error in refusal.errors]
    assert any("Pradžios metai" in text and "5" in text for text in texts)


@pytest.mark.parametrize(
    "data",
    [b"not a workbook", b"PK\x03\x04broken", b"x" * (MAX_FILE_BYTES + 1)],
    ids=["text", "corrupt", "too-large"],
)
def test_a_file_that_is_no_workbook_is_refused(staff_user, exported, data):
    plan, _ = exported
    cells, _ = refused(staff_user, plan, data)
    assert cells == [("", None, "")]


def test_too_many_rows_and_too_much_unpacked_data_are_refused(staff_user, exported, monkeypatch):
    from plans.spreadsheets import layout

    plan, data = exported
    monkeypatch.setattr(layout, "MAX_ROWS", 3)
    cells, _ = refused(staff_user, plan, data)
    assert cells == [("Planas", None, "")]
    monkeypatch.setattr(layout, "MAX_UNPACKED_BYTES", 1000)
    cells, _ = refused(staff_user, plan, data)
    assert cells == [("", None, "")]


def test_a_missing_sheet_and_a_missing_header_are_named(staff_user, exported):
    plan, data = exported
    workbook = load_workbook(BytesIO(data))
    del workbook["Rodikliai"]
    buffer = BytesIO()
    workbook.save(buffer)
    cells, _ = refused(staff_user, plan, buffer.getvalue())
    assert cells == [("Rodikliai", None, "")]
    cells, _ = refused(staff_user, plan, edit(data, "Planas", {(1, "Lygis"): None}))
    assert ("Planas", None, "Lygis") in cells


def test_a_link_needs_a_development_plan(staff_user, reference):
    plan = make_plan(staff_user)
    rows = [
        ["01", "Programa", "P"],
        ["01.01", "Tikslas", "T"],
        ["01.01.01", "Uždavinys", "U"],
        ["01.01.01.01", "Priemonė", "M"],
    ]
    data = edit(workbook_rows(rows), "Planas", {(1, 4): "Įgyvendina", (5, 4): "1.1"})
    cells, _ = refused(staff_user, plan, data)
    assert cells == [("Planas", 5, "Įgyvendina")]


def test_a_non_staff_user_cannot_import(resident_user, exported):
    plan, data = exported
    with pytest.raises(Exception) as refusal:
        version_import(user=resident_user, plan=plan, data=data)
    assert status_of(refusal.value) == 403


# --- Pages and the API ------------------------------------------------------------------


def upload(data, name="plan.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


def test_api_import_answers_201_with_the_new_draft(staff_client, exported):
    plan, data = exported
    response = staff_client.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload(data)})
    assert response.status_code == 201
    draft = PlanVersion.objects.get(pk=response.json()["version"])
    assert (draft.plan, draft.status) == (plan, VersionStatus.DRAFT)
    assert set(response.json()) == {"version"}


def test_api_import_answers_400_listing_each_bad_cell(staff_client, exported):
    plan, data = exported
    data = edit(data, "Planas", {(5, "Pradžios metai"): "x", (5, "2025 SB"): "y"})
    response = staff_client.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload(data)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_workbook"
    assert {(e["sheet"], e["row"], e["column"]) for e in body["errors"]} == {
        ("Planas", 5, "Pradžios metai"),
        ("Planas", 5, "2025 SB"),
    }
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_api_import_without_a_file_is_400(staff_client, exported):
    plan, _ = exported
    response = staff_client.post(f"/api/v1/plans/{plan.pk}/import/", {})
    assert response.status_code == 400
    assert response.json()["errors"]


def test_api_import_is_for_staff_only(resident_client, council_client, client, exported):
    plan, data = exported
    for reader in (resident_client, council_client):
        response = reader.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload(data)})
        assert response.status_code == 403
    assert client.post(f"/api/v1/plans/{plan.pk}/import/", {"file": upload(data)}).status_code in (
        401,
        403,
    )
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_api_xlsx_gives_the_workbook_and_hides_drafts(client, staff_client, exported):
    plan, _ = exported
    draft = plan.versions.get()
    response = staff_client.get(f"/api/v1/versions/{draft.pk}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert load_workbook(BytesIO(response.content))["Planas"]["A2"].value == "01"
    assert client.get(f"/api/v1/versions/{draft.pk}/xlsx/").status_code == 404
    approve(draft)
    assert client.get(f"/api/v1/versions/{draft.pk}/xlsx/").status_code == 200


def test_the_version_page_links_the_download_for_everyone(client, exported):
    plan, _ = exported
    version = plan.versions.get()
    approve(version)
    page = client.get(f"/versions/{version.pk}/")
    assert f"/versions/{version.pk}/xlsx/" in page.content.decode()
    response = client.get(f"/versions/{version.pk}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE


def test_a_draft_workbook_is_not_public(client, resident_client, exported):
    plan, _ = exported
    draft = plan.versions.get()
    assert client.get(f"/versions/{draft.pk}/xlsx/").status_code == 302  # to the login page
    assert resident_client.get(f"/versions/{draft.pk}/xlsx/").status_code == 403


def test_the_import_page_shows_each_bad_cell_then_imports(staff_client, exported):
    plan, data = exported
    url = f"/staff/plans/{plan.pk}/import/"
    assert staff_client.get(url).status_code == 200
    bad = edit(data, "Planas", {(5, "Pradžios metai"): "x"})
    response = staff_client.post(url, {"file": upload(bad)})
    assert response.status_code == 400
    assert "Pradžios metai" in response.content.decode()
    response = staff_client.post(url, {"file": upload(data)})
    draft = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/versions/{draft.pk}/outline/"


def test_the_blank_workbooks_are_for_staff(staff_client, resident_client, exported):
    plan, _ = exported
    assert staff_client.get("/staff/workbooks/").status_code == 200
    response = staff_client.get(f"/staff/workbooks/action.xlsx?plan={plan.pk}")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    headers = [c.value for c in load_workbook(BytesIO(response.content))["Planas"][1]]
    assert "Įgyvendina" in headers and "2027 SB" in headers
    assert staff_client.get("/staff/workbooks/other.xlsx").status_code == 404
    assert resident_client.get("/staff/workbooks/action.xlsx").status_code == 403


# --- Queries --------------------------------------------------------------------------


def test_the_export_runs_the_same_queries_on_a_plan_five_times_larger(staff_user, reference):
    def queries(copies):
        plan = make_plan(
            staff_user, title=f"Planas {copies}", development_plan=reference["development"]
        )
        version = build(
            staff_user, plan, [level_example(f"P{i}") for i in range(copies)], reference
        )
        with CaptureQueriesContext(connection) as context:
            version_workbook(version)
        return len(context.captured_queries)

    assert queries(1) == queries(5)
    assert Goal.objects.exists() and Task.objects.exists()
