"""Two years' reports side by side and a report's XLSX annex (reports/views_compare.py).

Included from planportal/urls.py apart from ``reports/urls.py`` (the report
pages), so that each part's routes stay in its own file.
"""

from django.urls import path

from . import views_compare

app_name = "reports_compare"

urlpatterns = [
    path(
        "plans/<int:plan_id>/reports/compare/",
        views_compare.compare_reports,
        name="compare",
    ),
    path("reports/<int:report_id>/xlsx/", views_compare.report_xlsx, name="report-xlsx"),
]
