"""/api/v1/ routes of monitoring (docs/monitoring/api.md)."""

from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/rounds/", views.PlanRoundsView.as_view(), name="plan-rounds"),
    path("rounds/<int:pk>/publish/", views.RoundPublishView.as_view(), name="round-publish"),
    path("rounds/<int:pk>/items/", views.RoundItemsView.as_view(), name="round-items"),
    path(
        "indicators/<int:pk>/actuals/",
        views.IndicatorActualsView.as_view(),
        name="indicator-actuals",
    ),
    path(
        "indicators/<int:pk>/actuals/<int:year>/",
        views.IndicatorActualView.as_view(),
        name="indicator-actual",
    ),
    path(
        "measures/<int:pk>/implementation/",
        views.MeasureImplementationsView.as_view(),
        name="measure-implementations",
    ),
    path(
        "measures/<int:pk>/implementation/<int:year>/",
        views.MeasureImplementationView.as_view(),
        name="measure-implementation",
    ),
    path(
        "measures/<int:pk>/milestones/",
        views.MeasureMilestonesView.as_view(),
        name="measure-milestones",
    ),
    path("milestones/<int:pk>/", views.MilestoneView.as_view(), name="milestone"),
    path(
        "versions/<int:pk>/progress/", views.VersionProgressView.as_view(), name="version-progress"
    ),
]
