"""Review comments: staff and council discuss the nodes of a version.

Who may do what (checked here, whatever the caller):

* Threads are internal: only staff and council members read them, and only
  on versions they may read (``can_read_threads``).
* Council members comment on a version under council review: that is what
  the review is for, and the version is frozen, so every comment is about
  exactly what they see.
* Staff comment on drafts as well (notes to each other while drafting, and
  answers after a draft was taken back for revision, which keeps its
  comments) and on versions under council review.
* Only staff resolve and reopen a thread, on the same versions: the
  administration decides whether a remark was dealt with. Approved,
  superseded and consultation versions are a record; their threads are read
  only.

A thread points at its node by level, id and key; the key is what survives a
renumbering of the draft.

Threads on a yearly implementation report work the same way, per section of
the report (``summary``, ``priority:<key>``, ``goal:<key>``, or another
part's section): council members comment on a report under council review,
staff on a draft report and one under review, and only staff resolve; the
threads of an approved report are its record, read only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal.errors import Conflict
from planportal.extensions import registry
from planportal.roles import COUNCIL, STAFF, require_staff, role_of
from plans.levels import LEVELS
from plans.models import Goal, PlanVersion, Priority, VersionStatus
from reports.models import Report, ReportStatus
from reports.snapshot import section_names
from review import notices
from review.models import ReviewComment, ReviewThread

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from planportal.roles import AnyUser
    from plans.models import Node

COMMENT_MAX_LENGTH = 5000
COMMENTABLE_STATUSES = {
    STAFF: frozenset({VersionStatus.DRAFT, VersionStatus.COUNCIL_REVIEW}),
    COUNCIL: frozenset({VersionStatus.COUNCIL_REVIEW}),
}
REPORT_COMMENTABLE_STATUSES = {
    STAFF: frozenset({ReportStatus.DRAFT, ReportStatus.COUNCIL_REVIEW}),
    COUNCIL: frozenset({ReportStatus.COUNCIL_REVIEW}),
}
# Threads are shown on node pages of these versions (read only where the
# reader may not comment); on other versions they are on the review page only.
THREAD_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.COUNCIL_REVIEW})


class CommentError(Conflict):
    """A comment or a resolution that the version's state does not allow (409).

    A comment that cannot be accepted as written (blank, too long) is a plain
    ValidationError: the user corrects it (400).
    """

    code = "comment_not_allowed"


def can_read_threads(user: AnyUser) -> bool:
    """Staff and council read the threads of every version they may read."""
    return role_of(user) in (STAFF, COUNCIL)


def can_comment(user: AnyUser, version: PlanVersion) -> bool:
    return version.status in COMMENTABLE_STATUSES.get(role_of(user), frozenset())


def can_resolve(user: AnyUser, version: PlanVersion) -> bool:
    return role_of(user) == STAFF and version.status in COMMENTABLE_STATUSES[STAFF]


def _check_reader(user: AnyUser) -> None:
    if role_of(user) not in (STAFF, COUNCIL):
        raise PermissionDenied(
            _("Only administration staff and council members take part in the review.")
        )


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment first."))
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(max)d characters long (this one has %(length)d).")
            % {"max": COMMENT_MAX_LENGTH, "length": len(text)}
        )
    return text


@transaction.atomic
def comment_add(
    *,
    user: User,
    version: PlanVersion,
    text: str,
    level: str | None = None,
    node_id: int | str | None = None,
    thread: ReviewThread | None = None,
) -> ReviewComment:
    """Add a comment: a reply to ``thread``, or a new thread on the node ``level``/``node_id``.

    On a yearly report's section: ``report_comment_add``.

    Preconditions: ``user`` is staff or council; the version is in a status
    where their role may comment (module docstring); the node belongs to the
    version; the text is not blank. A reply to a resolved thread reopens it,
    since the discussion is evidently not over.
    """
    _check_reader(user)
    version = PlanVersion.objects.locked(version.pk)
    if not can_comment(user, version):
        if role_of(user) == COUNCIL:
            message = _("Council members comment on versions under council review only.")
        else:
            message = _("Comments can be added to drafts and versions under council review only.")
        raise CommentError(message)
    text = _clean_text(text)
    if thread is None:
        if level not in LEVELS:
            raise ValidationError(_("Unknown node level."))
        if node_id is None:
            raise Http404
        model = LEVELS[level].model
        try:
            node = model.objects.only("id", "key").get(version=version, pk=node_id)
        except (model.DoesNotExist, ValueError, TypeError):
            raise Http404 from None
        thread = ReviewThread.objects.create(
            version=version, level=level, node_id=node.pk, node_key=node.key, created_by=user
        )
    else:
        thread = ReviewThread.objects.select_for_update().get(pk=thread.pk)
        if thread.version_id != version.pk:
            raise Http404
        if thread.resolved:
            thread.resolved, thread.resolved_by, thread.resolved_at = False, None, None
            thread.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    comment = ReviewComment.objects.create(thread=thread, author=user, text=text)
    if role_of(user) == COUNCIL:
        # Staff hear of it (in the portal now, by e-mail in the digest).
        node = (
            LEVELS[thread.level]
            .model.objects.filter(version=version, key=thread.node_key)
            .only("code", "title")
            .first()
        )
        notices.notify_staff_of_council_comment(
            comment,
            subject_label=f"{node.code} {node.title}" if node else str(LEVELS[thread.level].label),
            plan=version.plan,
            version_label=version.get_label(),
        )
    return comment


@transaction.atomic
def thread_set_resolved(*, user: User, thread: ReviewThread, resolved: bool) -> ReviewThread:
    """Resolve (or reopen) a thread. Staff only, on drafts and versions (or
    reports) under review.

    Resolving a resolved thread (two staff members clicking at once) changes
    nothing and is not an error: the outcome is what both wanted.
    """
    require_staff(user, _("Only administration staff resolve review threads."))
    if thread.report_id is not None:
        report = _locked_report(thread.report_id)
        if not can_resolve_report(user, report):
            raise CommentError(_("Threads of this report are a record and cannot change."))
    else:
        version = PlanVersion.objects.locked(thread.version_id)
        if not can_resolve(user, version):
            raise CommentError(_("Threads of this version are a record and cannot change."))
    thread = ReviewThread.objects.select_for_update().get(pk=thread.pk)
    if thread.resolved != resolved:
        thread.resolved = resolved
        thread.resolved_by = user if resolved else None
        thread.resolved_at = timezone.now() if resolved else None
        thread.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    return thread


def thread_resolve(*, user: User, thread: ReviewThread) -> ReviewThread:
    return thread_set_resolved(user=user, thread=thread, resolved=True)


def thread_reopen(*, user: User, thread: ReviewThread) -> ReviewThread:
    return thread_set_resolved(user=user, thread=thread, resolved=False)


# --- Threads on a yearly report's sections ---------------------------------------


def can_comment_report(user: AnyUser, report: Report) -> bool:
    return report.status in REPORT_COMMENTABLE_STATUSES.get(role_of(user), frozenset())


def can_resolve_report(user: AnyUser, report: Report) -> bool:
    return role_of(user) == STAFF and report.status in REPORT_COMMENTABLE_STATUSES[STAFF]


def _locked_report(report_id: int) -> Report:
    try:
        return Report.objects.select_for_update(of=("self",)).get(pk=report_id)
    except Report.DoesNotExist:
        raise Http404 from None


def report_section_names(report: Report) -> list[str]:
    """The sections of ``report`` a thread may be on, in the report's order.

    A frozen report's are its snapshot's; a draft's, its summary, the
    priorities and goals of its version and the other parts' sections
    (which a draft may or may not have: a thread on one waits for it).
    """
    if report.snapshot is not None:
        return section_names(report.snapshot)
    names = ["summary"]
    priorities = Priority.objects.filter(version_id=report.version_id).order_by("position", "id")
    goals = Goal.objects.filter(version_id=report.version_id).order_by("position", "id")
    by_priority: dict[int, list[str]] = {}
    for goal in goals.only("key", "priority_id"):
        by_priority.setdefault(goal.priority_id, []).append(f"goal:{goal.key}")
    for priority in priorities.only("id", "key"):
        names.append(f"priority:{priority.key}")
        names += by_priority.get(priority.pk, [])
    names += [hook.key for hook in registry.report_sections]
    return names


@transaction.atomic
def report_comment_add(
    *,
    user: User,
    report: Report,
    text: str,
    section: str | None = None,
    thread: ReviewThread | None = None,
) -> ReviewComment:
    """Add a comment on a yearly report: a reply to ``thread``, or a new
    thread on ``section`` (``report_section_names``).

    Preconditions: ``user`` is staff or council; the report is in a status
    where their role may comment (council: under council review; staff: a
    draft or under review); the text is not blank. A reply to a resolved
    thread reopens it. The thread is kept with the report's version, so
    that it stays with the report when the report is taken back and
    submitted again.
    """
    _check_reader(user)
    report = _locked_report(report.pk)
    if not can_comment_report(user, report):
        if role_of(user) == COUNCIL:
            message = _("Council members comment on reports under council review only.")
        else:
            message = _(
                "Comments can be added to draft reports and reports under council review only."
            )
        raise CommentError(message)
    text = _clean_text(text)
    if thread is None:
        if section not in report_section_names(report):
            raise ValidationError(_("This report has no such section."))
        thread = ReviewThread.objects.create(
            version_id=report.version_id, report=report, section=section, created_by=user
        )
    else:
        thread = ReviewThread.objects.select_for_update().get(pk=thread.pk)
        if thread.report_id != report.pk:
            raise Http404
        if thread.resolved:
            thread.resolved, thread.resolved_by, thread.resolved_at = False, None, None
            thread.save(update_fields=["resolved", "resolved_by", "resolved_at"])
    comment = ReviewComment.objects.create(thread=thread, author=user, text=text)
    if role_of(user) == COUNCIL:
        notices.notify_staff_of_council_comment(
            comment,
            subject_label=_("the %(year)s implementation report") % {"year": report.year},
            plan=report.plan,
            version_label=report.version.get_label(),
        )
    return comment


def report_threads(report: Report) -> dict[str, list[ReviewThread]]:
    """Every thread of ``report`` by section, each with ``comment_list``
    (two queries, however many sections and threads)."""
    comments = ReviewComment.objects.select_related("author").order_by("created_at", "id")
    threads = (
        ReviewThread.objects.filter(report=report)
        .select_related("resolved_by")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="comment_list"))
        .order_by("created_at", "id")
    )
    by_section: dict[str, list[ReviewThread]] = {}
    for thread in threads:
        by_section.setdefault(thread.section, []).append(thread)
    return by_section


# --- Reads --------------------------------------------------------------------------


def _threads(version: PlanVersion) -> QuerySet[ReviewThread]:
    comments = ReviewComment.objects.select_related("author").order_by("created_at", "id")
    return (
        # A yearly report's threads are the report's, not the version's nodes'.
        ReviewThread.objects.filter(version=version, report__isnull=True)
        .select_related("resolved_by")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="comment_list"))
        .order_by("created_at", "id")
    )


def thread_for_user(user: AnyUser, thread_id: int | str) -> ReviewThread:
    _check_reader(user)
    try:
        thread = ReviewThread.objects.select_related("version__plan").get(pk=thread_id)
    except (ReviewThread.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return thread


@dataclass
class ThreadRow:
    thread: ReviewThread
    node: Node | None  # None when the node was deleted from the draft


def version_threads(version: PlanVersion, *, state: str = "all") -> list[ThreadRow]:
    """Every thread of ``version`` with its node (looked up by key), in tree order.

    ``state`` is "open", "resolved" or "all". A constant number of queries:
    the threads, their comments, and one per level that has threads.
    """
    threads = _threads(version)
    if state == "open":
        threads = threads.filter(resolved=False)
    elif state == "resolved":
        threads = threads.filter(resolved=True)
    threads = list(threads)
    nodes = {}
    for level in LEVELS:
        keys = {t.node_key for t in threads if t.level == level}
        if keys:
            for node in (
                LEVELS[level]
                .model.objects.filter(version=version, key__in=keys)
                .only("id", "key", "code", "title", "position")
            ):
                # For the review page's template; nodes have no level field.
                node.level = level
                nodes[(level, node.key)] = node
    rows = [ThreadRow(thread=t, node=nodes.get((t.level, t.node_key))) for t in threads]  # type: ignore[arg-type]

    def order(row: ThreadRow) -> tuple[Any, ...]:
        # Codes sort as numbers part by part ("D.1.10" after "D.1.9").
        code = row.node.code if row.node else "~"
        parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))
        return (parts, row.thread.resolved, row.thread.created_at, row.thread.pk)

    return sorted(rows, key=order)


def review_threads_context(
    user: AnyUser, version: PlanVersion, level: str, node_id: int, node_key: UUID
) -> dict:
    """What a node page needs to show its threads and forms (two queries)."""
    threads = list(_threads(version).filter(level=level, node_key=node_key))
    return {
        "threads": threads,
        "open_count": sum(1 for thread in threads if not thread.resolved),
        "level": level,
        "node_id": node_id,
        "can_comment": can_comment(user, version),
        "can_resolve": can_resolve(user, version),
    }


@dataclass
class OpenThreadsOfItem:
    level: str
    node: Node
    count: int

    @property
    def url(self) -> str:
        """The item's page, where its threads are, scrolled to them."""
        return reverse(f"plans:{self.level}", args=[self.node.version_id, self.node.pk])


def open_thread_counts(version: PlanVersion) -> list[OpenThreadsOfItem]:
    """The items of ``version`` with open threads and how many, in tree order.

    For the outline's and the version page's box: one query for the counts
    and one per level that has open threads, however big the plan. A thread
    whose item was deleted from the draft is on the review page only.
    """
    counts = (
        ReviewThread.objects.filter(version=version, report__isnull=True, resolved=False)
        .values("level", "node_key")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_level: dict[str, dict[Any, int]] = {}
    for row in counts:
        by_level.setdefault(row["level"], {})[row["node_key"]] = row["count"]
    items = []
    for level, keys in by_level.items():
        if level not in LEVELS:
            continue
        nodes = (
            LEVELS[level]
            .model.objects.filter(version=version, key__in=keys)
            .only("id", "key", "code", "title", "version_id")
        )
        items += [OpenThreadsOfItem(level=level, node=n, count=keys[n.key]) for n in nodes]

    def order(item: OpenThreadsOfItem) -> tuple[Any, ...]:
        parts = item.node.code.split(".")
        return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)

    return sorted(items, key=order)
