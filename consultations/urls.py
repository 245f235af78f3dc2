from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("<int:consultation_id>/", views.detail, name="detail"),
    path("<int:consultation_id>/propose/", views.propose, name="propose"),
    path("<int:consultation_id>/outcome/", views.outcome, name="outcome"),
    path("<int:consultation_id>/outcome.csv", views.outcome_csv, name="outcome-csv"),
    path("<int:consultation_id>/outcome.xlsx", views.outcome_xlsx, name="outcome-xlsx"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<int:proposal_id>/withdraw/", views.proposal_withdraw, name="proposal-withdraw"
    ),
    path("proposals/<int:proposal_id>/support/", views.proposal_support, name="proposal-support"),
    path("proposals/<int:proposal_id>/report/", views.proposal_report, name="proposal-report"),
    path("staff/", views.staff_index, name="staff"),
    path("staff/open/<int:version_id>/", views.staff_open, name="staff-open"),
    path("staff/<int:consultation_id>/", views.staff_detail, name="staff-detail"),
    path("staff/proposals/<int:proposal_id>/", views.staff_proposal, name="staff-proposal"),
]
