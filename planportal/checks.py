"""System checks of the portal's own set-up (registered in planportal/apps.py).

With DEBUG off, pages link to the hashed copies of the static files that
``collectstatic`` writes to STATIC_ROOT and lists in its manifest
(CompressedManifestStaticFilesStorage). Without that manifest every HTML page
fails with a 500. ``manage.py check --deploy`` reports it, and the WSGI
application (gunicorn, runserver) refuses to start, saying what to run.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECTSTATIC = ".venv/bin/python manage.py collectstatic --noinput"


def static_manifest_errors() -> list[Error]:
    """An error when DEBUG is off and collectstatic has not written its manifest."""
    if settings.DEBUG:
        return []
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    if storage.manifest_storage.exists(storage.manifest_name):
        return []
    manifest = storage.manifest_storage.path(storage.manifest_name)
    return [
        Error(
            f"DEBUG is off and the static files have not been collected ({manifest} is "
            "missing): every page would fail with a server error (500).",
            hint=f"Run `{COLLECTSTATIC}` (with this STATIC_ROOT) before starting the "
            "server; scripts/bootstrap.sh and scripts/serve.sh run it.",
            id="planportal.E001",
        )
    ]


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs, **kwargs):
    return static_manifest_errors()


def require_collected_static() -> None:
    """Refuse to serve (planportal/wsgi.py) when the pages could not be rendered."""
    for error in static_manifest_errors():
        raise ImproperlyConfigured(f"{error.msg} {error.hint}")
