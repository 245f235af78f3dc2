"""Settings of the bare project: one view, no database, no template, no middleware.

benchmarks/ratios.py serves it with the same gunicorn command line as
PlanPortal (same workers, same machine, same moment), so that a page's
requests per second divided by this project's cancels the machine's speed
and what else runs on it. Anything added here makes the yardstick slower and
every ratio flatter: keep it bare.
"""

import os
import secrets

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bare.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
TEMPLATES: list[dict[str, object]] = []
USE_I18N = False
USE_TZ = True
