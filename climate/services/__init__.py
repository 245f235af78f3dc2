"""Every write to the climate data goes through here.

Services are keyword-only, run in one transaction and first check that the
user is administration staff. A refused write raises ValidationError (400)
or PermissionDenied (403) and changes nothing. Every write retires the whole-
page cache on commit: a plan measure's public page shows the climate impact
of its SEAP measures, and the PDF annex shows the inventories.

One module per kind of data: ``inventories.py`` (an inventory's header,
Table A, Tables C and D, green purchases, other emissions),
``csv_table_a.py`` (Table A as a CSV file, export and import),
``factors.py`` (the inventory's, the library's and the national factors),
``action_plan.py`` (the reduction target, the SEAP measures),
``progress.py`` (what the SEAP measures achieved by year); the staff
guard, the cache bump and ``parse_quantity`` in ``_common.py``. Callers
import the package (``from climate import services``); every public name is
re-exported here.
"""

# PermissionDenied: what require_staff raises, named here for the callers that catch it.
from django.core.exceptions import PermissionDenied, ValidationError

from ._common import MAX_ERRORS, MAX_FACTOR, MAX_MWH, parse_quantity, require_staff
from .action_plan import (
    SEAP_FIELDS,
    seap_measure_create,
    seap_measure_delete,
    seap_measure_update,
    target_set,
)
from .csv_table_a import CSV_CORNER, consumption_import_csv, parse_table_a_csv, table_a_csv
from .factors import (
    clean_factors,
    factors_replace,
    library_factor_set,
    national_factor_delete,
    national_factor_set,
)
from .inventories import (
    AlreadyPublished,
    clean_cells,
    consumption_replace,
    green_purchase_add,
    green_purchase_delete,
    inventory_create,
    inventory_delete,
    inventory_publish,
    inventory_update,
    other_emission_add,
    other_emission_delete,
    production_add,
    production_delete,
)
from .progress import seap_progress_delete, seap_progress_set

__all__ = [
    "CSV_CORNER",
    "AlreadyPublished",
    "MAX_ERRORS",
    "MAX_FACTOR",
    "MAX_MWH",
    "SEAP_FIELDS",
    "PermissionDenied",
    "ValidationError",
    "clean_cells",
    "clean_factors",
    "consumption_import_csv",
    "consumption_replace",
    "factors_replace",
    "green_purchase_add",
    "green_purchase_delete",
    "inventory_create",
    "inventory_delete",
    "inventory_publish",
    "inventory_update",
    "library_factor_set",
    "national_factor_delete",
    "national_factor_set",
    "other_emission_add",
    "other_emission_delete",
    "parse_quantity",
    "parse_table_a_csv",
    "production_add",
    "production_delete",
    "require_staff",
    "seap_measure_create",
    "seap_measure_delete",
    "seap_measure_update",
    "seap_progress_delete",
    "seap_progress_set",
    "table_a_csv",
    "target_set",
]
