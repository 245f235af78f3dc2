"""The staff plan editor: dashboard, outline editor, node pages and audit trail.

One module per screen (plans/urls_staff.py routes to the names below):
``dashboard`` (plans and versions), ``plan_new`` (a new plan), ``outline``
(the vision and adding, moving and deleting nodes in place), ``nodes`` (a
node's edit page), ``funding`` (a measure's funding grid), ``indicators``,
``links`` (what the action plans leave unimplemented) and ``audit`` (a
node's history, a version's recent changes), ``spreadsheets`` (importing a
workbook, blank workbooks); ``common`` holds what they share. Every view
needs the staff role and calls one service of plans.services, which checks
the role and the version's state again.
"""

from .audit import node_history, recent_changes
from .dashboard import dashboard, draft_create, version_delete
from .funding import measure_funding
from .indicators import indicator_add, indicator_delete, indicator_edit
from .links import unimplemented
from .nodes import node_edit
from .outline import node_add, node_delete, node_move, outline, vision_edit
from .plan_new import plan_new
from .spreadsheets import workbook_import, workbook_template, workbook_templates

__all__ = [
    "dashboard",
    "draft_create",
    "indicator_add",
    "indicator_delete",
    "indicator_edit",
    "measure_funding",
    "node_add",
    "node_delete",
    "node_edit",
    "node_history",
    "node_move",
    "outline",
    "plan_new",
    "recent_changes",
    "unimplemented",
    "version_delete",
    "vision_edit",
    "workbook_import",
    "workbook_template",
    "workbook_templates",
]
