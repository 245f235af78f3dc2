"""Signed, expiring links for confirming an e-mail address.

A link carries the account's id and a keyed hash of the address being
confirmed, never the address itself (URLs end up in access logs). The
signature uses SECRET_KEY with a salt per purpose, so a registration link
cannot be replayed as an e-mail change link and vice versa.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

ACTIVATE = "accounts.activate"
EMAIL_CHANGE = "accounts.email-change"


class LinkError(Exception):
    """A confirmation link that cannot be used; ``reason`` says why."""

    reason = "invalid"

    def __init__(self, user=None):
        super().__init__(self.reason)
        self.user = user


class InvalidLink(LinkError):
    reason = "invalid"


class ExpiredLink(LinkError):
    reason = "expired"


class UsedLink(LinkError):
    reason = "used"


def email_hash(email: str) -> str:
    return salted_hmac("accounts.email", email.strip().lower()).hexdigest()[:24]


def make(*, purpose: str, user_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=purpose).sign_object(
        {"u": user_id, "h": email_hash(email)}, compress=True
    )


def read(token: str, *, purpose: str) -> dict:
    """The link's payload, whatever its age; InvalidLink when tampered."""
    try:
        data = signing.TimestampSigner(salt=purpose).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidLink() from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("h"), str)
    ):
        raise InvalidLink()
    return data


def is_expired(token: str, *, purpose: str) -> bool:
    try:
        signing.TimestampSigner(salt=purpose).unsign_object(
            token, max_age=settings.ACCOUNTS_CONFIRMATION_MAX_AGE
        )
    except signing.SignatureExpired:
        return True
    return False


def matches(data: dict, email: str) -> bool:
    return bool(email) and constant_time_compare(data["h"], email_hash(email))
