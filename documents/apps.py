from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("PDF documents")

    def ready(self):
        from documents import services, views
        from planportal.extensions import (
            StatusChange,
            VersionAction,
            VersionRecordChanged,
            register,
        )

        # The download button on every version's page (planportal/extensions.py).
        register(VersionAction(render=views.download_button, order=10))
        # A decision recorded or corrected on an approved version changes its
        # title page: the stored PDFs are made again (council/services.py).
        register(VersionRecordChanged(changed=services.invalidate_version_documents))

        # A version entering consultation, council review or approval has its
        # PDF rendered by the worker before anyone asks.
        register(StatusChange(changed=services.queue_prerender, order=10))
        # A development plan's new version in force changes what its action
        # plans print about the goals and tasks they implement.
        register(StatusChange(changed=services.refresh_implementing_documents, order=20))
