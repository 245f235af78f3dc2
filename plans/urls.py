from django.urls import include, path

from .views import public

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/", public.plan_detail, name="plan"),
    path("versions/<int:version_id>/", public.version_detail, name="version"),
    # The staff outline editor and audit trail (plans/urls_staff.py).
    path("staff/", include("plans.urls_staff")),
]
