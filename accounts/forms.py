from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .backends import unconfirmed_account

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
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


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
