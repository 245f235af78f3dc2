from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("PDF documents")

    def ready(self):
        # The download button on every version's page (planportal/extensions.py).
        from documents import views
        from planportal.extensions import VersionAction, register

        register(VersionAction(render=views.download_button, order=10))
