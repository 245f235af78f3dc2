from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("PDF documents")

    def ready(self):
        # The download button on every version's page (planportal/extensions.py).
        from documents import services, views
        from planportal.extensions import VersionAction, VersionRecordChanged, register

        register(VersionAction(render=views.download_button, order=10))
        # A decision recorded or corrected on an approved version changes its
        # title page: the stored PDFs are made again (council/services.py).
        register(VersionRecordChanged(changed=services.invalidate_version_documents))
