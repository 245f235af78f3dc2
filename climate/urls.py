"""Browser routes of the climate part ("climate" namespace)."""

from django.urls import path

from . import views

app_name = "climate"

urlpatterns = [
    path("climate/", views.index, name="index"),
    path("climate/inventories/<int:inventory_id>/", views.inventory_detail, name="inventory"),
    path(
        "climate/inventories/<int:inventory_id>/table-a.csv",
        views.inventory_csv,
        name="inventory-csv",
    ),
    path(
        "climate/inventories/<int:inventory_id>/table-a-excel.csv",
        views.inventory_csv,
        {"excel": True},
        name="inventory-excel-csv",
    ),
    path("climate/measures/", views.measure_list, name="measures"),
    path("staff/climate/", views.staff_index, name="staff-index"),
    path(
        "staff/climate/inventories/new/",
        views.staff_inventory_create,
        name="staff-inventory-create",
    ),
    path("staff/climate/target/", views.staff_target, name="staff-target"),
    path(
        "staff/climate/inventories/<int:inventory_id>/",
        views.staff_inventory,
        name="staff-inventory",
    ),
    path(
        "staff/climate/inventories/<int:inventory_id>/import/",
        views.staff_inventory_import,
        name="staff-inventory-import",
    ),
    path(
        "staff/climate/inventories/<int:inventory_id>/other/",
        views.staff_inventory_extras,
        name="staff-inventory-extras",
    ),
    path(
        "staff/climate/inventories/<int:inventory_id>/publish/",
        views.staff_inventory_publish,
        name="staff-inventory-publish",
    ),
    path(
        "staff/climate/inventories/<int:inventory_id>/delete/",
        views.staff_inventory_delete,
        name="staff-inventory-delete",
    ),
    path("staff/climate/factors/", views.staff_factors, name="staff-factors"),
    path("staff/climate/measures/", views.staff_measures, name="staff-measures"),
    path("staff/climate/measures/new/", views.staff_measure_create, name="staff-measure-create"),
    path(
        "staff/climate/measures/<int:measure_id>/",
        views.staff_measure_edit,
        name="staff-measure-edit",
    ),
    path(
        "staff/climate/measures/<int:measure_id>/progress/",
        views.staff_measure_progress,
        name="staff-measure-progress",
    ),
    path(
        "staff/climate/measures/<int:measure_id>/delete/",
        views.staff_measure_delete,
        name="staff-measure-delete",
    ),
]
