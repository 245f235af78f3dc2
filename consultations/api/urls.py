"""/api/v1/ routes of the consultations app (included by planportal/urls.py)."""

from planportal.api import Router

from . import views

router = Router()
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("elderships", views.EldershipViewSet, basename="eldership")

urlpatterns = router.urls
