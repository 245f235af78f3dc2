"""A unit member uploads the round workbook: the bad cell is named, then the fixed file lands."""

import datetime
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from monitoring import services
from monitoring.models import ActualValue, UnitMembership
from monitoring.spreadsheets import round_items, round_workbook
from plans.models import PlanVersion, Unit, VersionStatus
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_member_uploads_a_workbook_sees_the_bad_cell_then_saves(page, tmp_path):
    staff = factories.UserFactory(username="staff-round", role="staff")
    member = factories.UserFactory(username="unit-member")
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    UnitMembership.objects.create(unit=Unit.objects.get(name="Statybos skyrius"), user=member)
    round = services.round_open(
        user=staff, plan=version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    workbook = load_workbook(BytesIO(round_workbook(round_items(round, member))))
    sheet = workbook["Rodikliai"]
    column = [cell.value for cell in sheet[1]].index("Nauja faktinė reikšmė") + 1
    sheet.cell(row=2, column=column).value = "12,5"
    sheet.cell(row=3, column=column).value = "daug"
    bad_path, good_path = tmp_path / "klaida.xlsx", tmp_path / "gerai.xlsx"
    workbook.save(bad_path)
    sheet.cell(row=3, column=column).value = "7"
    workbook.save(good_path)

    login(page, "unit-member")
    page.goto(f"/monitoring/rounds/{round.pk}/import/")
    assert_no_axe_violations(page, "round import page")

    page.set_input_files("input[type=file]", str(bad_path))
    page.locator("main form button[type=submit]").click()
    errors = page.locator("#workbook-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "Rodikliai" in text and "Nauja faktinė reikšmė" in text
    assert re.search(r"\b3\b", text)
    assert not ActualValue.objects.exists()
    assert_no_axe_violations(page, "round import page with errors")

    page.set_input_files("input[type=file]", str(good_path))
    page.locator("main form button[type=submit]").click()
    page.locator(".message-success").wait_for()
    assert sorted(str(v) for v in ActualValue.objects.values_list("value", flat=True)) == [
        "12.5000",
        "7.0000",
    ]
    assert_no_axe_violations(page, "round import page after saving")
