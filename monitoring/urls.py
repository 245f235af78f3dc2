"""Monitoring's browser pages, mounted at /monitoring/ (planportal/urls.py)."""

from django.urls import path

from monitoring.views import items, members, rounds

app_name = "monitoring"

urlpatterns = [
    path("plans/<int:plan_id>/rounds/", rounds.plan_rounds, name="plan-rounds"),
    path("rounds/<int:round_id>/", rounds.round_detail, name="round"),
    path("rounds/<int:round_id>/publish/", rounds.round_publish, name="round-publish"),
    path("units/", members.unit_list, name="members"),
    path("units/<int:unit_id>/members/", members.unit_members, name="unit-members"),
    path("my-items/", items.my_items, name="my-items"),
    path("rounds/<int:round_id>/<str:kind>/<uuid:key>/", items.item_page, name="item"),
    path(
        "rounds/<int:round_id>/<str:kind>/<uuid:key>/comments/",
        items.comment_add,
        name="comment-add",
    ),
    path(
        "rounds/<int:round_id>/<str:kind>/<uuid:key>/milestones/",
        items.milestone_post,
        name="milestones",
    ),
    path("comments/<int:comment_id>/resolve/", items.comment_resolve, name="comment-resolve"),
]
