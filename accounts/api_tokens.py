"""API tokens (django-rest-knox): issued for a password (and the second factor), they expire.

A token is kept only as a hash (knox); what identifies it to its owner is
``token_key``, its first 15 characters. A token ends when it expires
(``API_TOKEN_TTL``), when its owner revokes it (My account or the API), signs
out everywhere, changes the password, or when the account is deactivated
(``revoke_on_account_change``, a ``post_save`` receiver, so that the admin, a
password reset and ``manage.py changepassword`` all count).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from knox.models import AuthToken

from planportal.errors import NotAllowed, Refusal

from . import two_factor
from .security import has_authenticator, mfa_required

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class CodeRequired(Refusal):
    """The account signs in with a second factor: the request must carry ``otp``."""

    code = "otp_required"


class EnrollmentRequired(NotAllowed):
    """The account's role requires two-factor sign-in and it has not set it up."""

    code = "mfa_enrollment_required"


def api_token_issue(*, user: User, otp: str | None) -> tuple[AuthToken, str]:
    """A new token for ``user``, whose password was checked; ``(token row, the token)``.

    With an authenticator the request must carry its code (or a recovery code)
    in ``otp``; a role that requires two-factor sign-in gets no token before
    setting it up (in the browser).
    """
    if has_authenticator(user):
        if not otp:
            raise CodeRequired(
                {"otp": _("This account signs in with two factors: send the code as “otp”.")}
            )
        try:
            two_factor.code_verify(user=user, code=otp)
        except two_factor.CodeInvalid as error:
            raise two_factor.CodeInvalid({"otp": error.message_dict["code"]}) from None
    elif mfa_required(user):
        raise EnrollmentRequired(
            _(
                "Your role requires two-factor sign-in. Set it up in My account before "
                "asking for an API token."
            )
        )
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        return AuthToken.objects.create(
            user=user, expiry=datetime.timedelta(seconds=settings.API_TOKEN_TTL)
        )


def api_tokens_of(user: User) -> QuerySet[AuthToken]:
    """``user``'s tokens that have not expired, newest first."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def api_token_revoke(*, user: User, token_key: str) -> None:
    """Revoke ``user``'s token ``token_key``; another account's token is not found (404)."""
    from django.http import Http404

    deleted, _rows = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if not deleted:
        raise Http404(_("No such token."))


def api_tokens_revoke_all(*, user: User) -> int:
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted


def revoke_on_account_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    """``post_save`` of a user: a new password or a deactivation ends every token.

    ``_password`` is what Django's ``set_password`` leaves until the save (and
    clears when it only re-hashes the same password with a stronger hasher at
    sign-in, which should not cost the tokens).
    """
    if created:
        return
    if getattr(instance, "_password", None) is not None or not instance.is_active:
        AuthToken.objects.filter(user=instance).delete()
