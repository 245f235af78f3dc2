"""Council review and votes, under /council/ in the "plans" namespace."""

from django.urls import path

from .views import council

urlpatterns = [
    path("", council.dashboard, name="council"),
    path("versions/<int:version_id>/submit/", council.version_submit, name="council-submit"),
    path("versions/<int:version_id>/withdraw/", council.version_withdraw, name="council-withdraw"),
    path("versions/<int:version_id>/voting/", council.voting_open, name="council-voting-open"),
    path("versions/<int:version_id>/decision/", council.decision_record, name="council-decision"),
    path("votings/<int:voting_id>/", council.voting_detail, name="council-voting"),
    path("votings/<int:voting_id>/ballot/", council.ballot_cast, name="council-ballot"),
    path("votings/<int:voting_id>/close/", council.voting_close, name="council-voting-close"),
]
