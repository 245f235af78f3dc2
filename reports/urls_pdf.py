"""The report's PDF beside its page (reports/views_pdf.py)."""

from django.urls import path

from . import views_pdf

app_name = "reports_pdf"

urlpatterns = [
    path("reports/<int:report_id>/pdf/", views_pdf.report_pdf, name="report-pdf"),
]
