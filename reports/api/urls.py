"""/api/v1/ routes of the yearly implementation reports (docs/reports/api.md).

The report's PDF (reports/api_pdf.py), its XLSX annex (reports/api_xlsx.py)
and the council's votings on it (council/api/) have routes of their own.
"""

from django.urls import path

from planportal.api import Router

from . import views

router = Router()
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = router.urls + [
    path("plans/<int:pk>/reports/", views.PlanReportsView.as_view(), name="plan-reports"),
    path(
        "reports/<int:pk>/narratives/<str:section>/",
        views.ReportNarrativeView.as_view(),
        name="report-narrative",
    ),
]
