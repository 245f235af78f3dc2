"""The number of unread notifications in every page's header (base.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.html import format_html
from django.utils.translation import gettext

from notifications.selectors import unread_count
from planportal.pagecache import BADGE_MARK, is_shared_render
from planportal.roles import ANONYMOUS, role_of


def unread(request) -> dict[str, Any]:
    # Counted only when a template shows it (base.html, for signed-in users):
    # one query, none for anonymous readers. A page shared by all readers of
    # a role carries a marker that the page cache fills in for each reader.
    user = getattr(request, "user", None)
    if role_of(user) == ANONYMOUS:
        return {"unread_notifications": 0, "notifications_badge": ""}
    if is_shared_render(request):
        return {"unread_notifications": 0, "notifications_badge": BADGE_MARK}
    return {
        "unread_notifications": _Once(unread_count, user),
        "notifications_badge": _Once(badge_html, user),
    }


def badge_html(user, *, generation: int | None = None, recount: bool = False) -> str:
    """The header's badge of unread notifications ("" when none); for
    ``generation`` and ``recount``, see ``selectors.unread_count``."""
    count = unread_count(user, generation=generation, recount=recount)
    if not count:
        return ""
    return format_html(
        ' <span class="notification-badge">{}<span class="visually-hidden"> {}</span></span>',
        count,
        gettext("unread"),
    )


class _Once:
    """A value computed the first time a template asks for it, then kept."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __call__(self) -> Any:
        if not hasattr(self, "value"):
            self.value = self.func(*self.args)
        return self.value
