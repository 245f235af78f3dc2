"""Review comments on the nodes of a version, under /review/."""

from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("versions/<int:version_id>/", views.version_threads, name="threads"),
    path(
        "versions/<int:version_id>/<str:level>/<int:node_id>/comment/",
        views.comment_add,
        name="comment-add",
    ),
    path("reports/<int:report_id>/comment/", views.report_comment_add, name="report-comment-add"),
    path("threads/<int:thread_id>/reply/", views.thread_reply, name="thread-reply"),
    path("threads/<int:thread_id>/resolve/", views.thread_resolve, name="thread-resolve"),
    path("threads/<int:thread_id>/reopen/", views.thread_reopen, name="thread-reopen"),
]
