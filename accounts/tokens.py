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
from django.utils.translation import gettext_lazy

from planportal.errors import Refusal

ACTIVATE = "accounts.activate"
EMAIL_CHANGE = "accounts.email-change"


class LinkError(Refusal):
    """A confirmation link that cannot be used; ``reason`` says why (the page's
    wording and link depend on it), ``code`` and ``status`` how it is answered."""

    reason = "invalid"
    code = "link_invalid"
    default_message = gettext_lazy(
        "This confirmation link is not valid. Please copy the whole link from the e-mail, "
        "or ask for a new one."
    )

    def __init__(self, user=None):
        super().__init__(self.default_message)
        self.user = user


class InvalidLink(LinkError):
    reason = "invalid"


class ExpiredLink(LinkError):
    reason = "expired"
    code = "link_expired"
    status = 410  # Gone: a new link is the way on.
    default_message = gettext_lazy("This confirmation link has expired. Please ask for a new one.")


class UsedLink(LinkError):
    """The address is confirmed already: the state forbids confirming it again."""

    reason = "used"
    code = "link_used"
    status = 409
    default_message = gettext_lazy("This address has been confirmed already. Please log in.")


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
