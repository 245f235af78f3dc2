"""A signed-in user's own notifications: the list, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from notifications import selectors, services

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    unread = sum(1 for notification in page if notification.read_at is None)
    return render(request, "notifications/list.html", {"page": page, "unread_on_page": unread})


@login_required
@require_POST
def notification_read(request, notification_id):
    services.notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    services.notification_mark_read(user=request.user)
    return redirect("notifications:list")
