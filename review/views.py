"""Review comments in the browser: add, reply, resolve, and a list per version.

A yearly report's threads are shown under each of its sections by
``report_panel`` (a ``ReportPanel``); their forms post here too.

The threads of a node are shown on its public page (plans/views/public.py
passes them to templates/plans/includes/review_threads.html); the forms there
post here. Every view checks the role first (anonymous visitors go to the
login page, residents get 403), then calls review/services.py, which checks
role and state again. A refused comment is shown again with the text the
user wrote and the reason, answered with the status of its refusal
(planportal/errors.py: 400 to correct, 409 when the version's state forbids it).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from planportal.errors import code_of, messages_of, status_of
from planportal.roles import is_staff_member
from plans.levels import LEVELS
from plans.selectors import version_for_user
from reports.selectors import report_for_user
from review import services


def review_participant(*, post: bool = False, staff_only: bool = False):
    """Staff and council (or staff alone); with ``post``, only POST, checked
    after the role so that a GET tells an outsider nothing more than a POST."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not services.can_read_threads(request.user):
                raise PermissionDenied(
                    _("Only administration staff and council members take part in the review.")
                )
            if staff_only and not is_staff_member(request.user):
                raise PermissionDenied(_("Only administration staff resolve review threads."))
            if post and request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _refused(request, error, *, version, text, back, status, code="invalid"):
    context = {
        "version": version,
        "plan": version.plan,
        "error": error,
        "code": code,
        "text": text,
        "back": back,
    }
    return render(request, "review/comment_refused.html", context, status=status)


@review_participant(post=True)
def comment_add(request, version_id, level, node_id):
    version = version_for_user(request.user, version_id)
    if level not in LEVELS:
        return _refused(
            request,
            _("Unknown node level."),
            version=version,
            text="",
            back=version.get_absolute_url(),
            status=400,
        )
    back = reverse(f"plans:{level}", args=[version.pk, node_id])
    text = request.POST.get("text", "")
    try:
        comment = services.comment_add(
            user=request.user, version=version, level=level, node_id=node_id, text=text
        )
    except ValidationError as error:
        return _refused_comment(request, error, version=version, text=text, back=back)
    return redirect(f"{back}#thread-{comment.thread_id}")


@review_participant(post=True)
def thread_reply(request, thread_id):
    thread = services.thread_for_user(request.user, thread_id)
    version = version_for_user(request.user, thread.version_id)
    back = thread.get_absolute_url()
    text = request.POST.get("text", "")
    try:
        if thread.report_id is not None:
            report = report_for_user(request.user, thread.report_id)
            services.report_comment_add(user=request.user, report=report, thread=thread, text=text)
        else:
            services.comment_add(user=request.user, version=version, thread=thread, text=text)
    except ValidationError as error:
        return _refused_comment(request, error, version=version, text=text, back=back)
    return redirect(back)


def _refused_comment(request, error, *, version, text, back):
    return _refused(
        request,
        messages_of(error)[0],
        version=version,
        text=text,
        back=back,
        status=status_of(error),
        code=code_of(error),
    )


def _set_resolved(request, thread_id, *, resolved: bool):
    thread = services.thread_for_user(request.user, thread_id)
    version = version_for_user(request.user, thread.version_id)
    if thread.report_id is not None:
        report_for_user(request.user, thread.report_id)
    try:
        services.thread_set_resolved(user=request.user, thread=thread, resolved=resolved)
    except ValidationError as error:
        return _refused_comment(
            request, error, version=version, text="", back=thread.get_absolute_url()
        )
    # Back to where the button was: the node page or the version's list.
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(thread.get_absolute_url())


@review_participant(post=True, staff_only=True)
def thread_resolve(request, thread_id):
    return _set_resolved(request, thread_id, resolved=True)


@review_participant(post=True, staff_only=True)
def thread_reopen(request, thread_id):
    return _set_resolved(request, thread_id, resolved=False)


@review_participant(post=True)
def report_comment_add(request, report_id):
    """A new thread on one section of a yearly report (``section`` in the form)."""
    report = report_for_user(request.user, report_id)
    back = report.get_absolute_url()
    text = request.POST.get("text", "")
    try:
        comment = services.report_comment_add(
            user=request.user, report=report, section=request.POST.get("section", ""), text=text
        )
    except ValidationError as error:
        return _refused_comment(request, error, version=report.version, text=text, back=back)
    return redirect(f"{back}#thread-{comment.thread_id}")


STATES = ("open", "resolved", "all")


@review_participant()
def version_threads(request, version_id):
    version = version_for_user(request.user, version_id)
    state = request.GET.get("state", "open")
    if state not in STATES:
        state = "open"
    context = {
        "version": version,
        "plan": version.plan,
        "state": state,
        "states": [("open", _("Open")), ("resolved", _("Resolved")), ("all", _("All"))],
        "rows": services.version_threads(version, state=state),
        "can_comment": services.can_comment(request.user, version),
        "can_resolve": services.can_resolve(request.user, version),
    }
    return render(request, "review/threads.html", context)


def node_panel(request, version, level, node_id, node_key) -> str:
    """The review threads of one node, on its page: staff and council only.

    Registered in review/apps.py; rendered outside the page cache's fragments
    (staff and council are never served from the cache anyway).
    """
    if not (services.can_read_threads(request.user) and version.status in services.THREAD_STATUSES):
        return ""
    review = services.review_threads_context(request.user, version, level, node_id, node_key)
    return render_to_string(
        "review/includes/node_threads.html",
        {"version": version, "review": review},
        request=request,
    )


def report_panel(request, report, section: str) -> str:
    """The review threads of one section of a yearly report: staff and council only.

    Registered in review/apps.py. The report's threads are read once per
    request, for all its sections (two queries), so that a report page's
    query count does not grow with its priorities and goals.
    """
    if not services.can_read_threads(request.user):
        return ""
    cache = request.__dict__.setdefault("_review_report_threads", {})
    if report.pk not in cache:
        cache[report.pk] = services.report_threads(report)
    threads = cache[report.pk].get(section, [])
    can_comment = services.can_comment_report(request.user, report)
    if not threads and not can_comment:
        return ""
    return render_to_string(
        "review/includes/report_threads.html",
        {
            "report": report,
            "section": section,
            "anchor": section.replace(":", "-"),
            "threads": threads,
            "open_count": sum(1 for thread in threads if not thread.resolved),
            "can_comment": can_comment,
            "can_resolve": services.can_resolve_report(request.user, report),
        },
        request=request,
    )
