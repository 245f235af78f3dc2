"""The report pages (reports/views.py)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/<int:report_id>/", views.report_detail, name="report"),
]
