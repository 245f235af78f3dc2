from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Implementation reports")

    def ready(self):
        from planportal.extensions import VersionAction, register

        from .views.plan_reports import reports_button

        # The version in force's page links to the plan's yearly reports.
        register(VersionAction(render=reports_button, order=30))
