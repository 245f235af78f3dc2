"""What a signed-in session must still satisfy: the idle limit and the second factor.

At every sign-in (any path: the login page, the admin's, a password reset, an
e-mail confirmation, the test client's ``force_login``) ``on_login`` writes
into the session, once, what applies to it:

* ``idle``: the account is administration staff, a council member or a
  superuser, so the session ends after ``STAFF_SESSION_IDLE_TIMEOUT`` seconds
  without a request;
* ``mfa``: ``"verify"`` while the account has an authenticator and the code has
  not been given in this session, ``"enroll"`` while its role requires two-factor
  sign-in (``MFA_REQUIRED_FOR``) and it has no authenticator yet, ``""`` otherwise.

``accounts.middleware.AccountSecurityMiddleware`` then reads only the session,
so a request costs no query for this. Sessions are kept on the server (the
database or Redis), so a client cannot change these entries. A role given or
taken away takes effect at the next sign-in.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import Error, register
from django.db import transaction
from django.utils.translation import gettext as _
from knox.models import AuthToken

from planportal.errors import Refusal
from planportal.roles import COUNCIL_GROUP, STAFF_GROUP

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.http import HttpRequest

SESSION_KEY = "planportal_account"

SUPERUSER = "superuser"
STAFF = "staff"
COUNCIL = "council"
RESIDENT = "resident"
MFA_ROLES = (SUPERUSER, STAFF, COUNCIL, RESIDENT)
PRIVILEGED = frozenset({SUPERUSER, STAFF, COUNCIL})

MFA_VERIFY = "verify"
MFA_ENROLL = "enroll"


def account_roles(user: User) -> frozenset[str]:
    """The names of ``MFA_REQUIRED_FOR`` that fit ``user`` (a superuser is staff too).

    Reads the groups afresh and caches nothing on ``user``: this runs at
    sign-in, on the very object that the caller may go on changing.
    """
    if not user.is_active:
        return frozenset()
    groups = set(
        user.groups.filter(name__in=[STAFF_GROUP, COUNCIL_GROUP]).values_list("name", flat=True)
    )
    roles = set()
    if user.is_superuser:
        roles |= {SUPERUSER, STAFF}
    if STAFF_GROUP in groups:
        roles.add(STAFF)
    if COUNCIL_GROUP in groups:
        roles.add(COUNCIL)
    if not roles:
        roles.add(RESIDENT)
    return frozenset(roles)


def mfa_required(user: User, roles: frozenset[str] | None = None) -> bool:
    """Whether ``user``'s role must sign in with a second factor (``MFA_REQUIRED_FOR``)."""
    if roles is None:
        roles = account_roles(user)
    return bool(roles & set(settings.MFA_REQUIRED_FOR))


def has_authenticator(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_for(user: User) -> dict[str, Any]:
    """What a new session of ``user`` must satisfy (module docstring)."""
    roles = account_roles(user)
    if has_authenticator(user):
        mfa = MFA_VERIFY
    elif mfa_required(user, roles):
        mfa = MFA_ENROLL
    else:
        mfa = ""
    return {"idle": bool(roles & PRIVILEGED), "mfa": mfa, "seen": int(time.time())}


def session_state(request: HttpRequest) -> dict[str, Any]:
    """The session's entry, computed now for a session signed in before it existed."""
    state = request.session.get(SESSION_KEY)
    if state is None:
        state = state_for(request.user)  # type: ignore[arg-type]
        request.session[SESSION_KEY] = state
    return state


def update_session_state(request: HttpRequest, **changes: Any) -> None:
    # A new dict, so that the session notices the change and saves it.
    request.session[SESSION_KEY] = {**session_state(request), **changes}


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """``user_logged_in``: every sign-in starts with what applies to the account."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = state_for(user)


def second_factor_given(request: HttpRequest) -> None:
    """The code was given (or an authenticator set up) in this session."""
    update_session_state(request, mfa="")
    # A new session key for the session that just gained its full rights.
    request.session.cycle_key()


def sign_out_everywhere(*, user: User, password: str) -> None:
    """End every session of ``user`` (this one too) and revoke every API token.

    The password, typed again, is hashed anew with a fresh salt. Every session
    carries a hash derived from the stored password hash (Django's session
    verification), so each one, in the database or in Redis, on whatever
    server, no longer matches and is signed out at its next request. The
    caller signs the current request out.
    """
    if not user.check_password(password):
        raise Refusal({"password": _("The password is not right.")}, code="invalid")
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        AuthToken.objects.filter(user=user).delete()


@register()
def check_mfa_roles(app_configs: Any, **kwargs: Any) -> list[Error]:
    unknown = sorted(set(settings.MFA_REQUIRED_FOR) - set(MFA_ROLES))
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_FOR names unknown roles: {', '.join(unknown)}.",
            hint=f"Use any of {', '.join(MFA_ROLES)}.",
            id="accounts.E001",
        )
    ]
