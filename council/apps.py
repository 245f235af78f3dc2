from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "council"
    verbose_name = _("Council review and votes")

    def ready(self):
        # A yearly report's voting box under its summary, and the council
        # told when a report is submitted (planportal/extensions.py).
        from council import notices, report_panel, work
        from planportal.extensions import ReportPanel, ReportSubmitted, WorkItems, register

        register(ReportPanel(render=report_panel.render, order=10))
        register(ReportSubmitted(submitted=notices.notify_council_report_submitted))
        # Open votings (a member's ballots to cast) on the work page.
        register(WorkItems(sections=work.sections, order=30))
