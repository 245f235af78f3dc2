"""The one way the portal writes CSV: every field quoted, no cell a formula.

Residents write the texts that end up in the exports (proposals, names),
and a spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (CSV injection: ``=cmd|' /C calc'!A0`` starts a program). Two
defences, both needed:

* **Every field is quoted** (``csv.QUOTE_ALL``), so a comma, a semicolon or
  a line break inside a text stays inside its cell for a program that reads
  the file with the same separator.
* **Every place where a cell could start is neutralised** with a single
  quote ``'`` (OWASP's recommendation), spreadsheets showing the rest as
  text: the start of the field when its first character after any spaces is
  ``=``, ``+``, ``-`` or ``@``, or when it starts with a tab or a carriage
  return; and, inside a text, the same after each comma, semicolon, tab or
  line break. Excel with the Lithuanian list separator (``;``) reads a
  comma-separated file with its own separator and ignores the quotes it no
  longer understands, so ``Dviratis;=cmd…`` would give ``=cmd…`` a cell of
  its own: hence the positions inside a text too. The price is an
  apostrophe before a dash that opens a line of a list (``'- dviračių
  takas``), which reads well enough and runs nothing.

Numbers the portal itself writes (``int``, ``Decimal``, ``float``) and
strings that are a plain number (``-3``, ``-1.5``, ``-1,5``) are written as
they are: a negative number is not a formula and must stay a number for the
reader's sums. A program reading the files (``csv.reader``) gets the quoted
fields back as they were, apart from the apostrophes added as above
(documented in docs/security/consult.md).

Use ``writer(stream)`` wherever a CSV is written; the XLSX exports use
``neutralise`` for their cells (openpyxl stores a string starting with ``=``
as a formula).

**Two dialects.** The plain CSV (``writer``) is for programs: commas, a
decimal point, the column names a program relies on. Excel set to
Lithuanian opens a CSV by double click with ``;`` as the list separator and
``,`` as the decimal separator, and guesses the encoding unless the file
starts with a byte order mark: a comma file shows as one column of
``Å¾`` garbage. ``excel_writer`` writes what it expects (a BOM, semicolons,
decimal commas, dates as ``2026-12-01``), and ``excel_csv_response`` is the
download of such a file; pages offer it for people beside the plain one
(docs/spreadsheets-and-csv.md).
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.http import HttpResponse
from django.utils import timezone

# What a spreadsheet takes for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@")
# Control characters that some spreadsheets skip before reading a formula.
CONTROL_STARTS = ("\t", "\r")
# A whole cell that is just a number, as the portal writes one.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
# Inside a text: a separator or line break, any spaces, then a formula start
# that is not a plain number running to the next separator (``5, -3``).
_INNER_START = re.compile(
    r"([,;\t\r\n])(?=[ ]*[=+\-@])(?![ ]*[+-]\d+(?:\.\d+)?[ ]*(?:[,;\t\r\n]|$))"
)


class _Writable(Protocol):
    def write(self, s: str, /) -> Any: ...


def neutralise(value: Any) -> Any:
    """``value`` made safe as one spreadsheet cell (its start only).

    Non-strings (numbers, dates) come back unchanged; a string gets a leading
    ``'`` when its first character after spaces starts a formula, or when it
    starts with a tab or a carriage return, unless it is a plain number.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(CONTROL_STARTS):
        return "'" + value
    stripped = value.lstrip(" ")
    if stripped.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(stripped.rstrip(" ")):
        return "'" + value
    return value


def neutralise_text(value: Any) -> Any:
    """``value`` made safe as CSV text: its start, and every place inside it
    where a spreadsheet that splits at another separator (or at a line break)
    would start a new cell."""
    value = neutralise(value)
    if not isinstance(value, str) or not value:
        return value
    return _INNER_START.sub(r"\1'", value)


def cell(value: Any) -> Any:
    """One field as the writer gives it to ``csv``: numbers as numbers,
    ``None`` as an empty field, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    return neutralise_text(str(value))


class SafeWriter:
    """A ``csv.writer`` that quotes every field and neutralises every text."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        options.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(stream, quoting=csv.QUOTE_ALL, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: _Writable, **options: Any) -> SafeWriter:
    """The CSV writer every export uses (``options`` as for ``csv.writer``,
    but ``quoting`` is always ``QUOTE_ALL``)."""
    options.pop("quoting", None)
    return SafeWriter(stream, **options)


BOM = "\ufeff"


def excel_cell(value: Any) -> Any:
    """One field for Excel set to Lithuanian: a decimal comma in numbers,
    dates as ``2026-12-01`` (times local, to the minute); text neutralised."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal) and value.is_finite() and value.as_tuple().exponent < -2:  # type: ignore[operator]
        # A stored quantity (13.5000) as typed (13,5); money keeps its cents.
        value = value.normalize()
        if value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = value.quantize(Decimal(1))
    if isinstance(value, Decimal | float):
        # Quoted, but Excel still reads "1234,5" as a number.
        return str(value).replace(".", ",")
    return cell(value)


class ExcelWriter(SafeWriter):
    """``SafeWriter`` with semicolons and Lithuanian numbers (``excel_cell``)."""

    def __init__(self, stream: _Writable, **options: Any) -> None:
        options["delimiter"] = ";"
        super().__init__(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([excel_cell(value) for value in row])


def excel_writer(stream: _Writable, *, bom: bool = True) -> ExcelWriter:
    """A writer of CSV for Excel set to Lithuanian; writes the BOM first."""
    if bom:
        stream.write(BOM)
    return ExcelWriter(stream)


def excel_csv_response(
    header: Iterable[Any], rows: Iterable[Iterable[Any]], filename: str
) -> HttpResponse:
    """A download of ``header`` and ``rows`` as CSV for Lithuanian Excel."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = excel_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
