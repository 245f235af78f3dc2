"""Idle sessions of staff, council and superusers end; a second factor still due comes first.

The rules are those of ``accounts.security``; this middleware reads what the
session says about itself and costs no query.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import security

# Where a session whose second factor is still due may go, besides the page
# that asks for it: signing out, switching the language, the static files.
ALWAYS_OPEN = ("logout", "set_language", "javascript-catalog", "healthz")


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        state = security.session_state(request)
        if state.get("idle") and settings.STAFF_SESSION_IDLE_TIMEOUT > 0:
            response = self._check_idle(request, state)
            if response is not None or not request.user.is_authenticated:
                return response
        mfa = state.get("mfa")
        if mfa in (security.MFA_VERIFY, security.MFA_ENROLL):
            return self._second_factor_due(request, mfa)
        return None

    def _check_idle(self, request, state):
        limit = settings.STAFF_SESSION_IDLE_TIMEOUT
        now = int(time.time())
        seen = int(state.get("seen") or now)
        if now - seen > limit:
            logout(request)
            if _is_api(request):
                # The API answers as to anyone without credentials (401 or a public read).
                return None
            minutes = max(1, limit // 60)
            messages.info(
                request,
                _(
                    "You were signed out because the session was idle for more than "
                    "%(minutes)d minutes. Please log in again."
                )
                % {"minutes": minutes},
            )
            return _to(request, redirect_to_login(_back_to(request)).url)
        # The session is written when it is a tenth of the limit old, not on
        # every request: the limit is kept to within that tenth.
        if now - seen >= max(1, min(60, limit // 10)):
            security.update_session_state(request, seen=now)
        return None

    def _second_factor_due(self, request, mfa):
        page = (
            "accounts:two-factor-verify"
            if mfa == security.MFA_VERIFY
            else "accounts:two-factor-setup"
        )
        target = reverse(page)
        if request.path == target or _is_open(request):
            return None
        if _is_api(request):
            # A session that has not given its code is not signed in for the API.
            request.user = AnonymousUser()
            return None
        if mfa == security.MFA_ENROLL:
            messages.info(
                request,
                _("Your role requires two-factor sign-in. Please set it up to continue."),
            )
        return _to(request, f"{target}?{urlencode({'next': _back_to(request)})}")


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _is_open(request) -> bool:
    if request.path.startswith(settings.STATIC_URL):
        return True
    return request.path in {reverse(name) for name in ALWAYS_OPEN}


def _back_to(request) -> str:
    # Only a page that was being read is worth returning to; a form sent by POST
    # would be lost anyway.
    return request.get_full_path() if request.method == "GET" else reverse("home")


def _to(request, url: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        # htmx would put the login page inside the fragment it asked for: it
        # loads the whole page instead.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
