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
