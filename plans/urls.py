from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("versions/<int:version_id>/", views.version_detail, name="version"),
]
