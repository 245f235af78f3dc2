"""Who is who in PlanPortal.

Four roles, checked on the server for every view and API call:

* administration staff (group ``administration``, and superusers) edit drafts,
  open consultations and votings;
* council members (group ``council``) read drafts, comment and vote;
* residents are any other logged-in account: they read what is public and take
  part in consultations;
* anonymous visitors read what is public.

Group membership is read once per request and kept on the user object, so a
page that asks "is this staff?" ten times costs one query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_stubs_ext import StrOrPromise

# What ``request.user`` holds: a signed-in account or an anonymous visitor.
# The portal keeps Django's own user model (AUTH_USER_MODEL is not swapped),
# so an account is a ``django.contrib.auth.models.User``.
AnyUser: TypeAlias = "User | AnonymousUser"

STAFF_GROUP = "administration"
COUNCIL_GROUP = "council"

STAFF = "staff"
COUNCIL = "council"
RESIDENT = "resident"
ANONYMOUS = "anonymous"


def _group_names(user: User) -> frozenset[str]:
    cached = getattr(user, "_planportal_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        # Kept on the user object for the rest of the request (module docstring).
        user._planportal_groups = cached  # type: ignore[attr-defined]
    return cached


def role_of(user: AnyUser | None) -> str:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return ANONYMOUS
    if not user.is_active:
        return ANONYMOUS
    if user.is_superuser or STAFF_GROUP in _group_names(user):
        return STAFF
    if COUNCIL_GROUP in _group_names(user):
        return COUNCIL
    return RESIDENT


def is_staff_member(user: AnyUser | None) -> bool:
    return role_of(user) == STAFF


def is_council_member(user: AnyUser | None) -> bool:
    return role_of(user) == COUNCIL


def require_staff(user: AnyUser | None, message: StrOrPromise | None = None) -> None:
    """Refuse anyone but administration staff with ``PermissionDenied``.

    Every service that only staff may call starts with this. ``message`` says
    what was refused in the app's words; the default fits any action.
    """
    if not is_staff_member(user):
        # Worded now, in the language of the request being refused.
        raise PermissionDenied(str(message or gettext("Only administration staff can do this.")))


def can_see_drafts(user: AnyUser | None) -> bool:
    """Drafts and versions under review are internal: staff and council only."""
    return role_of(user) in {STAFF, COUNCIL}


def ensure_groups() -> tuple[Group, Group]:
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    council, _ = Group.objects.get_or_create(name=COUNCIL_GROUP)
    return staff, council


def role_required(check: Callable[[AnyUser], bool], message: StrOrPromise) -> Callable[[Any], Any]:
    """A view decorator: anonymous visitors go to the login page; a signed-in
    user for whom ``check(user)`` is false gets 403 with ``message``.

    Every app's browser views guard themselves with this, so a refusal looks
    the same everywhere (the error page, the login redirect with ``next``).
    """
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
