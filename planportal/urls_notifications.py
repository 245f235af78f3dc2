from django.urls import path

from . import views_notifications

urlpatterns = [
    path("", views_notifications.notification_list, name="notifications"),
    path(
        "<int:notification_id>/read/",
        views_notifications.notification_read,
        name="notification-read",
    ),
    path("read/", views_notifications.notification_read_all, name="notifications-read-all"),
]
