"""Table A as CSV: export → import gives the same inventory; a bad file is
refused whole with every bad cell named by row and column, and changes nothing."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from climate import services
from climate.constants import CARRIER_SLUGS, SECTOR_SLUGS
from climate.models import Consumption

from . import factories

pytestmark = pytest.mark.django_db


def cells_of(inventory):
    return {(c.sector, c.carrier): c.mwh for c in Consumption.objects.filter(inventory=inventory)}


@pytest.fixture
def user():
    return factories.staff()


@pytest.fixture
def filled(user):
    return factories.inventory(
        user=user,
        cells={
            ("residential", "electricity"): "98000.5",
            ("residential", "other_biomass"): "265000",
            ("private_transport", "diesel"): "365000.125",
            ("public_lighting", "electricity"): "0.001",
        },
    )


def test_export_then_import_into_another_inventory_gives_the_same_table(user, filled):
    exported = services.table_a_csv(filled)
    lines = list(csv.reader(io.StringIO(exported)))
    assert lines[0] == ["sector", *CARRIER_SLUGS]
    assert [line[0] for line in lines[1:]] == list(SECTOR_SLUGS)

    other = factories.inventory(user=user, kind="monitoring", year=2018)
    services.consumption_import_csv(user=user, inventory=other, content=exported.encode())
    assert cells_of(other) == cells_of(filled)
    assert cells_of(other)[("private_transport", "diesel")] == Decimal("365000.125")
    # And exporting the copy gives the same file.
    assert services.table_a_csv(other) == exported


def test_semicolons_and_decimal_commas_as_a_spreadsheet_saves_them(user, filled):
    content = "\ufeffsector;electricity;heat\nresidential;1 234,5;10\nindustry;;7,25\n"
    services.consumption_import_csv(user=user, inventory=filled, content=content.encode("utf-8"))
    assert cells_of(filled) == {
        ("residential", "electricity"): Decimal("1234.5"),
        ("residential", "heat"): Decimal("10"),
        ("industry", "heat"): Decimal("7.25"),
    }


@pytest.mark.parametrize(
    "content, expected",
    [
        (
            "sector,electricity\nresidential,-5\n",
            "Row 2 („residential“), column 2 („electricity“): must not be negative",
        ),
        (
            "sector,electricity\nresidential,abc\n",
            "Row 2 („residential“), column 2 („electricity“): „abc“ is not a number",
        ),
        (
            "sector,electricity,heat\nresidential,1,2\nfarming,1,2\n",
            "Row 3, column 1: the inventory has no sector „farming“. Its sectors are: "
            "municipal_buildings, tertiary, residential,",
        ),
        (
            "sector,electricity,steam\nresidential,1,2\n",
            "Row 1, column 3: unknown energy carrier „steam“",
        ),
        (
            "sector,electricity\nresidential,1,2\n",
            "Row 2 („residential“): 3 columns, the header has 2",
        ),
        (
            "sector,electricity\nresidential,1\nresidential,2\n",
            "Row 3, column 1: sector „residential“ appears twice",
        ),
        ("sector,electricity\nresidential,1.0001\n", "at most 3 decimal places"),
        ("sector,electricity\nresidential,NaN\n", "is not a number"),
        ('sector,electricity\nresidential,"1\n', "not valid CSV"),
        ("", "The file is empty"),
        ("carrier,electricity\nresidential,1\n", "Row 1, column 1"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_cell(user, filled, content, expected):
    before = cells_of(filled)
    with pytest.raises(services.ValidationError) as error:
        services.consumption_import_csv(user=user, inventory=filled, content=content.encode())
    assert any(expected in message for message in error.value.messages), error.value.messages
    assert cells_of(filled) == before


def test_every_bad_cell_is_listed_and_the_good_ones_are_not_saved(user, filled):
    before = cells_of(filled)
    content = "sector,electricity,heat\nresidential,5,-1\nindustry,x,3\n"
    with pytest.raises(services.ValidationError) as error:
        services.consumption_import_csv(user=user, inventory=filled, content=content)
    assert len(error.value.messages) == 2
    assert cells_of(filled) == before


def test_not_utf8_is_refused(user, filled):
    with pytest.raises(services.ValidationError):
        services.consumption_import_csv(
            user=user, inventory=filled, content="sector,heat\nresidential,\xff".encode("latin-1")
        )


def test_staff_import_page_shows_the_bad_cell_and_changes_nothing(staff_client, filled):
    before = cells_of(filled)
    upload = SimpleUploadedFile(
        "a.csv", b"sector,electricity\nresidential,-3\n", content_type="text/csv"
    )
    response = staff_client.post(
        f"/staff/climate/inventories/{filled.pk}/import/",
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Row 2" in response.content.decode() and "column 2" in response.content.decode()
    assert cells_of(filled) == before


def test_staff_import_page_replaces_table_a(staff_client, filled):
    upload = SimpleUploadedFile("a.csv", b"sector,heat\nindustry,42\n", content_type="text/csv")
    response = staff_client.post(
        f"/staff/climate/inventories/{filled.pk}/import/", {"file": upload}
    )
    assert response.status_code == 302
    assert cells_of(filled) == {("industry", "heat"): Decimal("42")}


def test_the_public_csv_download_is_the_export(client, filled):
    response = client.get(f"/climate/inventories/{filled.pk}/table-a.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == services.table_a_csv(filled)


def test_every_field_of_the_export_is_quoted_and_numbers_stay_numbers(filled):
    # The portal's one CSV writer (planportal/csvsafe.py) quotes every field;
    # figures are never given the apostrophe that neutralises a formula.
    first, residential = services.table_a_csv(filled).splitlines()[:4:3]
    assert first.startswith('"sector","electricity",')
    assert residential.startswith('"residential","98000.5",') and "'" not in residential


@pytest.mark.parametrize("content", [b",,,", b",,,\r\n,,,\r\n", b"\xef\xbb\xbf;;;\n"])
def test_staff_import_of_only_separators_is_a_400_saying_the_file_is_empty(
    staff_client, filled, content
):
    # Was a 500 (IndexError: no header row once blank rows were dropped).
    before = cells_of(filled)
    upload = SimpleUploadedFile("a.csv", content, content_type="text/csv")
    response = staff_client.post(
        f"/staff/climate/inventories/{filled.pk}/import/",
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The file is empty." in response.content.decode()
    assert cells_of(filled) == before
