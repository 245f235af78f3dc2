"""A monitoring round as an XLSX workbook for one user, and the workbook back.

``layout`` describes the sheets and columns once; ``items`` says which
items a user gets (``monitoring.permissions``' rule on a loaded tree);
``export.round_workbook`` writes them with the planned and stored values;
``reader`` checks the uploaded workbook cell by cell; ``import_.round_import``
writes it, all or nothing. docs/monitoring/spreadsheets.md describes it.
"""

from .export import round_workbook, workbook_filename
from .import_ import ImportResult, round_import
from .items import RoundItems, may_use_workbook, round_items

__all__ = [
    "ImportResult",
    "RoundItems",
    "may_use_workbook",
    "round_import",
    "round_items",
    "round_workbook",
    "workbook_filename",
]
