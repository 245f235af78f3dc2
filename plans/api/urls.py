"""/api/v1/ routes of the plans app (included by planportal/urls.py)."""

from rest_framework.routers import DefaultRouter

from plans.api import views

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

urlpatterns = router.urls
