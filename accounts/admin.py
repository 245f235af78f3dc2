"""The user admin refuses an e-mail address another account uses, whatever
its case, with a message instead of the database's IntegrityError; the
admin of failed logins (django-axes) lets staff lift a lockout."""

import logging

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import EmailChange
from .services import email_in_use

User = get_user_model()
lockout_logger = logging.getLogger("accounts.lockout")


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


class UnlockingAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed logins, with the staff's way to lift a lockout.

    Each row is one account's failures from one address (and browser); an
    account is locked by its rows from every address, an address by its rows
    for every account, so unlocking forgets all of them. Who unlocked what is
    logged.
    """

    actions = [*AccessAttemptAdmin.actions, "unlock_accounts", "unlock_addresses"]

    @admin.action(
        description=_("Unlock the selected accounts (forget their failed logins)"),
        permissions=["delete"],
    )
    def unlock_accounts(self, request, queryset):
        usernames = sorted({name for name in queryset.values_list("username", flat=True) if name})
        AccessAttempt.objects.filter(username__in=usernames).delete()
        lockout_logger.warning("%s unlocked the accounts %s", request.user, usernames)
        self.message_user(request, _("Unlocked: %(names)s.") % {"names": ", ".join(usernames)})

    @admin.action(
        description=_("Unlock the selected addresses (forget their failed logins)"),
        permissions=["delete"],
    )
    def unlock_addresses(self, request, queryset):
        addresses = sorted({a for a in queryset.values_list("ip_address", flat=True) if a})
        AccessAttempt.objects.filter(ip_address__in=addresses).delete()
        lockout_logger.warning("%s unlocked the (hashed) addresses %s", request.user, addresses)
        self.message_user(request, _("Unlocked %(count)s addresses.") % {"count": len(addresses)})


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, UnlockingAccessAttemptAdmin)
