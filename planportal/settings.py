"""PlanPortal settings.

Everything that differs between a developer's laptop and production comes from
the environment (see README.md, "Configuration"). The defaults are those of the
embedded set-up: SQLite in ``var/``, in-process cache, DEBUG off unless asked.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PLANPORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A development key that `manage.py check --deploy` rejects (W009), so that a
# production server cannot start checks clean without its own SECRET_KEY.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-planportal-development-key-not-for-production"
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    # The background jobs' framework and its queue in the database (WORKER_QUEUE).
    "django_tasks",
    "django_tasks_db",
    "planportal",
    "plans",
    "council",
    "review",
    "notifications",
    "documents",
    "consultations",
    "climate",
    "monitoring",
    "reports",
    "accounts",
    "security",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "planportal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.context.CurrentRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "planportal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "planportal.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]

WSGI_APPLICATION = "planportal.wsgi.application"

# --- Database -----------------------------------------------------------------
# SQLite is the embedded default. WAL lets readers work beside one writer, the
# busy timeout makes a second writer wait instead of failing, and IMMEDIATE
# transactions take the write lock at BEGIN, so that two transactions never
# both read and then both try to upgrade to a write lock (the case that busy
# timeouts cannot resolve and that ends in "database is locked").
DEFAULT_SQLITE_PATH = VAR_DIR / "planportal.sqlite3"
if not os.environ.get("DATABASE_URL"):
    # A fresh checkout has no var/ (it is ignored by git); SQLite would fail
    # with "unable to open database file" rather than create it.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------
# With REDIS_URL set, cache and sessions live in Redis, shared by every app
# server behind the load balancer; otherwise the cache is per process (safe:
# only immutable content, approved versions, is cached) and sessions are in the
# database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES: dict[str, dict[str, Any]] = {
        "default": {
            "BACKEND": "planportal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "planportal",
        }
    }
    # Django's cache sessions, read in one round trip with the page cache's
    # counters (planportal/sessions.py).
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "planportal.sessions")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "planportal",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 3600)))
# Counts every render of a cacheable page in the shared cache (key
# "pagecache:renders"): benchmarks/stampede.py reads it. Off in production.
PAGE_CACHE_COUNT_RENDERS = env_bool("PAGE_CACHE_COUNT_RENDERS", False)

# --- Authentication -----------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Residents sign in with their username or their e-mail address (accounts/).
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "login"
# Staff, council and unit members land on their work page; everyone else is
# sent on from there to the home page, where residents always landed.
LOGIN_REDIRECT_URL = "accounts:work"
LOGOUT_REDIRECT_URL = "home"

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "lt"
LANGUAGES = [("lt", _("Lithuanian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Vilnius"
USE_I18N = True
USE_TZ = True
# Off, so that an id, a year or a revision in a template never prints as
# "1 360" or "2 020". Amounts and quantities are grouped explicitly where they
# are shown (the floatformat "g" suffix, plans/templatetags/plan_tags.py).
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["planportal.formats"]
LANGUAGE_COOKIE_NAME = "planportal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files -------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and the embedded set-up run without collectstatic: let WhiteNoise find
# files through the finders when no manifest has been built.
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False

# --- REST API -----------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "planportal.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PlanPortal API",
    "DESCRIPTION": "Strategic development plans, their versions, review, consultations and "
    "climate.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "planportal@localhost")

# --- Security -----------------------------------------------------------------
# Production (DEBUG off) is HTTPS-only behind a proxy that sets
# X-Forwarded-Proto; each can be switched off by environment for a plain-HTTP
# set-up on a laptop.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Content-Security-Policy and Permissions-Policy (issue 11; docs/security/csp.md)
# One strict policy on every response: scripts, styles, images, fonts and
# requests only from the portal itself, no inline script or style anywhere
# (the templates carry none; tests/test_csp.py scans them), no nonces (so a
# cached page never carries a stale one), no plugins, no framing, forms post
# only back here. planportal/csp.py admits, on the admin's and the browsable
# API's pages only, the few fixed style attributes their packages ship.
from csp.constants import NONE, SELF  # noqa: E402

MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "planportal.csp.ContentSecurityPolicyMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("planportal.csp.ContentSecurityPolicyMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
INSTALLED_APPS.append("csp")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the small SVG icons inside the stylesheets of Swagger UI
        # and the admin.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# No page uses a camera, a microphone, the location, payments, USB or other
# devices; refusing them means a script that got in could not ask for them
# either. browsing-topics (and its predecessor interest-cohort) keeps the
# portal's visitors out of the browser's advertising topics.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# The browsable API without its unused inline <style> (planportal/csp.py).
REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "rest_framework.renderers.JSONRenderer",
    "planportal.csp.StylelessBrowsableAPIRenderer",
]

# --- Portal -------------------------------------------------------------------
PLANPORTAL_MUNICIPALITY = os.environ.get("PLANPORTAL_MUNICIPALITY", "Kauno rajono savivaldybė")
# Where the portal is reached, for links in e-mails (e.g. https://planas.krs.lt).
PLANPORTAL_BASE_URL = os.environ.get("PLANPORTAL_BASE_URL", "")

# One handler, the root's, prints every record once. Django's own default
# configuration (applied before this one) gives its "django" logger a console
# handler of its own, active with DEBUG on, and a mail_admins handler (no
# ADMINS here, so it never sends); their records also propagate to the root's
# handler, so with DEBUG on every warning and traceback of Django's (a 404, a
# 500 in runserver) was printed twice. The runserver's request lines
# ("django.server") keep Django's own handler and are not propagated.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django": {"handlers": [], "level": "INFO", "propagate": True}},
}

# --- Council votes (issue 3; docs/council.md) ---------------------------------
# How a council voting is decided. "quorum": "more_than_half_of_members" means
# more than half of the council's members cast a ballot (abstaining counts as
# taking part); "none" drops the quorum. "majority": "of_ballots_cast" means
# more "for" than half of the ballots cast (abstentions included, so they
# weigh like "against"); "of_members" means more "for" than half of all
# members. The council's size is the number of active council members when
# the voting closes, unless PLANPORTAL_COUNCIL_SIZE sets it (e.g. 25 seats,
# whether or not every member has an account).
PLANPORTAL_DECISION_RULE = {
    "quorum": "more_than_half_of_members",
    "majority": "of_ballots_cast",
}
PLANPORTAL_COUNCIL_SIZE = (
    int(os.environ["PLANPORTAL_COUNCIL_SIZE"])
    if os.environ.get("PLANPORTAL_COUNCIL_SIZE")
    else None
)

# --- The council's own procedure (issue 12; docs/planning-law.md §8) ----------
# What the law leaves to each council's procedure (Kaunas District: TS-402),
# read through plans/procedure.py. "consultation_before_council": per kind of
# plan, whether a version goes to council review only after a public
# consultation on it has been held (closed). The env variable, when set,
# lists the kinds that need one, e.g. "development,action" ("" for none).
PLANPORTAL_PROCEDURE = {
    "consultation_before_council": {
        "spp_2013": False,
        "development": True,
        "action": True,
    },
}
if "PLANPORTAL_CONSULTATION_BEFORE_COUNCIL" in os.environ:
    _kinds = set(env_list("PLANPORTAL_CONSULTATION_BEFORE_COUNCIL", ""))
    PLANPORTAL_PROCEDURE["consultation_before_council"] = {
        kind: kind in _kinds for kind in PLANPORTAL_PROCEDURE["consultation_before_council"]
    }

# --- Monitoring (issue 13; docs/monitoring.md) ----------------------------------
# The progress statuses: progress at least MONITORING_ON_TRACK of the share
# the time elapsed asks for is on track, at least MONITORING_AT_RISK at
# risk, less off track; a "maintain" indicator is on target within
# MONITORING_MAINTAIN_TOLERANCE of its target (a share of it).
MONITORING_ON_TRACK = float(os.environ.get("MONITORING_ON_TRACK", "0.9"))
MONITORING_AT_RISK = float(os.environ.get("MONITORING_AT_RISK", "0.6"))
MONITORING_MAINTAIN_TOLERANCE = float(os.environ.get("MONITORING_MAINTAIN_TOLERANCE", "0.05"))
# `manage.py send_monitoring_reminders` (daily) e-mails the members of units
# with missing items this many days before a round's due date.
MONITORING_REMINDER_DAYS = [int(days) for days in env_list("MONITORING_REMINDER_DAYS", "7,1")]

# --- Public consultations (issue 4; docs/api.md "Consultations") --------------
# Abuse limits on proposals, per resident account and per sender address, in
# a sliding hour; 0 switches a limit off (a benchmark from one address does).
# The contract requires at least ten proposals an hour for a resident.
CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ACCOUNT = int(
    os.environ.get("CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ACCOUNT", "20")
)
CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS = int(
    os.environ.get("CONSULTATIONS_PROPOSALS_PER_HOUR_PER_ADDRESS", "60")
)
# A proposal is hidden automatically (pending a moderator) after this many
# reports by different users; 0 never hides automatically.
CONSULTATIONS_AUTO_HIDE_REPORTS = int(os.environ.get("CONSULTATIONS_AUTO_HIDE_REPORTS", "5"))
CONSULTATIONS_PROPOSAL_MIN_LENGTH = 10
CONSULTATIONS_PROPOSAL_MAX_LENGTH = 5000
# The request header that carries the sender's address: REMOTE_ADDR, or
# e.g. HTTP_X_REAL_IP behind a proxy that sets it (never a header a client
# can forge past the proxy).
CONSULTATIONS_ADDRESS_HEADER = os.environ.get("CONSULTATIONS_ADDRESS_HEADER", "REMOTE_ADDR")

# --- Residents' accounts (issue 4; accounts/) ---------------------------------
# How long a confirmation link (registration, e-mail change) stays valid;
# unconfirmed registrations older than this are removed by
# `manage.py purge_unconfirmed_accounts`.
ACCOUNTS_CONFIRMATION_MAX_AGE = int(
    os.environ.get("ACCOUNTS_CONFIRMATION_MAX_AGE", str(3 * 24 * 3600))
)
# Abuse limits per client address: (attempts, seconds). Counters live in the
# cache (Redis in production) and only a keyed hash of the address is stored.
ACCOUNTS_REGISTRATION_RATE = (10, 3600)
ACCOUNTS_EMAIL_RATE = (5, 3600)  # confirmation re-sends and password resets
# The client's address is read from CONSULTATIONS_ADDRESS_HEADER (above), one
# setting for every abuse limit of the portal.
# The controller's postal contact and its data protection officer, shown on
# the privacy notice (no e-mail address: none is printed on a public page).
PLANPORTAL_CONTROLLER_ADDRESS = os.environ.get(
    "PLANPORTAL_CONTROLLER_ADDRESS", "Savanorių pr. 371, LT-49500 Kaunas"
)
PLANPORTAL_DPO_CONTACT = os.environ.get("PLANPORTAL_DPO_CONTACT", "")

# --- The plan as a PDF (issue 6; documents/services.py) ------------------------------
# Rendered PDFs are stored under MEDIA_ROOT (share it between app servers, or
# point STORAGES["default"] at object storage). They are never served from a
# public URL: every download goes through the permission checks.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# PDFs are rendered by `manage.py worker` only, never in a web request (see
# "Background work" below); pages say the document is being prepared meanwhile.
# "ua" (tagged PDF/UA-1) or "pdfa" (PDF/A-3a, archival and tagged).
PDF_DEFAULT_VARIANT = os.environ.get("PDF_DEFAULT_VARIANT", "ua")

# --- Login lockout, abuse limits, client address (issue 11; docs/security/login.md)
# The client's address for every abuse limit and the login lockout
# (planportal/ratelimit.py): REMOTE_ADDR when clients connect to the app
# server directly; behind a proxy, the request.META key of the header the
# proxy writes (HTTP_X_REAL_IP, or HTTP_X_FORWARDED_FOR whose last entry is
# the one the proxy added). Without it every client behind the proxy shares
# the proxy's address. The older name CONSULTATIONS_ADDRESS_HEADER is read too.
PLANPORTAL_CLIENT_ADDRESS_HEADER = (
    os.environ.get("PLANPORTAL_CLIENT_ADDRESS_HEADER", "").strip() or CONSULTATIONS_ADDRESS_HEADER
)
# The proxies (addresses or networks) whose header is believed; from any
# other peer the peer's own address counts. Empty: every peer is believed
# (then nothing but the proxy may reach the app server; `check --deploy` warns).
PLANPORTAL_TRUSTED_PROXIES = env_list("PLANPORTAL_TRUSTED_PROXIES", "")

# The abuse limits' counters (django-ratelimit) live in a cache shared by
# every worker and app server: Redis with REDIS_URL, else a table of the
# database (planportal/cache.py, created by `migrate`). The default cache
# (pages, above) may stay per process; these counters must not.
CACHES["ratelimit"] = (
    {
        "BACKEND": "planportal.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "planportal-ratelimit",
    }
    if REDIS_URL
    else {
        "BACKEND": "planportal.cache.CounterDatabaseCache",
        "LOCATION": "planportal_ratelimit",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
RATELIMIT_USE_CACHE = "ratelimit"

# What every worker must agree on at once: the page cache's generation
# numbers and its single-flight locks (planportal/pagecache.py). Redis with
# REDIS_URL (then the same store as the pages), else the database's cache
# table, which every worker and app server shares.
CACHES["shared"] = (
    CACHES["default"]
    if REDIS_URL
    else {
        "BACKEND": "planportal.cache.CounterDatabaseCache",
        "LOCATION": "planportal_ratelimit",
        "KEY_PREFIX": "planportal-shared",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)
# Each worker's own copies of the pages it served (planportal/pagecache.py):
# a hit then reads only the generations from the shared store. The keys hold
# the generations, so a copy is never served after a write retired it.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "planportal-pages",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "500"))},
}

# Login lockout (django-axes): after ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT
# failed logins of one account (from anywhere), or
# ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS from one address (to any accounts),
# within the cool-off, logins of that account / from that address are refused
# until the cool-off has passed since the failure that locked them, even with
# the right password: the browser's login form, the admin's and the API's
# token endpoint alike, since the lock sits in authentication itself. Failed
# attempts are kept in the database (shared by every worker), each failure is
# logged (logger "axes", and "accounts.lockout" for each lockout) and kept in
# the admin's "access failures" for 30 days (the daily job
# `manage.py axes_reset_failure_logs`, README "Scheduled job"). Staff
# unlock in the admin ("access attempts": the "Unlock" action) or with
# `manage.py axes_reset_username NAME`.
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS.insert(0, "axes.backends.AxesStandaloneBackend")
# Last, as django-axes asks: it turns a locked-out request's answer into the
# lockout page (or the API's 429).
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT = int(
    os.environ.get("ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT", "5")
)
ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS", "20")
)
ACCOUNTS_LOGIN_COOLOFF_MINUTES = int(os.environ.get("ACCOUNTS_LOGIN_COOLOFF_MINUTES", "15"))
AXES_ENABLED = True
AXES_HANDLER = "accounts.lockout.LoginLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=ACCOUNTS_LOGIN_COOLOFF_MINUTES)
# A refused attempt during the lockout does not restart it, so the page can
# say when to try again, and that time holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the address's failures (one's own account would
# otherwise reset the count of guesses at others' accounts).
AXES_RESET_ON_SUCCESS = False
# One account, whichever name it was typed with (username or e-mail, any case).
AXES_USERNAME_CALLABLE = "accounts.lockout.login_key"
# The keyed hash of the trusted address, never the address (planportal/ratelimit.py).
AXES_CLIENT_IP_CALLABLE = "planportal.ratelimit.pseudonymous_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Successful logins are not logged (Django keeps last_login); failures are.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The password is always masked; the account and the hashed address are what
# a log of failures is for.
AXES_SENSITIVE_PARAMETERS = ["csrfmiddlewaretoken"]

# --- Security log (issue 11, item 15; security/, docs/security/guards.md) --------------
# Logins, failed logins, lockouts, admin changes, role changes and versions'
# transitions are kept this many days (0: forever), then deleted by the daily
# `manage.py prune_security_log`.
SECURITY_LOG_RETENTION_DAYS = int(os.environ.get("SECURITY_LOG_RETENTION_DAYS", "365"))

# --- Sessions, API tokens and two-factor sign-in (issue 11; docs/security/sessions.md)
INSTALLED_APPS += [
    "knox",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# After authentication and messages: it ends idle sessions of staff, council
# and superusers (with a message on the login page) and holds a session whose
# second factor is still due at the code page (accounts/middleware.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
    "accounts.middleware.AccountSecurityMiddleware",
)
# Seconds without a request after which a session of administration staff,
# council members and superusers ends (0: never). Residents keep Django's
# SESSION_COOKIE_AGE (two weeks).
STAFF_SESSION_IDLE_TIMEOUT = int(os.environ.get("STAFF_SESSION_IDLE_TIMEOUT", str(30 * 60)))
# How long an API token lives (seconds); a new one is asked for with the password.
API_TOKEN_TTL = int(os.environ.get("API_TOKEN_TTL", str(30 * 24 * 3600)))
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=API_TOKEN_TTL),
    # The header stays "Authorization: Token <token>" (the API contract).
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# The roles that must sign in with a second factor: any of "superuser",
# "staff" (administration staff, superusers included), "council", "resident".
# A user of such a role without an authenticator is sent to set one up before
# anything else. Default: superusers in production, nobody with DEBUG on.
MFA_REQUIRED_FOR = env_list("MFA_REQUIRED_FOR", "" if DEBUG else "superuser")
# The name an authenticator app shows beside the codes (no ":" allowed).
OTP_TOTP_ISSUER = f"PlanPortal ({PLANPORTAL_MUNICIPALITY})".replace(":", "")
# The admin lists devices (to remove a lost one) without showing their secrets.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A rendering that runs this long is stopped and marked failed (a whole plan
# takes seconds; a fivefold one under a minute: docs/performance.md).
PDF_RENDER_TIMEOUT = int(os.environ.get("PDF_RENDER_TIMEOUT", "600"))

# --- Background work (issue 11; planportal/tasks_rq.py, manage.py worker) ------------
# Jobs that must not run inside a web request (the plan's PDF) are queued with
# django-tasks (the backport of Django 6's tasks framework) and run by
# `manage.py worker`. WORKER_QUEUE "database" (the default): the queue is a
# table of the portal's own database (django-tasks-db), SQLite or PostgreSQL,
# so nothing else has to run; "rq": a Redis list (rq), for sites that run
# Redis anyway. PDF_WORKER=rq, PDF_REDIS_URL and PDF_QUEUE are the names an
# earlier release used for the same thing and still work.
WORKER_QUEUE = (
    (
        os.environ.get("WORKER_QUEUE")
        or ("rq" if os.environ.get("PDF_WORKER", "").strip().lower() == "rq" else "database")
    )
    .strip()
    .lower()
)
WORKER_REDIS_URL = (
    os.environ.get("WORKER_REDIS_URL")
    or os.environ.get("PDF_REDIS_URL")
    or REDIS_URL
    or "redis://127.0.0.1:6379/0"
)
WORKER_RQ_QUEUE = os.environ.get("WORKER_RQ_QUEUE") or os.environ.get("PDF_QUEUE") or "planportal"
if WORKER_QUEUE not in {"database", "rq"}:
    raise ImproperlyConfigured(f'WORKER_QUEUE is "database" or "rq", not "{WORKER_QUEUE}"')
TASKS = {
    "default": {
        "BACKEND": (
            "planportal.tasks_rq.RQBackend"
            if WORKER_QUEUE == "rq"
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Bad input to the API (issue 11; docs/security/badinput.md) ---------------
# Every malformed request is a 4xx with a JSON body, never a 500. JSON bodies
# nested deeper than this are refused (400) before anything walks them; no
# endpoint takes more than a few levels.
API_JSON_MAX_DEPTH = 32
# Bodies larger than this (bytes; files of a multipart upload aside) are
# refused with a JSON 413 by the API (planportal.api.suspicious_body).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(
    os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(2_621_440))  # Django's 2.5 MB
)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "planportal.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
# Every operation of the schema documents its error answers (planportal/schema.py).
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "planportal.schema.AutoSchema"
SPECTACULAR_SETTINGS["PREPROCESSING_HOOKS"] = ["planportal.schema.without_format_suffixes"]
# Named enums where fields called "kind" take different choices.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "InventoryKindEnum": ["baseline", "monitoring"],
    "PlanKindEnum": "plans.kinds.PlanKind",
    "IndicatorKindEnum": "plans.kinds.IndicatorKind",
    "MeasureKindEnum": "plans.models.MeasureKind",
    "VersionStatusEnum": "plans.models.VersionStatus",
    "RoundStatusEnum": "monitoring.models.RoundStatus",
    "ReportStatusEnum": "reports.models.ReportStatus",
    "ReportEventKindEnum": "reports.models.ReportEvent.Kind",
}
# The empty option of django-filter's selects (the browsable API's filters):
# the portal's own words, not a row of dashes (planportal/forms.py, EMPTY_LABEL).
FILTERS_EMPTY_CHOICE_LABEL = _("— choose —")
# One pagination for every list (``?page_size=`` up to 1000).
REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "planportal.pagination.Pagination"
