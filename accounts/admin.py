"""The user admin refuses an e-mail address another account uses, whatever
its case, with a message instead of the database's IntegrityError."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EmailChange
from .services import email_in_use

User = get_user_model()


class UniqueEmailUserChangeForm(UserChangeForm):
    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and email_in_use(email, exclude_user_id=self.instance.pk):
            raise ValidationError(_("Another account uses this e-mail address."))
        return email


class PortalUserAdmin(UserAdmin):
    form = UniqueEmailUserChangeForm


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)


@admin.register(EmailChange)
class EmailChangeAdmin(admin.ModelAdmin):
    list_display = ["user", "requested_at"]
    readonly_fields = ["user", "email", "requested_at"]
