from django.urls import include, path

from plans.views import public

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/", public.plan_detail, name="plan"),
    path("versions/<int:version_id>/", public.version_detail, name="version"),
    path("versions/<int:version_id>/budget/", public.budget_detail, name="budget"),
    path("versions/<int:version_id>/compare/", public.compare_versions, name="compare"),
    path(
        "versions/<int:version_id>/priorities/<int:node_id>/",
        public.node_page,
        {"level": "priority"},
        name="priority",
    ),
    path(
        "versions/<int:version_id>/goals/<int:node_id>/",
        public.node_page,
        {"level": "goal"},
        name="goal",
    ),
    path(
        "versions/<int:version_id>/tasks/<int:node_id>/",
        public.node_page,
        {"level": "task"},
        name="task",
    ),
    path(
        "versions/<int:version_id>/measures/<int:node_id>/",
        public.node_page,
        {"level": "measure"},
        name="measure",
    ),
    # The staff outline editor and audit trail (plans/urls_staff.py).
    path("staff/", include("plans.urls_staff")),
]
