"""Sign-in and security in My account: two-factor sign-in, API tokens, signing out everywhere.

Thin views over ``accounts.two_factor``, ``accounts.api_tokens`` and
``accounts.security``; ``accounts.middleware`` sends a session whose second
factor is still due to ``two_factor_verify`` or ``two_factor_setup``.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from planportal.errors import status_of
from planportal.forms import add_refusal_to_form

from . import api_tokens, security, two_factor
from .security_forms import CodeForm, PasswordConfirmForm, SetupCodeForm
from .views import _safe_next

SECRET_SESSION_KEY = "planportal_totp_secret"


def _next(request) -> str:
    return _safe_next(request, request.POST.get("next") or request.GET.get("next"))


@never_cache
@login_required
def overview(request):
    user = request.user
    state = security.session_state(request)
    return render(
        request,
        "accounts/security.html",
        {
            "two_factor_on": security.has_authenticator(user),
            "two_factor_required": security.mfa_required(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
            "tokens": list(api_tokens.api_tokens_of(user)),
            "token_days": max(1, settings.API_TOKEN_TTL // (24 * 3600)),
            "idle_minutes": (
                settings.STAFF_SESSION_IDLE_TIMEOUT // 60
                if state.get("idle") and settings.STAFF_SESSION_IDLE_TIMEOUT > 0
                else None
            ),
        },
    )


# --- Two-factor sign-in ---------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    replacing = security.has_authenticator(user)
    secret = request.session.get(SECRET_SESSION_KEY)
    if not secret:
        # The new secret waits in the (server-side) session until a code proves
        # that the app has it: an abandoned set-up writes nothing.
        secret = two_factor.new_secret()
        request.session[SECRET_SESSION_KEY] = secret
    form = SetupCodeForm(request.POST or None, replacing=replacing)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = two_factor.authenticator_confirm(
                user=user,
                secret=secret,
                code=form.cleaned_data["code"],
                password=form.cleaned_data.get("password"),
            )
        except ValidationError as error:
            add_refusal_to_form(form, error)
            refusal = error
        else:
            del request.session[SECRET_SESSION_KEY]
            security.second_factor_given(request)
            django_otp.login(request, enrolled.device)
            messages.success(request, _("Two-factor sign-in is on."))
            return _recovery_codes_page(request, enrolled.recovery_codes, next_url=_next(request))
    uri = two_factor.setup_uri(user=user, secret=secret)
    status = 200
    if refusal is not None:
        status = status_of(refusal)
    elif form.errors:
        status = 400
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "replacing": replacing,
            "required": security.session_state(request).get("mfa") == security.MFA_ENROLL,
            "qr_svg": two_factor.qr_svg(uri, label=_("QR code for the authenticator app")),
            "secret_text": two_factor.secret_for_typing(secret),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next(request),
        },
        status=status,
    )


def _recovery_codes_page(request, codes, *, next_url=""):
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": next_url},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: the code of the app, or a recovery code."""
    next_url = _next(request)
    if security.session_state(request).get("mfa") != security.MFA_VERIFY:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    user = request.user
    if not security.has_authenticator(user):
        # Turned off (or removed by an administrator) since this sign-in.
        security.update_session_state(request, mfa=security.state_for(user)["mfa"])
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = CodeForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.code_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_refusal_to_form(form, error)
            refusal = error
        else:
            security.second_factor_given(request)
            django_otp.login(request, device)
            if two_factor.is_recovery_code(device):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new ones "
                        "in My account, Sign-in and security."
                    )
                    % {"left": left},
                )
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    status = status_of(refusal) if refusal is not None else (400 if form.errors else 200)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": next_url}, status=status
    )


def _password_confirmed(request, template, context, action):
    """A page that asks for the password before ``action(password)``; its response."""
    form = PasswordConfirmForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            return action(form.cleaned_data["password"])
        except ValidationError as error:
            add_refusal_to_form(form, error)
            refusal = error
    status = status_of(refusal) if refusal is not None else (400 if form.errors else 200)
    return render(request, template, {"form": form, **context}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    user = request.user
    if not security.has_authenticator(user):
        return redirect("accounts:security")

    def renew(password):
        codes = two_factor.recovery_codes_renew(user=user, password=password)
        messages.success(request, _("New recovery codes are made; the old ones no longer work."))
        return _recovery_codes_page(request, codes)

    return _password_confirmed(
        request,
        "accounts/security_confirm.html",
        {
            "title": _("New recovery codes"),
            "explanation": _(
                "You get ten new recovery codes, shown once. The codes you have now stop working."
            ),
            "button": _("Make new recovery codes"),
            "danger": False,
        },
        renew,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_disable(request):
    user = request.user
    if not security.has_authenticator(user):
        return redirect("accounts:security")
    if security.mfa_required(user):
        messages.error(
            request, _("Your role requires two-factor sign-in: it cannot be turned off.")
        )
        return redirect("accounts:security")

    def disable(password):
        two_factor.two_factor_disable(user=user, password=password)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:security")

    return _password_confirmed(
        request,
        "accounts/security_confirm.html",
        {
            "title": _("Turn two-factor sign-in off"),
            "explanation": _(
                "Signing in will then ask for the password only. The authenticator app and "
                "the recovery codes stop working for this account."
            ),
            "button": _("Turn two-factor sign-in off"),
            "danger": True,
        },
        disable,
    )


# --- Sessions and tokens ----------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def sign_out_everywhere(request):
    user = request.user

    def sign_out(password):
        security.sign_out_everywhere(user=user, password=password)
        logout(request)
        messages.success(
            request,
            _(
                "You are signed out on every device and browser, and your API tokens are "
                "revoked. Log in again to continue here."
            ),
        )
        return redirect("login")

    return _password_confirmed(
        request,
        "accounts/security_confirm.html",
        {
            "title": _("Log out everywhere"),
            "explanation": _(
                "Every session of your account ends, on every computer, phone and browser, this "
                "one too, and every API token is revoked. Do this if you signed in on a computer "
                "that is not yours or think someone else knows your password (then change it "
                "too)."
            ),
            "button": _("Log out everywhere"),
            "danger": True,
        },
        sign_out,
    )


@login_required
@require_POST
def token_revoke(request, token_key: str):
    api_tokens.api_token_revoke(user=request.user, token_key=token_key)
    messages.success(request, _("The API token is revoked."))
    return redirect("accounts:security")
