from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailChange(models.Model):
    """A new e-mail address that its owner has not confirmed yet.

    The address is kept here, not in the confirmation link, so that no
    e-mail address travels in a URL (and into access logs). One pending
    change per account: asking again replaces it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_change"
    )
    email = models.EmailField(_("new e-mail address"), max_length=254)
    requested_at = models.DateTimeField(_("requested"), auto_now=True)

    class Meta:
        verbose_name = _("pending e-mail change")
        verbose_name_plural = _("pending e-mail changes")

    def __str__(self):
        return f"{self.user_id}: {self.email}"
