"""Staff import a workbook in the browser: the bad cell is named, then the fixed one lands."""

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from plans.models import PlanVersion
from plans.spreadsheets import version_workbook
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.conftest import build_plan_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_import_a_workbook_fix_the_named_cell_and_land_in_the_new_draft(page, tmp_path):
    factories.UserFactory(username="staff-browser", role="staff")
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=1)
    good = version_workbook(version)
    workbook = load_workbook(BytesIO(good))
    sheet = workbook["Planas"]
    column = [cell.value for cell in sheet[1]].index("Pradžios metai") + 1
    sheet.cell(row=5, column=column).value = "kitais metais"
    bad_path, good_path = tmp_path / "planas-klaida.xlsx", tmp_path / "planas.xlsx"
    workbook.save(bad_path)
    good_path.write_bytes(good)

    login(page, "staff-browser")
    page.goto("/staff/")
    page.get_by_role("link", name=re.compile("Import from XLSX|Importuoti iš XLSX")).first.click()
    page.wait_for_url(re.compile(rf"/staff/plans/{version.plan_id}/import/$"))
    assert_no_axe_violations(page, "import page")

    page.set_input_files("input[type=file]", str(bad_path))
    page.locator("main form button[type=submit]").click()
    errors = page.locator("#workbook-errors")
    errors.wait_for()
    assert "Pradžios metai" in errors.inner_text()
    assert re.search(r"\b5\b", errors.inner_text())
    assert PlanVersion.objects.filter(plan=version.plan).count() == 1
    assert_no_axe_violations(page, "import page with errors")

    page.set_input_files("input[type=file]", str(good_path))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/versions/\d+/outline/$"))
    draft = PlanVersion.objects.filter(plan=version.plan).order_by("-number").first()
    assert draft.number == 2
    assert page.url.endswith(f"/staff/versions/{draft.pk}/outline/")
