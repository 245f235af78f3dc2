"""Settings for the test suite: the production settings, spoken over plain HTTP.

The test client and the live server for browser tests talk HTTP, so the
HTTPS redirect and secure cookies of production are off here. Everything
else (DATABASE_URL, REDIS_URL …) comes from the environment as in production.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("HTTPS", "0")

from planportal.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Rendered PDFs (documents/services.py) go to a folder of this run, never var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="planportal-test-media-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
# The abuse counters in this process's memory, emptied before every test
# (tests/conftest.py); tests/test_ratelimit.py checks the shared database
# store that production uses.
CACHES["ratelimit"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "planportal-test-ratelimit",
}
# The page cache's generations and single-flight locks in the default cache,
# as with Redis in production (one store: cache.clear() empties it all);
# tests/test_pagecache.py checks the database store used without Redis.
CACHES["shared"] = CACHES["pages"] = CACHES["default"]  # noqa: F405

# Two-factor sign-in is required only where a test asks for it (production
# requires it for superusers by default).
MFA_REQUIRED_FOR = env_list("MFA_REQUIRED_FOR", "")  # noqa: F405
