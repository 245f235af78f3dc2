"""Council review and votes, under /council/ (and each plan's history)."""

from django.urls import path

from council import views

app_name = "council"

urlpatterns = [
    path("plans/<int:plan_id>/history/", views.plan_history, name="history"),
    path("council/", views.dashboard, name="dashboard"),
    path("council/versions/<int:version_id>/submit/", views.version_submit, name="submit"),
    path("council/versions/<int:version_id>/withdraw/", views.version_withdraw, name="withdraw"),
    path("council/versions/<int:version_id>/voting/", views.voting_open, name="voting-open"),
    path("council/versions/<int:version_id>/decision/", views.decision_record, name="decision"),
    path("council/votings/<int:voting_id>/", views.voting_detail, name="voting"),
    path("council/votings/<int:voting_id>/ballot/", views.ballot_cast, name="ballot"),
    path("council/votings/<int:voting_id>/close/", views.voting_close, name="voting-close"),
    path(
        "council/reports/<int:report_id>/voting/",
        views.report_voting_open,
        name="report-voting-open",
    ),
]
