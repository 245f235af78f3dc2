"""/api/v1/ route of the plan as a PDF."""

from django.urls import path

from documents.api import views

urlpatterns = [
    path("versions/<int:pk>/pdf/", views.VersionPDFView.as_view(), name="version-pdf"),
]
