"""/api/v1/ routes of council review: votings and the state changes of a version."""

from django.urls import path

from council.api import views
from planportal.api import Router

router = Router()
router.register("votings", views.VotingViewSet, basename="voting")

urlpatterns = router.urls + [
    path("versions/<int:pk>/submit/", views.VersionSubmitView.as_view(), name="version-submit"),
    path(
        "versions/<int:pk>/withdraw/", views.VersionWithdrawView.as_view(), name="version-withdraw"
    ),
    path(
        "versions/<int:pk>/decision/", views.VersionDecisionView.as_view(), name="version-decision"
    ),
]
