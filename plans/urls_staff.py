"""The staff plan editor and audit trail, under /staff/ in the "plans" namespace."""

from django.urls import path

from plans.views import staff

urlpatterns = [
    path("", staff.dashboard, name="staff-dashboard"),
    path("plans/new/", staff.plan_new, name="staff-plan-new"),
    path("plans/<int:plan_id>/drafts/new/", staff.draft_create, name="staff-draft-create"),
    path("plans/<int:plan_id>/import/", staff.workbook_import, name="staff-xlsx-import"),
    path("workbooks/", staff.workbook_templates, name="staff-xlsx-templates"),
    path("workbooks/<str:kind>.xlsx", staff.workbook_template, name="staff-xlsx-template"),
    path("versions/<int:version_id>/delete/", staff.version_delete, name="staff-version-delete"),
    path("versions/<int:version_id>/outline/", staff.outline, name="staff-outline"),
    path("versions/<int:version_id>/vision/", staff.vision_edit, name="staff-vision"),
    path("versions/<int:version_id>/add-priority/", staff.node_add, name="staff-priority-add"),
    path("versions/<int:version_id>/changes/", staff.recent_changes, name="staff-recent-changes"),
    path(
        "versions/<int:version_id>/unimplemented/",
        staff.unimplemented,
        name="staff-unimplemented",
    ),
    path("nodes/<str:level>/<int:pk>/", staff.node_edit, name="staff-node-edit"),
    path("measures/<int:pk>/funding/", staff.measure_funding, name="staff-measure-funding"),
    path("nodes/<str:level>/<int:pk>/add/", staff.node_add, name="staff-node-add"),
    path("nodes/<str:level>/<int:pk>/move/", staff.node_move, name="staff-node-move"),
    path("nodes/<str:level>/<int:pk>/delete/", staff.node_delete, name="staff-node-delete"),
    path("nodes/<str:level>/<int:pk>/history/", staff.node_history, name="staff-node-history"),
    path(
        "nodes/<str:level>/<int:pk>/indicators/add/",
        staff.indicator_add,
        name="staff-indicator-add",
    ),
    path("indicators/<int:pk>/", staff.indicator_edit, name="staff-indicator-edit"),
    path("indicators/<int:pk>/delete/", staff.indicator_delete, name="staff-indicator-delete"),
]
