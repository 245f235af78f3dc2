"""The plan as a PDF, beside the version's pages."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("versions/<int:version_id>/pdf/", views.version_pdf, name="version-pdf"),
]
