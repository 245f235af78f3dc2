from django.apps import AppConfig


class PlanportalConfig(AppConfig):
    name = "planportal"
    verbose_name = "PlanPortal"

    def ready(self):
        # Registers the system checks; connects the after-response signals.
        from planportal import checks, deferred, pagecache  # noqa: F401

        # Every write of a model whose rows cached pages show retires them.
        pagecache.connect_writes()
