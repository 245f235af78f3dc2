"""Review comments: council members' and staff's threads on the nodes of a version.

The writes live in review/services.py, the reads in review/selectors.py.

Each table keeps the name it had when the model lived in ``plans`` (made by
plans' migrations 0002–0004): an existing database moves forward without
copying a row, since this app's first migration only takes over the state.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.levels import NodeLevel
from plans.models import PlanVersion


class ReviewThread(models.Model):
    """A discussion about one node of a version (or one section of a yearly
    report), opened by its first comment.

    The node is stored by level and id (to link to its page) and by ``key``, so
    that the thread still finds "the same node" after the draft is renumbered,
    or in the next version, which keeps the keys.
    """

    Level = NodeLevel

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="review_threads"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    node_id = models.PositiveIntegerField(_("node id"), null=True, blank=True)
    node_key = models.UUIDField(_("node key"), null=True, blank=True)
    # A thread on a section of a yearly implementation report instead of a
    # node: ``version`` is then the report's version and ``section`` names
    # the part (``summary``, ``priority:<key>``, ``goal:<key>``, ``climate``,
    # ``consultations``; reports/snapshot.py), ``review_thread_one_subject``.
    report = models.ForeignKey(
        "reports.Report",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_threads",
    )
    section = models.CharField(_("report section"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        db_table = "plans_reviewthread"
        ordering = ["created_at", "id"]
        verbose_name = _("review thread")
        verbose_name_plural = _("review threads")
        indexes = [models.Index(fields=["version", "level", "node_key"], name="review_thread_node")]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved=False) | Q(resolved_at__isnull=False),
                name="review_thread_resolved_has_time",
            ),
            models.CheckConstraint(
                condition=Q(
                    report__isnull=True, node_id__isnull=False, node_key__isnull=False, section=""
                )
                | Q(report__isnull=False, node_id__isnull=True, node_key__isnull=True, level="")
                & ~Q(section=""),
                name="review_thread_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.version_id} {self.level} {self.node_key}"

    def get_absolute_url(self):
        if self.report_id is not None:
            return reverse("reports:report", args=[self.report_id]) + f"#thread-{self.pk}"
        return (
            reverse(f"plans:{self.level}", args=[self.version_id, self.node_id])
            + f"#thread-{self.pk}"
        )


class ReviewComment(models.Model):
    thread = models.ForeignKey(ReviewThread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        db_table = "plans_reviewcomment"
        ordering = ["created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return self.text[:50]
