"""The round workbook's pages (included under /monitoring/ by planportal/urls.py).

Kept apart from ``monitoring/urls.py`` (the staff pages of rounds) so that
each part's routes stay in its own file.
"""

from django.urls import path

from . import views_spreadsheets

app_name = "monitoring_xlsx"

urlpatterns = [
    path("rounds/<int:round_id>/xlsx/", views_spreadsheets.round_xlsx, name="round-xlsx"),
    path(
        "rounds/<int:round_id>/import/",
        views_spreadsheets.round_import_page,
        name="round-import",
    ),
]
