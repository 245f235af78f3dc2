"""The number of unread notifications in every page's header (base.html)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from notifications.selectors import unread_count
from planportal.roles import ANONYMOUS, role_of


def unread(request) -> dict[str, Any]:
    # Counted only when a template shows it (base.html, for signed-in users):
    # one query, none for anonymous readers.
    user = getattr(request, "user", None)
    if role_of(user) == ANONYMOUS:
        return {"unread_notifications": 0}
    return {"unread_notifications": _Once(unread_count, user)}


class _Once:
    """A value computed the first time a template asks for it, then kept."""

    def __init__(self, func: Callable[..., Any], *args: Any) -> None:
        self.func, self.args = func, args

    def __call__(self) -> Any:
        if not hasattr(self, "value"):
            self.value = self.func(*self.args)
        return self.value
