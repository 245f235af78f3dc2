from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClimateConfig(AppConfig):
    name = "climate"
    verbose_name = _("Climate and energy")

    def ready(self):
        # What the climate part adds to the plan's pages, PDF and demo
        # (planportal/extensions.py): plans itself never imports climate.
        from climate import demo, selectors, views
        from planportal.extensions import DemoStep, NodePanel, PdfAnnex, register

        register(NodePanel(render=views.measure_panel, order=10))
        register(
            PdfAnnex(
                id="annex-climate",
                title=_("Climate annex"),
                context=selectors.pdf_annex,
                template="climate/pdf_annex.html",
                order=10,
            )
        )
        register(DemoStep(load=demo.load, order=20))
        # The yearly implementation report's climate section (climate/report.py).
        from climate import report
        from planportal.extensions import ReportSection

        register(
            ReportSection(
                key="climate",
                title=_("Climate and energy"),
                build=report.build,
                template="climate/report_section.html",
                order=10,
            )
        )
