"""The round workbook's layout, described once: its sheets and their columns.

As in ``plans.spreadsheets.layout``, sheet names and headers are the file
format, so they are Lithuanian constants rather than translations: a
workbook downloaded with the site in English imports for a colleague who
reads it in Lithuanian. The statuses in the cells are the portal's
Lithuanian labels of ``ImplementationStatus`` (the reader also takes the
internal values, ``in_progress`` …).

The money columns come after the fixed ones, one per funding source:
"Planuota SB" (the measure's planned funding for the round's year, not
read back) and "Panaudota SB" (the money spent, read back). The key and the
revision read at download are the last two columns, hidden.
"""

from __future__ import annotations

from django.utils import translation

from monitoring.models import ImplementationStatus
from plans.spreadsheets.layout import (
    MAX_FILE_BYTES,
    MONEY_FORMAT,
    NUMBER_FORMAT,
    XLSX_CONTENT_TYPE,
    Column,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MONEY_FORMAT",
    "NUMBER_FORMAT",
    "XLSX_CONTENT_TYPE",
    "Column",
]

INDICATOR_SHEET = "Rodikliai"
MEASURE_SHEET = "Priemonės"
INSTRUCTION_SHEET = "Instrukcija"

KEY = Column("key", "Raktas", 38)
REVISION = Column("revision", "Redakcija", 10)

# ``required`` marks the columns without which a sheet cannot be read back;
# the others only inform (what the user writes there is ignored).
INDICATOR_COLUMNS = (
    Column("code", "Kodas", 12),
    Column("name", "Rodiklis", 50),
    Column("unit", "Mato vienetas", 14),
    Column("baseline", "Pradinė reikšmė", 12),
    Column("target_year", "Metų siektina reikšmė", 14),
    Column("target_final", "Galutinė siektina reikšmė", 14),
    Column("current", "Dabartinė faktinė reikšmė", 14, required=True),
    Column("new_value", "Nauja faktinė reikšmė", 14, required=True),
    Column("note", "Pastaba", 40, required=True),
    Column("measured_on", "Reikšmės data", 14, required=True),
)
MEASURE_COLUMNS = (
    Column("code", "Kodas", 12),
    Column("title", "Priemonė", 50),
    Column("status", "Būsena", 18, required=True),
    Column("note", "Priežastis ar pastaba", 40, required=True),
)
# The columns the reader takes values from; the rest are the download's information.
INDICATOR_READ = frozenset({"current", "new_value", "note", "measured_on"})
MEASURE_READ = frozenset({"status", "note"})

PLANNED_PREFIX = "Planuota"
SPENT_PREFIX = "Panaudota"


def planned_header(source_code: str) -> str:
    return f"{PLANNED_PREFIX} {source_code}"


def spent_header(source_code: str) -> str:
    return f"{SPENT_PREFIX} {source_code}"


def status_words() -> dict[str, str]:
    """Status value → its Lithuanian label ("Vėluojama")."""
    with translation.override("lt"):
        return {value: str(label) for value, label in ImplementationStatus.choices}
