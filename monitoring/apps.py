from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from planportal.extensions import DemoStep, NodePanel, PdfAnnex, WorkItems, register

        from . import demo, pdf, work
        from .panels import node_progress_panel

        # Right after the node's own content, before the other parts' boxes.
        register(NodePanel(render=node_progress_panel, order=5))
        # The plan PDF's annex: published rounds only, whoever asked (monitoring/pdf.py).
        register(
            PdfAnnex(
                id="annex-monitoring",
                title=_("Implementation monitoring"),
                context=pdf.pdf_annex,
                template="monitoring/pdf_annex.html",
                order=30,
            )
        )
        # The demo's rounds, values and unit members: plans never imports monitoring.
        register(DemoStep(load=demo.load, order=30))
        # The open rounds' items still to enter, on the work page.
        register(WorkItems(sections=work.sections, order=50))
