from django.urls import include, path

from plans.levels import LEVELS
from plans.views import public, spreadsheets

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/", public.plan_detail, name="plan"),
    path("versions/<int:version_id>/", public.version_detail, name="version"),
    path("versions/<int:version_id>/budget/", public.budget_detail, name="budget"),
    path("versions/<int:version_id>/budget.csv", public.budget_csv, name="budget-csv"),
    path("versions/<int:version_id>/budget.xlsx", public.budget_xlsx, name="budget-xlsx"),
    path("versions/<int:version_id>/compare/", public.compare_versions, name="compare"),
    path("versions/<int:version_id>/xlsx/", spreadsheets.version_xlsx, name="version-xlsx"),
    # A page per node: /versions/3/goals/12/ is "plans:goal" (names from plans.levels).
    *(
        path(
            f"versions/<int:version_id>/{level.url_segment}/<int:node_id>/",
            public.node_page,
            {"level": level.name},
            name=level.name,
        )
        for level in LEVELS.values()
    ),
    path(
        "versions/<int:version_id>/indicators/<int:indicator_id>/",
        public.indicator_page,
        name="indicator",
    ),
    # The staff outline editor and audit trail (plans/urls_staff.py).
    path("staff/", include("plans.urls_staff")),
]
