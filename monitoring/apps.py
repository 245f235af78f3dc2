from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # The demo's rounds, values and unit members (planportal/extensions.py):
        # plans itself never imports monitoring.
        from monitoring import demo
        from planportal.extensions import DemoStep, register

        register(DemoStep(load=demo.load, order=30))
