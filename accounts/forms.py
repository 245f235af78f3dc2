import logging

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.hashers import make_password
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from planportal.deferred import after_response

from .backends import unconfirmed_account

logger = logging.getLogger(__name__)

NAME_MAX = 150
EMAIL_MAX = 254
PASSWORD_MAX = 128


class RegistrationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        help_text=_("We send the confirmation link here. It is never shown publicly."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX,
        strip=False,
        help_text=_(
            "At least 8 characters; not only digits, not a common password, not like your name."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        max_length=PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice"),
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )
    # The honeypot: hidden from people (CSS, and skipped by screen readers);
    # simple bots fill in every field they find.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        password, again = cleaned.get("password"), cleaned.get("password_confirm")
        if password and again and password != again:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NameForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Current password"),
        max_length=PASSWORD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=PASSWORD_MAX,
        strip=False,
        help_text=_("To make sure it is you."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class BoundedPasswordResetForm(PasswordResetForm):
    """Django's reset form, answering an unknown address in the same time.

    Django mails (and so waits for the mail server) only when the address has
    an account. Here an unknown address gets a stand-in account, for which
    the token is made and the e-mail rendered like a real one and then
    dropped; a real e-mail is sent after the response (planportal/deferred.py).
    The request does the same work either way (docs/security/login.md).
    """

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        users = list(super().get_users(email))
        if users:
            return users
        stand_in = get_user_model()(email=email, password=make_password(None))
        stand_in._reset_stand_in = True  # type: ignore[attr-defined]
        return [stand_in]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if getattr(context["user"], "_reset_stand_in", False):
            return

        def deliver() -> None:
            try:
                message.send()
            except Exception:
                logger.exception("Sending the password reset e-mail failed")

        after_response(deliver)


class LoginForm(AuthenticationForm):
    """Django's login form, telling a resident whose address is not confirmed
    yet what to do (only with the right password, so it reveals nothing)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            user = unconfirmed_account(
                self.cleaned_data.get("username"), self.cleaned_data.get("password")
            )
            if user is None:
                raise
            raise forms.ValidationError(
                _(
                    "Your e-mail address is not confirmed yet. Open the link we sent you, "
                    "or ask for a new one below."
                ),
                code="unconfirmed",
            ) from None
