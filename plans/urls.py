from django.urls import include, path

from .views import council, document, public

app_name = "plans"

urlpatterns = [
    path("plans/<int:plan_id>/", public.plan_detail, name="plan"),
    path("plans/<int:plan_id>/history/", council.plan_history, name="history"),
    path("versions/<int:version_id>/", public.version_detail, name="version"),
    path("versions/<int:version_id>/budget/", public.budget_detail, name="budget"),
    path("versions/<int:version_id>/compare/", public.compare_versions, name="compare"),
    # The plan as a PDF (plans/views/document.py).
    path("versions/<int:version_id>/pdf/", document.version_pdf, name="version-pdf"),
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
    # Council review and votes (plans/urls_council.py).
    path("council/", include("plans.urls_council")),
    # Review comments on nodes (plans/urls_review.py).
    path("review/", include("plans.urls_review")),
]
