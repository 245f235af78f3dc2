from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Council review and votes")

    def ready(self):
        # A yearly report's voting box under its summary, and the council
        # told when a report is submitted (planportal/extensions.py).
        from council import notices, report_panel, work, work_box
        from planportal.extensions import (
            ReportPanel,
            ReportSubmitted,
            VersionWorkBox,
            WorkItems,
            register,
        )

        register(ReportPanel(render=report_panel.render, order=10))
        register(ReportSubmitted(submitted=notices.notify_council_report_submitted))
        # Submit, take back and the voting at the head of a version's outline
        # and page.
        register(VersionWorkBox(render=work_box.render, order=10))
        # Open votings (a member's ballots to cast) on the work page.
        register(WorkItems(sections=work.sections, order=30))
