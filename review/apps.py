from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = _("Review comments")

    def ready(self):
        # The review threads on each node's page (planportal/extensions.py).
        from planportal.extensions import (
            NodePanel,
            ReportPanel,
            VersionWorkBox,
            WorkItems,
            register,
        )
        from review import views, work, work_box

        register(NodePanel(render=views.node_panel, order=30))
        # The threads under each section of a yearly report's page.
        register(ReportPanel(render=views.report_panel, order=30))
        # The open threads per item at the head of a version's outline and page.
        register(VersionWorkBox(render=work_box.render, order=20))
        # The open threads on the work page of staff and council.
        register(WorkItems(sections=work.sections, order=20))
