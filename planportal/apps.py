from django.apps import AppConfig


class PlanportalConfig(AppConfig):
    name = "planportal"
    verbose_name = "PlanPortal"

    def ready(self):
        from planportal import checks  # noqa: F401 (registers the system checks)
        from planportal import deferred  # noqa: F401 (connects the after-response signals)
