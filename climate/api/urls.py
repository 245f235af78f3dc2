"""/api/v1/climate/ routes (included by planportal/urls.py)."""

from django.urls import path

from planportal.api import Router

from . import views

router = Router()
router.register("inventories", views.InventoryViewSet, basename="climate-inventory")
router.register("measures", views.SeapMeasureViewSet, basename="climate-measure")

urlpatterns = router.urls + [
    path("target/", views.TargetView.as_view(), name="climate-target"),
]
