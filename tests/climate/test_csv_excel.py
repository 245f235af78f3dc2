"""Table A as a CSV for Lithuanian Excel: a BOM, semicolons, decimal commas,
and it imports back as the same table."""

import csv
import io
from decimal import Decimal

import pytest

from climate import services
from tests.climate import factories
from tests.climate.test_csv import cells_of, filled, user  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_excel_csv_round_trips_through_the_import(client, user, filled):  # noqa: F811
    response = client.get(f"/climate/inventories/{filled.pk}/table-a-excel.csv")
    assert response.status_code == 200
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][0] == "sector"
    assert "365000,125" in next(row for row in rows if row[0] == "private_transport")

    other = factories.inventory(user=user, kind="monitoring", year=2018)
    services.consumption_import_csv(user=user, inventory=other, content=response.content)
    assert cells_of(other) == cells_of(filled)
    assert cells_of(other)[("private_transport", "diesel")] == Decimal("365000.125")
