"""The forms of sign-in and security: a code, and the password typed again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import PASSWORD_MAX


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "aria-describedby": "id_code_helptext",
            }
        ),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=16,
        help_text=_("After adding the account, type the six digits the app shows."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "aria-describedby": "id_code_helptext",
            }
        ),
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            # Replacing the authenticator of an account asks who is doing it.
            self.fields["password"] = PasswordConfirmForm.base_fields["password"]


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        max_length=PASSWORD_MAX,
        strip=False,
        help_text=_("To make sure it is you."),
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "aria-describedby": "id_password_helptext"}
        ),
    )
