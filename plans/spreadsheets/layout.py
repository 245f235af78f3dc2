"""The workbook's layout, described once: its sheets and their columns.

The headers and sheet names are the file format, like an API's field names,
so they are Lithuanian constants rather than translations: a workbook that
one member of staff exported with the site in English must import for
another in Lithuanian. The words inside the cells that name a choice (the
level, a measure's kind, an indicator's kind, a direction) are the portal's
own Lithuanian labels (``choice_words``); the reader also takes the internal
values (``progress``, ``effect`` …).

``plan_columns(kind)`` gives only the columns a kind of plan uses
(``plans.kinds``): a development plan's workbook has no "Priemonės rūšis",
"Įgyvendina" or "Asignavimų valdytojas". The money columns ("2025 SB") and
the indicators' target columns ("2025") come after the fixed ones; the key
("Raktas") is always the last column, hidden on export.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import translation

from plans.kinds import IndicatorKind, Kind
from plans.models import Direction, MeasureKind

PLAN_SHEET = "Planas"
INDICATOR_SHEET = "Rodikliai"
SOURCE_SHEET = "Šaltiniai"
UNIT_SHEET = "Padaliniai"
INSTRUCTION_SHEET = "Instrukcija"

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a workbook may weigh, packed and unpacked (a zip of a few MB can
# unpack to gigabytes), and how many rows a sheet may hold. A municipality's
# largest plans have some 600 nodes and 1 000 indicators.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "0.####"

# A money column: a year and a funding source's code, "2025 SB".
MONEY_HEADER = re.compile(r"^(\d{4})\s+(\S+)$")
# A target column of the indicators' sheet: a year.
YEAR_HEADER = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Column:
    """One fixed column: its ``header``, the field it fills and its width."""

    name: str
    header: str
    width: int = 18
    required: bool = False
    measure_field: str | None = None
    """The ``plans.kinds.MEASURE_FIELDS`` entry the column needs, if any."""


KEY = Column("key", "Raktas", 38)

PLAN_COLUMNS = (
    Column("code", "Kodas", 12, required=True),
    Column("level", "Lygis", 14, required=True),
    Column("title", "Pavadinimas", 50, required=True),
    Column("description", "Aprašymas", 50),
    Column("kind", "Priemonės rūšis", 22, measure_field="kind"),
    Column("implements", "Įgyvendina", 18, measure_field="implements"),
    Column("responsible_unit", "Atsakingas padalinys", 30, measure_field="responsible_unit"),
    Column(
        "appropriation_manager",
        "Asignavimų valdytojas",
        30,
        measure_field="appropriation_manager",
    ),
    Column("co_executors", "Bendravykdytojai", 30, measure_field="co_executors"),
    Column("start_year", "Pradžios metai", 10, measure_field="start_year"),
    Column("end_year", "Pabaigos metai", 10, measure_field="end_year"),
)
# The measure-only columns of the plan sheet: a value on another level is refused.
MEASURE_ONLY = frozenset(column.name for column in PLAN_COLUMNS if column.measure_field)

INDICATOR_COLUMNS = (
    Column("owner", "Priklauso (kodas)", 12, required=True),
    Column("kind", "Rūšis", 12),
    Column("name", "Pavadinimas", 50, required=True),
    Column("unit", "Mato vienetas", 14, required=True),
    Column("baseline_value", "Pradinė reikšmė", 12),
    Column("baseline_year", "Pradinės reikšmės metai", 10),
    Column("direction", "Siekiama kryptis", 12),
    Column("data_source", "Duomenų šaltinis", 30),
    Column("code", "Rodiklio kodas", 14),
    Column("definition", "Apibrėžtis", 40),
    Column("calculation_method", "Skaičiavimo metodas", 40),
    Column("frequency", "Matavimo periodiškumas", 16),
    Column("responsible_body", "Už duomenis atsakinga institucija", 30),
    Column("remarks", "Pastabos", 30),
)

SOURCE_COLUMNS = (Column("code", "Kodas", 12), Column("name", "Pavadinimas", 50))
UNIT_COLUMNS = (Column("name", "Pavadinimas", 60),)

# Several names in one cell (co-executors, implemented codes) are separated
# by semicolons or line breaks: unit names may hold commas.
LIST_SEPARATOR = re.compile(r"[;\n]+")


def plan_columns(kind: Kind) -> tuple[Column, ...]:
    """The plan sheet's fixed columns that ``kind`` uses, in order."""
    return tuple(
        column
        for column in PLAN_COLUMNS
        if column.measure_field is None or kind.uses(column.measure_field)
    )


def money_header(year: int, source_code: str) -> str:
    return f"{year} {source_code}"


def level_words(kind: Kind) -> dict[str, str]:
    """Level name → the kind's Lithuanian word for it ("Programa")."""
    with translation.override("lt"):
        return {name: str(level.label) for name, level in kind.levels.items()}


def choice_words() -> dict[str, dict[str, str]]:
    """For each choice column, value → its Lithuanian label."""
    with translation.override("lt"):
        return {
            "measure_kind": {value: str(label) for value, label in MeasureKind.choices},
            "indicator_kind": {value: str(label) for value, label in IndicatorKind.choices},
            "direction": {value: str(label) for value, label in Direction.choices},
        }
