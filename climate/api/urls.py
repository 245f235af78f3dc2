"""/api/v1/climate/ routes (included by planportal/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("inventories", views.InventoryViewSet, basename="climate-inventory")
router.register("measures", views.SeapMeasureViewSet, basename="climate-measure")

urlpatterns = router.urls + [
    path("target/", views.TargetView.as_view(), name="climate-target"),
]
