"""/api/v1/ routes of the plans app (included by planportal/urls.py)."""

from planportal.api import RootRouter
from plans.api import views
from plans.levels import LEVELS

router = RootRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("versions", views.VersionViewSet, basename="version")
for viewset in views.NODE_VIEWSETS:
    level = LEVELS[viewset.level]
    router.register(level.url_segment, viewset, basename=level.name)
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("units", views.UnitViewSet, basename="unit")
router.register("funding-sources", views.FundingSourceViewSet, basename="funding-source")

urlpatterns = router.urls
