"""The report pages (reports/views/)."""

from django.urls import path

from .views import actions, narratives, plan_reports, report

app_name = "reports"

urlpatterns = [
    path("plans/<int:plan_id>/reports/", plan_reports.plan_reports, name="plan-reports"),
    path("plans/<int:plan_id>/reports/new/", plan_reports.report_create, name="create"),
    path("reports/<int:report_id>/", report.report_detail, name="report"),
    path(
        "reports/<int:report_id>/narratives/<str:section>/",
        narratives.narrative_edit,
        name="narrative",
    ),
    path("reports/<int:report_id>/submit/", actions.report_submit, name="submit"),
    path("reports/<int:report_id>/withdraw/", actions.report_withdraw, name="withdraw"),
    path("reports/<int:report_id>/approve/", actions.report_approve, name="approve"),
    path("reports/<int:report_id>/decision/", actions.report_decision, name="decision"),
    path("reports/<int:report_id>/revise/", actions.report_revise, name="revise"),
]
