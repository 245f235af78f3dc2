"""Residents' accounts in the browser: thin views over accounts.services."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from planportal import ratelimit
from planportal.errors import status_of
from planportal.extensions import export_datetime, registry
from planportal.forms import add_refusal_to_form

from . import forms, selectors, services, tokens


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


# The backend that signs in an account a link proved (the login lockout,
# django-axes' backend, only refuses: it signs in nobody).
PORTAL_BACKEND = "accounts.backends.UsernameOrEmailBackend"

TOO_MANY_ATTEMPTS = gettext_lazy(
    "Too many attempts from your address. Please try again in an hour."
)


def _too_many(request, form, template, context=None):
    form.add_error(None, TOO_MANY_ATTEMPTS)
    return render(request, template, {"form": form, **(context or {})}, status=429)


def _form_status(form, refusal=None) -> int:
    """The status of a page with ``form``: the refusal's, 400 to correct, or 200."""
    if refusal is not None:
        return status_of(refusal)
    return 400 if form.errors else 200


# --- Registration -------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def register(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = forms.RegistrationForm(request.POST or None)
    context = {"next": next_url}
    refusal = None
    if request.method == "POST":
        if not ratelimit.allow_address(
            request, scope="register", limit=settings.ACCOUNTS_REGISTRATION_RATE
        ):
            return _too_many(request, form, "accounts/register.html", context)
        if form.is_bot:
            # Answer as if it worked: a bot learns nothing from the reply.
            return redirect("accounts:register-done")
        if form.is_valid():
            try:
                services.resident_register(
                    email=form.cleaned_data["email"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password"],
                    site_url=_site_url(request),
                    next_url=next_url,
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                refusal = error
            else:
                return redirect("accounts:register-done")
    return render(
        request,
        "accounts/register.html",
        {"form": form, **context},
        status=_form_status(form, refusal),
    )


def register_done(request):
    return render(request, "accounts/register_done.html")


def _link_problem(request, error: tokens.LinkError, *, email_change: bool = False):
    return render(
        request,
        "accounts/link_problem.html",
        {
            "reason": error.reason,
            "message": " ".join(error.messages),
            "email_change": email_change,
        },
        status=status_of(error),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button, POST activates: mail scanners that open links
    (many do) must not use up the resident's link."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET":
        try:
            services.activation_check(token=token)
        except tokens.LinkError as error:
            return _link_problem(request, error)
        return render(request, "accounts/confirm.html", {"next": next_url})
    try:
        user = services.account_activate(token=token)
    except tokens.LinkError as error:
        return _link_problem(request, error)
    login(request, user, backend=PORTAL_BACKEND)
    messages.success(request, _("Your e-mail address is confirmed and you are logged in. Welcome!"))
    return redirect(next_url or "accounts:profile")


@never_cache
@require_http_methods(["GET", "POST"])
def resend(request):
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST":
        if not ratelimit.allow_address(request, scope="email", limit=settings.ACCOUNTS_EMAIL_RATE):
            return _too_many(request, form, "accounts/resend.html")
        if form.is_valid():
            services.confirmation_resend(
                email=form.cleaned_data["email"], site_url=_site_url(request)
            )
            messages.info(
                request,
                _(
                    "If an unconfirmed account uses this address, a new confirmation link is on "
                    "its way. Please check your mailbox (and the spam folder)."
                ),
            )
            return redirect("accounts:resend")
    return render(request, "accounts/resend.html", {"form": form}, status=_form_status(form))


# --- My account -----------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    name_form = forms.NameForm(
        request.POST or None, initial={"first_name": user.first_name, "last_name": user.last_name}
    )
    if request.method == "POST" and name_form.is_valid():
        services.profile_update(user=user, **name_form.cleaned_data)
        messages.success(request, _("Your name is saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "name_form": name_form,
            "email_change_form": forms.EmailChangeForm(),
            "pending_email_change": services.EmailChange.objects.filter(user=user).first(),
            "can_delete": services.deletion_allowed(user),
            # Other parts' settings (planportal/extensions.py), each posting to its own page.
            "profile_sections": [hook.render(request) for hook in registry.profile_sections],
        },
        status=_form_status(name_form),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_change(request):
    form = forms.EmailChangeForm(request.POST or None)
    refusal = None
    if request.method == "POST":
        if not ratelimit.allow_address(request, scope="email", limit=settings.ACCOUNTS_EMAIL_RATE):
            return _too_many(request, form, "accounts/email_change.html")
        if form.is_valid():
            try:
                services.email_change_request(
                    user=request.user,
                    new_email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    site_url=_site_url(request),
                )
            except ValidationError as error:
                add_refusal_to_form(form, error)
                refusal = error
            else:
                messages.info(
                    request,
                    _(
                        "We sent a confirmation link to the new address. Your address changes "
                        "when you open that link; until then the old one stays."
                    ),
                )
                return redirect("accounts:profile")
    return render(
        request, "accounts/email_change.html", {"form": form}, status=_form_status(form, refusal)
    )


@never_cache
@login_required
def email_confirm(request, token: str):
    """Opened from the e-mail while signed in: the change is applied at once
    (only the signed-in owner of the link can apply it)."""
    try:
        services.email_change_confirm(user=request.user, token=token)
    except tokens.LinkError as error:
        return _link_problem(request, error, email_change=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:profile")
    messages.success(request, _("Your new e-mail address is confirmed."))
    return redirect("accounts:profile")


class _ExportEncoder(DjangoJSONEncoder):
    """Any moment a part left as a datetime is written like the rest of the file
    (Vilnius time with its offset, ``export_datetime``), never in another zone."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return export_datetime(o)
        return super().default(o)


@never_cache
@login_required
def data_download(request):
    data = selectors.personal_data_export(user=request.user)
    # UTF-8 as it is ("ū", not "\u016b"): the file is for the resident to read.
    response = HttpResponse(
        json.dumps(data, cls=_ExportEncoder, ensure_ascii=False, indent=2).encode("utf-8"),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="planportal-my-data.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    user = request.user
    if not services.deletion_allowed(user):
        status = 403 if request.method == "POST" else 200
        return render(request, "accounts/delete_refused.html", status=status)
    form = forms.DeleteAccountForm(request.POST or None)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_refusal_to_form(form, error)
            refusal = error
        else:
            logout(request)
            return redirect("accounts:deleted")
    return render(
        request,
        "accounts/delete.html",
        {"form": form},
        status=_form_status(form, refusal),
    )


def deleted(request):
    return render(request, "accounts/deleted.html")


def privacy(request):
    return render(
        request,
        "accounts/privacy.html",
        {
            "controller_address": settings.PLANPORTAL_CONTROLLER_ADDRESS,
            "dpo_contact": settings.PLANPORTAL_DPO_CONTACT,
            "confirmation_days": settings.ACCOUNTS_CONFIRMATION_MAX_AGE // (24 * 3600),
        },
    )


# --- Passwords (Django's views, our templates and limits) -------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.BoundedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        if not ratelimit.allow_address(
            self.request, scope="email", limit=settings.ACCOUNTS_EMAIL_RATE
        ):
            form.add_error(None, TOO_MANY_ATTEMPTS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        self.extra_email_context = {
            "base_url": settings.PLANPORTAL_BASE_URL.rstrip("/") or _site_url(self.request),
            "municipality": settings.PLANPORTAL_MUNICIPALITY,
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = True
    post_reset_login_backend = PORTAL_BACKEND


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is changed."))
        return super().form_valid(form)
