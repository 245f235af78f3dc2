"""A consultation's outcome for people: the XLSX laid out (planportal/xlsx.py,
the submission time a date) and a CSV for Lithuanian Excel beside outcome.csv."""

import csv
import datetime
import io

from django.urls import reverse

from tests.consultations.conftest import propose
from tests.xlsx_checks import assert_dates_are_dates, assert_table_layout, open_workbook


def test_the_outcome_files_open_in_lithuanian_excel(client, consultation, resident_user):
    propose(resident_user, consultation, text="=cmd; dviračių takas")
    response = client.get(reverse("consultations:outcome-xlsx", args=[consultation.pk]))
    proposals = open_workbook(response.content).worksheets[0]
    assert_table_layout(proposals)
    assert_dates_are_dates(proposals)
    assert isinstance(proposals["G2"].value, datetime.datetime)
    assert proposals["D2"].value.startswith("'=")

    raw = client.get(
        reverse("consultations:outcome-excel-csv", args=[consultation.pk])
    ).content.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert len(rows) == 2 and len(rows[0]) == 10
    assert rows[1][3].startswith("'=")
    assert datetime.datetime.strptime(rows[1][6], "%Y-%m-%d %H:%M")
