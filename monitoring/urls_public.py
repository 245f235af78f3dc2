"""The public progress pages and open data of a plan (monitoring/views_public.py)."""

from django.urls import path

from . import views_public

app_name = "monitoring_public"

urlpatterns = [
    path("plans/<int:plan_id>/progress/", views_public.plan_progress, name="progress"),
    path("plans/<int:plan_id>/progress.csv", views_public.progress_csv, name="progress-csv"),
    path(
        "plans/<int:plan_id>/progress-excel.csv",
        views_public.progress_excel_csv,
        name="progress-excel-csv",
    ),
    path("plans/<int:plan_id>/progress.xlsx", views_public.progress_xlsx, name="progress-xlsx"),
]
