from django.urls import path

from .views import public, residents, staff

app_name = "consultations"

urlpatterns = [
    path("", public.index, name="index"),
    path("mine/", residents.mine, name="mine"),
    path("<int:consultation_id>/", public.detail, name="detail"),
    path("<int:consultation_id>/proposals/<int:number>/", public.proposal, name="proposal"),
    path("<int:consultation_id>/propose/", residents.propose, name="propose"),
    path("<int:consultation_id>/outcome/", public.outcome, name="outcome"),
    path("<int:consultation_id>/outcome.csv", public.outcome_csv, name="outcome-csv"),
    path(
        "<int:consultation_id>/outcome-excel.csv",
        public.outcome_excel_csv,
        name="outcome-excel-csv",
    ),
    path("<int:consultation_id>/outcome.xlsx", public.outcome_xlsx, name="outcome-xlsx"),
    path("proposals/<int:proposal_id>/edit/", residents.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<int:proposal_id>/withdraw/",
        residents.proposal_withdraw,
        name="proposal-withdraw",
    ),
    path(
        "proposals/<int:proposal_id>/support/", residents.proposal_support, name="proposal-support"
    ),
    path("proposals/<int:proposal_id>/report/", residents.proposal_report, name="proposal-report"),
    path("staff/", staff.staff_index, name="staff"),
    path("staff/open/<int:version_id>/", staff.staff_open, name="staff-open"),
    path("staff/<int:consultation_id>/", staff.staff_detail, name="staff-detail"),
    path("staff/<int:consultation_id>/publish/", staff.staff_publish, name="staff-publish"),
    path("letters/", residents.answer_letters, name="answer-letters"),
    path("staff/proposals/<int:proposal_id>/", staff.staff_proposal, name="staff-proposal"),
]
