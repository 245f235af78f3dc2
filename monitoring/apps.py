from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from planportal.extensions import NodePanel, register

        from .panels import node_progress_panel

        # Right after the node's own content, before the other parts' boxes.
        register(NodePanel(render=node_progress_panel, order=5))
