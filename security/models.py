"""The security log: who logged in, failed to, was locked out, changed what in
the admin, got or lost a role, and moved a version through its states.

Only superusers read it (``security/admin.py``); nothing edits it; it is kept
for ``SECURITY_LOG_RETENTION_DAYS`` (``manage.py prune_security_log``). A
client's address is kept as its keyed hash (``planportal.ratelimit``), never
as the address itself, and no password ever reaches it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logout")
        LOCKOUT = "lockout", _("Lockout")
        ADMIN_CHANGE = "admin_change", _("Change in the admin")
        ROLE_CHANGE = "role_change", _("Role change")
        TRANSITION = "transition", _("Version state or decision")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's username when the event happened (kept when the account
    # goes), or the username a failed login tried.
    username = models.CharField(_("username"), max_length=150, blank=True)
    address_hash = models.CharField(_("address (hashed)"), max_length=32, blank=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        indexes = [models.Index(fields=["kind", "created_at"], name="security_kind_when")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}".strip()
