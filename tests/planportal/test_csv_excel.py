"""CSV for Excel set to Lithuanian (planportal/csvsafe.py's excel_writer)."""

import csv
import datetime
import io
from decimal import Decimal

from planportal import csvsafe


def test_the_excel_csv_has_a_bom_semicolons_and_decimal_commas():
    stream = io.StringIO()
    writer = csvsafe.excel_writer(stream)
    writer.writerow(["Kodas", "Pavadinimas", "Suma, Eur", "Data"])
    writer.writerow(["1.1", "Kelias; šaligatvis", Decimal("1234.50"), datetime.date(2026, 12, 1)])
    writer.writerow(["1.2", "=cmd|' /C calc'!A0", Decimal("-3"), None])
    raw = stream.getvalue()

    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == ["Kodas", "Pavadinimas", "Suma, Eur", "Data"]
    assert rows[1] == ["1.1", "Kelias; šaligatvis", "1234,50", "2026-12-01"]
    assert rows[2][1].startswith("'=")  # never a formula
    assert rows[2][2] == "-3" and rows[2][3] == ""
    assert raw.splitlines()[1].startswith('"1.1";"Kelias; ')  # every field quoted


def test_the_excel_csv_response_is_an_attachment_in_utf8():
    response = csvsafe.excel_csv_response(["Metai"], [[2026]], "budget.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="budget.csv"'
    assert response.content.decode("utf-8") == '\ufeff"Metai"\r\n"2026"\r\n'
