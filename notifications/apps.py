from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # A user's notifications in their "download my data" file; the rows
        # themselves go with the account (planportal/extensions.py).
        from notifications import selectors
        from planportal.extensions import PersonalData, register

        register(PersonalData(key="notifications", export=selectors.personal_data, order=10))

        # Any other write of a notification (the admin, a deleted account)
        # retires the kept unread counts (selectors.unread_count).
        from django.db.models.signals import post_delete, post_save

        from notifications.models import Notification

        def forget(sender, instance, **kwargs):
            selectors.forget_unread()

        post_save.connect(forget, sender=Notification, weak=False, dispatch_uid="unread:save")
        post_delete.connect(forget, sender=Notification, weak=False, dispatch_uid="unread:delete")
