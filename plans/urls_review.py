"""Review comments (plans/views/review_comments.py), under /review/."""

from django.urls import path

from .views import review_comments

urlpatterns = [
    path("versions/<int:version_id>/", review_comments.version_threads, name="review-threads"),
    path(
        "versions/<int:version_id>/<str:level>/<int:node_id>/comment/",
        review_comments.comment_add,
        name="review-comment-add",
    ),
    path(
        "threads/<int:thread_id>/reply/", review_comments.thread_reply, name="review-thread-reply"
    ),
    path(
        "threads/<int:thread_id>/resolve/",
        review_comments.thread_resolve,
        name="review-thread-resolve",
    ),
    path(
        "threads/<int:thread_id>/reopen/",
        review_comments.thread_reopen,
        name="review-thread-reopen",
    ),
]
