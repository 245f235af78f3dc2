"""A plan's version as an XLSX workbook, and a workbook back into a new draft.

``layout`` describes the sheets and columns once; ``export`` writes a
version (``version_workbook``) or a kind's blank workbook
(``blank_workbook``); ``reader`` checks a workbook cell by cell;
``import_.version_import`` writes it as a new draft. docs/plans/spreadsheets.md
describes the workbook for planners.
"""

from .export import blank_workbook, version_workbook, xlsx_response
from .files import CellError, WorkbookInvalid
from .import_ import version_import
from .layout import XLSX_CONTENT_TYPE

__all__ = [
    "XLSX_CONTENT_TYPE",
    "CellError",
    "WorkbookInvalid",
    "blank_workbook",
    "version_import",
    "version_workbook",
    "xlsx_response",
]
