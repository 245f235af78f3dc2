"""The login lockout: django-axes, told how the portal counts and answers.

django-axes (settings, "Login lockout") records every failed authentication,
whichever view asked for it (the login page, the admin's, the API's token
endpoint), and refuses authentication while an account or an address is
locked. This module gives it what is the portal's own:

* ``login_key``: one account is one key, whether it was typed as a username
  or an e-mail address in any case, so that switching between them does not
  give a guesser more tries;
* ``LoginLockoutHandler``: a limit per account and a higher one per address
  (many residents may share one address, an office's or a school's);
* ``lockout_response``: the answer while locked, saying until when — the
  login page again (429) or, for the API, the one error body with
  ``Retry-After``;
* ``_mark_the_django_request``: the API's views authenticate with DRF's
  request, on which django-axes marks the lockout; its middleware reads the
  Django request under it.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

LOCKED_CODE = "rate_limited"


def login_key(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a login names, as django-axes counts it (AXES_USERNAME_CALLABLE).

    An e-mail address counts as the username of its account (or, without
    one, as the address in lower case); a username counts as typed, as the
    backend compares it (accounts/backends.py).
    """
    login = (credentials or {}).get("username")
    if login is None and request is not None:
        data = getattr(request, "data", None) or request.POST
        login = data.get("username")
    if not login:
        return None
    login = str(login).strip()
    if "@" not in login:
        return login
    username = (
        get_user_model()
        ._default_manager.filter(email__iexact=login)
        .exclude(email="")
        .values_list("username", flat=True)
        .first()
    )
    return username or login.lower()


def _limits() -> tuple[int, int]:
    return (
        settings.ACCOUNTS_LOGIN_FAILURES_PER_ACCOUNT,
        settings.ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS,
    )


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit of its own for the address.

    django-axes compares one number with one limit (AXES_FAILURE_LIMIT, the
    account's). The address's failures are scaled to it: with limits 5 and
    20, 20 failures from an address count as 5. ``a * L // A >= L`` holds
    exactly when ``a >= A`` (L, A whole numbers), so each limit holds as set.
    AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: the querysets come
    in that order.
    """

    def get_failures(self, request, credentials=None) -> int:
        account_limit, address_limit = _limits()
        account, address = (_failures(q) for q in self.get_user_attempts(request, credentials))
        return max(account, address * account_limit // max(address_limit, 1))

    def locked_until(self, request, credentials=None) -> datetime | None:
        """When the lock on this request's account or address ends (None: not locked).

        Failures are kept per account, address and browser, each with the
        time of its latest failure, and leave the count a cool-off after that
        time. A lock ends when the failures still counted fall under the
        limit: counting from the newest, the record that reaches the limit is
        the one whose leaving ends it.
        """
        cool_off = get_cool_off(request) or timedelta(0)
        ends = []
        for attempts, limit in zip(
            self.get_user_attempts(request, credentials), _limits(), strict=True
        ):
            counted = 0
            for failures, attempt_time in attempts.order_by("-attempt_time").values_list(
                "failures_since_start", "attempt_time"
            ):
                counted += failures
                if counted >= limit:
                    ends.append(attempt_time + cool_off)
                    break
        return max(ends) if ends else None


def _locked_until(request, credentials) -> datetime:
    AxesProxyHandler.update_request(request)
    handler = AxesProxyHandler.get_implementation()
    until = None
    if isinstance(handler, LoginLockoutHandler):
        until = handler.locked_until(request, credentials)
    return until or timezone.now() + (get_cool_off(request) or timedelta(0))


def lockout_message(until: datetime) -> tuple[str, int]:
    """The lockout's message in the active language, and the seconds left."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    local = timezone.localtime(until)
    message = _(
        "Too many failed login attempts. For your security, logging in to this account or "
        "from this address is blocked until %(time)s (in about %(minutes)s min.). If you "
        "have forgotten your password, you can reset it."
    ) % {"time": formats.time_format(local, "H:i"), "minutes": math.ceil(seconds / 60)}
    return message, seconds


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The answer to a login refused by the lockout (AXES_LOCKOUT_CALLABLE): 429."""
    message, seconds = lockout_message(_locked_until(request, credentials))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "code": LOCKED_CODE}, status=429)
    else:
        from accounts.forms import LoginForm

        # An unbound form: validating it would try the password once more.
        form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


@receiver(user_locked_out, dispatch_uid="accounts.lockout.locked_out")
def _mark_the_django_request(sender, request, username=None, ip_address=None, **kwargs):
    """Log the lockout, and make it visible to django-axes' middleware.

    DRF's views pass their own request to ``authenticate``; django-axes marks
    that one, while its middleware sees the Django request under it.
    """
    logger.warning(
        "Login refused by the lockout: account %r, address (hashed) %s, path %s",
        username,
        ip_address,
        getattr(request, "path", "?"),
    )
    django_request = getattr(request, "_request", None)
    if django_request is not None:
        django_request.axes_locked_out = True
        django_request.axes_credentials = getattr(request, "axes_credentials", None)
