from django.apps import AppConfig
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Strategic plans")

    def ready(self):
        from planportal.extensions import VersionAction, WorkItems, register
        from plans import work
        from plans.models import Measure
        from plans.models.guards import guard_co_executors
        from plans.views import spreadsheets

        # Not business logic but the models' last guard: ``co_executors.add()``
        # writes the link table past ``Measure.save`` (plans.models.guards).
        m2m_changed.connect(
            guard_co_executors,
            sender=Measure.co_executors.through,
            dispatch_uid="plans.guard_co_executors",
        )
        # The "Download as XLSX" link beside the PDF's on every version's page.
        register(VersionAction(render=spreadsheets.download_button, order=20))
        # The drafts to edit, first on a staff member's work page.
        register(WorkItems(sections=work.sections, order=10))
