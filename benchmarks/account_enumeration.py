#!/usr/bin/env python
"""Does the time of an answer tell whether an address has an account?

    .venv/bin/python benchmarks/account_enumeration.py [--runs 40] [--smtp-ms 25]

Creates a throwaway SQLite database in a temporary directory (production
settings, the real password hasher), one resident, and then sends, through
Django's WSGI handler as gunicorn calls it, alternately:

* password resets for the resident's address and for an unknown one;
* registrations with the resident's address and with new addresses.

E-mail goes to a stand-in SMTP backend that takes ``--smtp-ms`` per message,
as a mail server does. For each kind it prints the median and the 10th–90th
percentile of **the time to the answer** (what a client can measure: the
handler has returned the response) and of **the time to close** (after which
the mail is sent, planportal/deferred.py: what the client would have measured
had the mail been sent inside the request). The rate limits and the login
lockout are switched off for the run. Figures: docs/security/login.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
CSRF = "b" * 32


class SlowSMTP:
    """An e-mail backend that takes as long as a mail server would."""

    delay = 0.025

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        time.sleep(self.delay * len(messages))
        return len(messages)


def _post(handler, path, data):
    body = urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={CSRF}",
        "wsgi.input": BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    start = time.perf_counter()
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    answered = time.perf_counter()
    response.close()
    closed = time.perf_counter()
    assert statuses[0].startswith("302"), statuses
    return (answered - start) * 1000, (closed - start) * 1000


def _summary(values):
    ordered = sorted(values)
    low, high = ordered[len(ordered) // 10], ordered[len(ordered) * 9 // 10]
    return f"{statistics.median(values):6.1f} ms  ({low:5.1f}–{high:5.1f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--smtp-ms", type=float, default=25.0)
    args = parser.parse_args()
    SlowSMTP.delay = args.smtp_ms / 1000

    folder = tempfile.mkdtemp(prefix="planportal-bench-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "DEBUG": "0",
            "HTTPS": "0",
            "EMAIL_BACKEND": "account_enumeration.SlowSMTP",
        }
    )
    os.environ.pop("REDIS_URL", None)
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    os.chdir(ROOT)
    import django
    from django.conf import settings

    django.setup()
    settings.ACCOUNTS_EMAIL_RATE = settings.ACCOUNTS_REGISTRATION_RATE = (0, 3600)
    settings.AXES_ENABLED = False
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("jonas", "jonas@example.lt", "Rudeninis-lapas-42")
    handler = WSGIHandler()
    registration = {
        "first_name": "Ona",
        "last_name": "Petraitienė",
        "password": "Rudeninis-lapas-42",
        "password_confirm": "Rudeninis-lapas-42",
        "consent": "on",
    }
    timings: dict[str, list[tuple[float, float]]] = {
        key: [] for key in ("reset, account", "reset, unknown", "register, taken", "register, new")
    }
    for _warm_up in range(3):
        _post(handler, "/accounts/password/reset/", {"email": "jonas@example.lt"})
    for n in range(args.runs):
        timings["reset, account"].append(
            _post(handler, "/accounts/password/reset/", {"email": "jonas@example.lt"})
        )
        timings["reset, unknown"].append(
            _post(handler, "/accounts/password/reset/", {"email": f"niekas{n}@example.lt"})
        )
        timings["register, taken"].append(
            _post(handler, "/accounts/register/", {**registration, "email": "jonas@example.lt"})
        )
        timings["register, new"].append(
            _post(handler, "/accounts/register/", {**registration, "email": f"ona{n}@example.lt"})
        )
    print(f"{args.runs} runs each, stand-in SMTP {args.smtp_ms:.0f} ms per e-mail")
    print(f"{'':18} {'to the answer':28} {'to close (mail sent)':28}")
    for key, values in timings.items():
        answered = [a for a, _c in values]
        closed = [c for _a, c in values]
        print(f"{key:18} {_summary(answered):28} {_summary(closed):28}")


if __name__ == "__main__":
    main()
