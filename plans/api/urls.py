"""/api/v1/ routes of the plans app (included by planportal/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import document, review, views

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("versions", views.VersionViewSet, basename="version")
router.register("priorities", views.PriorityViewSet, basename="priority")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("units", views.UnitViewSet, basename="unit")
router.register("funding-sources", views.FundingSourceViewSet, basename="funding-source")
router.register("votings", review.VotingViewSet, basename="voting")

urlpatterns = router.urls + [
    # Council review (plans/api/review.py): state changes of a version.
    path("versions/<int:pk>/submit/", review.VersionSubmitView.as_view(), name="version-submit"),
    path(
        "versions/<int:pk>/withdraw/", review.VersionWithdrawView.as_view(), name="version-withdraw"
    ),
    path(
        "versions/<int:pk>/decision/", review.VersionDecisionView.as_view(), name="version-decision"
    ),
    # The version as a PDF (plans/api/document.py).
    path("versions/<int:pk>/pdf/", document.VersionPDFView.as_view(), name="version-pdf"),
]
