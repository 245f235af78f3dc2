from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Implementation reports")

    def ready(self):
        from planportal.extensions import DemoStep, ReportPanel, VersionAction, register

        from . import demo
        from .panels_compare import annex_links
        from .views.plan_reports import reports_button

        # The annex and the comparison, first under the summary (reports/panels_compare.py).
        register(ReportPanel(render=annex_links, order=1))
        # The version in force's page links to the plan's yearly reports.
        register(VersionAction(render=reports_button, order=30))
        # The demo's 2018 (approved) and 2019 (draft) reports, after
        # monitoring's rounds (order 30) that they are made from.
        register(DemoStep(load=demo.load, order=40))
