"""System checks of the portal's own set-up (registered in planportal/apps.py).

With DEBUG off, pages link to the hashed copies of the static files that
``collectstatic`` writes to STATIC_ROOT and lists in its manifest
(CompressedManifestStaticFilesStorage). Without that manifest every HTML page
fails with a 500. ``manage.py check --deploy`` reports it, and the WSGI
application (gunicorn, runserver) refuses to start, saying what to run.

The deployment check also warns when the abuse limits would not hold: their
counters in a per-process cache, or a client address read from REMOTE_ADDR
behind a proxy, or from a header that any client could write.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, Tags, Warning, register
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


# --- The abuse limits and the login lockout (docs/security/login.md) ---------

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def abuse_limit_warnings() -> list[Warning]:
    """Production set-ups in which the abuse limits would not hold."""
    if settings.DEBUG:
        return []
    warnings = []
    alias = getattr(settings, "RATELIMIT_USE_CACHE", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES or backend.endswith("FileBasedCache"):
        warnings.append(
            Warning(
                f"The abuse limits' counters (cache {alias!r}) are kept by {backend}, which "
                "no two workers or servers share: each counts on its own, and N workers let "
                "N times the limit through.",
                hint="Leave CACHES['ratelimit'] as the settings make it (the database, or "
                "Redis with REDIS_URL).",
                id="planportal.W001",
            )
        )
    header = getattr(settings, "PLANPORTAL_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR")
    proxies = getattr(settings, "PLANPORTAL_TRUSTED_PROXIES", [])
    if proxies and header == "REMOTE_ADDR":
        warnings.append(
            Warning(
                "PLANPORTAL_TRUSTED_PROXIES names a proxy, but the client's address is read "
                "from REMOTE_ADDR, which behind a proxy is the proxy's: every client would "
                "share one address in the abuse limits and the login lockout.",
                hint="Set PLANPORTAL_CLIENT_ADDRESS_HEADER to the header the proxy writes, "
                "e.g. HTTP_X_REAL_IP.",
                id="planportal.W002",
            )
        )
    if header != "REMOTE_ADDR" and not proxies:
        warnings.append(
            Warning(
                f"The client's address is read from {header} of every request: a client "
                "that reaches the app server without the proxy can write any address there "
                "and escape the abuse limits and the login lockout.",
                hint="Set PLANPORTAL_TRUSTED_PROXIES to the proxy's address (e.g. 127.0.0.1), "
                "so the header is believed only from the proxy.",
                id="planportal.W003",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def check_abuse_limits(app_configs, **kwargs):
    return abuse_limit_warnings()


# --- Links in e-mails -------------------------------------------------------


def base_url_warnings() -> list[Warning]:
    """A production set-up whose e-mails would link to the wrong place.

    Letters (an answer to a proposal, a council notice) carry absolute links
    built on PLANPORTAL_BASE_URL; without it they point at a development
    address (consultations/letters.py) or carry a bare path.
    """
    if settings.DEBUG:
        return []
    base = getattr(settings, "PLANPORTAL_BASE_URL", "") or ""
    if base.startswith("https://"):
        return []
    return [
        Warning(
            "PLANPORTAL_BASE_URL is not set to the portal's public https:// address "
            f"(it is {base!r}): links in e-mails would not lead residents to the portal.",
            hint="Set PLANPORTAL_BASE_URL, e.g. https://planas.krs.lt (no trailing slash).",
            id="planportal.W010",
        )
    ]


@register(Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    return base_url_warnings()
