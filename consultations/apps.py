from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Public consultations")

    def ready(self):
        # What public consultations add to the home page and the plan's pages, its PDF, the
        # council's submit step, a resident's data download and deletion, and
        # the demo (planportal/extensions.py).
        from consultations import demo, selectors, services
        from consultations.views import public
        from planportal.extensions import (
            DemoStep,
            HomePanel,
            NodePanel,
            PdfAnnex,
            PersonalData,
            SubmitGuard,
            VersionPanel,
            register,
        )

        register(HomePanel(render=public.home_panel, order=20))
        register(VersionPanel(render=public.version_panel, order=20))
        register(NodePanel(render=public.node_panel, order=20))
        register(
            PdfAnnex(
                id="annex-consultation",
                title=_("Public consultation: proposals and answers"),
                context=selectors.pdf_annex,
                template="consultations/pdf_annex.html",
                order=20,
            )
        )
        register(SubmitGuard(refusal=selectors.submit_refusal, code="consultation_not_over"))
        register(
            SubmitGuard(
                refusal=selectors.consultation_required_refusal, code="consultation_required"
            )
        )
        register(
            PersonalData(
                key="consultations",
                export=selectors.personal_data,
                erase=services.author_anonymise,
                order=20,
            )
        )
        register(DemoStep(load=demo.load_consultation, order=10))
        # The proposals awaiting an answer, on a staff member's work page.
        from consultations import work
        from planportal.extensions import WorkItems

        register(WorkItems(sections=work.sections, order=40))
        # The setting for letters about answers, on the resident's "My account" page.
        from consultations.views import residents
        from planportal.extensions import ProfileSection

        register(ProfileSection(render=residents.profile_section, order=20))
        # The yearly implementation report's consultations section (consultations/report.py).
        from consultations import report
        from planportal.extensions import ReportSection

        register(
            ReportSection(
                key="consultations",
                title=_("Public consultations"),
                build=report.build,
                template="consultations/report_section.html",
                order=20,
            )
        )
