"""What the security log hears: receivers of Django's, the admin's and the
other apps' signals, connected in ``SecurityConfig.ready``.

The log is the one place where signals are the right tool: it observes what
other parts do and changes nothing of it, and those parts (plans, council,
consultations) do not know it exists. Models of other apps are named by
their label (``"council.VersionEvent"``), so this app imports none of them
and a receiver of an app that is not installed simply never fires.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from security.models import SecurityEvent
from security.services import record

Kind = SecurityEvent.Kind

# The flags of an account whose change is a change of role.
ROLE_FLAGS = ("is_superuser", "is_staff", "is_active")


# --- Logins ----------------------------------------------------------------------


def logged_in(sender, request, user, **kwargs) -> None:
    record(kind=Kind.LOGIN, actor=user, request=request)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the secrets in ``credentials``; the log keeps
    # only the name that was tried (which account is under attack), never
    # anything else that was typed.
    username_field = get_user_model().USERNAME_FIELD
    tried = credentials.get(username_field) or credentials.get("username") or ""
    record(kind=Kind.LOGIN_FAILED, username=str(tried), request=request, actor=None)


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(kind=Kind.LOGOUT, actor=user, request=request)


def locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    # django-axes gives the raw address too; the log keeps its hash only
    # (from the request, by the portal's one reading of the address).
    record(kind=Kind.LOCKOUT, username=str(username or ""), request=request, actor=None)


# --- The admin -------------------------------------------------------------------

ADMIN_ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


def admin_logged(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    content_type = instance.content_type
    record(
        kind=Kind.ADMIN_CHANGE,
        actor=instance.user,
        target_type=content_type.model_class()._meta.label_lower
        if content_type and content_type.model_class()
        else "",
        target_id=instance.object_id or "",
        target_repr=instance.object_repr,
        details={
            "action": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
            "message": instance.get_change_message(),
        },
    )


# --- Roles -----------------------------------------------------------------------


def remember_role_flags(sender, instance, **kwargs) -> None:
    """``post_init`` of an account: its flags as loaded, to compare on save."""
    loaded = instance.__dict__
    instance._security_flags = {name: loaded.get(name) for name in ROLE_FLAGS if name in loaded}


def role_flags_saved(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not set(ROLE_FLAGS) & set(update_fields)):
        return
    if created:
        # A new account is a change of role only when it starts privileged.
        changes = {
            name: [None, True] for name in ("is_superuser", "is_staff") if getattr(instance, name)
        }
    else:
        before = getattr(instance, "_security_flags", {})
        changes = {
            name: [before[name], instance.__dict__[name]]
            for name in ROLE_FLAGS
            if name in before
            and name in instance.__dict__
            and before[name] != instance.__dict__[name]
        }
    remember_role_flags(sender, instance)
    if changes:
        record(kind=Kind.ROLE_CHANGE, target=instance, details=changes)


def _names(model, ids) -> list[str]:
    if model is Group:
        return sorted(model.objects.filter(pk__in=ids).values_list("name", flat=True))
    return sorted(
        f"{app}.{codename}"
        for app, codename in model.objects.filter(pk__in=ids).values_list(
            "content_type__app_label", "codename"
        )
    )


def memberships_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """``m2m_changed`` of an account's groups or permissions, from either side."""
    if action == "pre_clear":
        related = model.objects.filter(**{_other_side(sender, instance): instance})
        instance._security_cleared = list(related.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    ids = instance.__dict__.pop("_security_cleared", []) if action == "post_clear" else pk_set
    if not ids:
        return
    change = "added" if action == "post_add" else "removed"
    user_model = get_user_model()
    if reverse:  # A group's (or permission's) members changed: one event per account.
        what = "groups" if isinstance(instance, Group) else "permissions"
        name = _names(type(instance), [instance.pk])
        for user in user_model.objects.filter(pk__in=ids):
            record(kind=Kind.ROLE_CHANGE, target=user, details={what: {change: name}})
    else:
        what = "groups" if model is Group else "permissions"
        record(kind=Kind.ROLE_CHANGE, target=instance, details={what: {change: _names(model, ids)}})


def _other_side(through, instance) -> str:
    """The lookup from the related model back to ``instance`` in ``through``."""
    user_model = get_user_model()
    if isinstance(instance, user_model):
        return "user"  # Group.user_set / Permission.user_set: related name "user".
    return "groups" if isinstance(instance, Group) else "user_permissions"


# --- Versions' states and decisions -------------------------------------------------


def version_event(sender, instance, created, raw=False, **kwargs) -> None:
    """Every step of a version's way (council.VersionEvent), whatever its kind:
    submitted, withdrawn, voting opened, approved, rejected, superseded, a
    decision recorded or corrected."""
    if not created or raw:
        return
    details: dict[str, Any] = {"event": instance.kind, "status": instance.version.status}
    if instance.reason:
        details["reason"] = instance.reason
    record(kind=Kind.TRANSITION, actor=instance.user, target=instance.version, details=details)


def consultation_opened(sender, instance, created, raw=False, **kwargs) -> None:
    """A draft put to public consultation (its status changes by ``update()``,
    past any save, so the consultation's creation is the step)."""
    if not created or raw:
        return
    record(
        kind=Kind.TRANSITION,
        actor=instance.opened_by,
        target=instance.version,
        details={"event": "consultation_opened", "status": "consultation"},
    )
