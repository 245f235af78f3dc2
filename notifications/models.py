"""Notifications: messages to one user, shown in their list and mostly e-mailed.

The writes live in notifications/services.py.

Each table keeps the name it had when the model lived in ``plans`` (made by
plans' migrations 0002–0004): an existing database moves forward without
copying a row, since this app's first migration only takes over the state.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one user, shown in their list and usually also e-mailed.

    ``kind`` is a free slug chosen by the sender ("version_submitted",
    "voting_opened", "proposal_answered" …), so that other parts can notify
    without changing this model.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.SlugField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Sent by e-mail in a digest, not at once (review comments: one e-mail a
    # day with all of them rather than one per comment). True until a
    # digest command has mailed it (``services.digest_send``).
    digest_pending = models.BooleanField(_("waiting for the e-mail digest"), default=False)

    class Meta:
        db_table = "plans_notification"
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject


class SentReminder(models.Model):
    """That a one-off reminder was sent (e.g. "voting 12's deadline is near").

    The unique constraint makes a reminder command safe to run from cron as
    often as wanted, even twice at once.
    """

    kind = models.SlugField(max_length=50)
    target = models.CharField(max_length=100)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "plans_sentreminder"
        constraints = [
            models.UniqueConstraint(fields=["kind", "target"], name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target}"
