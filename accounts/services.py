"""Every write to a resident's account.

Registration creates an inactive account and mails a confirmation link; the
link activates it. E-mails are rendered in the language of the request that
caused them and leave only once the transaction commits and the response
has gone (planportal/deferred.py: the time of an answer must not tell whether
an e-mail was sent, i.e. whether an address has an account); a mail server
that is down costs the e-mail (logged, and the resident can ask again), never
the action.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import string
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from planportal.deferred import after_response
from planportal.errors import NotAllowed
from planportal.extensions import registry
from planportal.roles import RESIDENT, role_of

from . import tokens
from .models import EmailChange

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from planportal.roles import AnyUser

logger = logging.getLogger(__name__)

USERNAME_PREFIX = "gyventojas-"


class AccountDeletionRefused(NotAllowed):
    """Staff and council accounts are part of the public record (403)."""


def email_in_use(email: str, *, exclude_user_id: int | None = None) -> bool:
    users = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users.exists()


def _send(*, to: str, template: str, context: dict[str, Any]) -> None:
    """Render now (in the active language), send after commit."""
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{template}.txt", context)

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
        except Exception:
            logger.exception("Sending the %s e-mail failed", template)

    transaction.on_commit(lambda: after_response(deliver))


def _absolute(site_url: str, path: str) -> str:
    base = (getattr(settings, "PLANPORTAL_BASE_URL", "") or site_url).rstrip("/")
    return f"{base}{path}"


def _new_username() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return USERNAME_PREFIX + "".join(secrets.choice(alphabet) for _ in range(10))


def _send_link(
    *, user: User, to: str, template: str, route: str, purpose: str, site_url: str, query: str = ""
) -> None:
    """Mail ``to`` a signed link (``route`` with a token for ``purpose``) that confirms
    that address."""
    path = reverse(route, args=[tokens.make(purpose=purpose, user_id=user.pk, email=to)]) + query
    _send(
        to=to,
        template=template,
        context={
            "user": user,
            "link": _absolute(site_url, path),
            "days": settings.ACCOUNTS_CONFIRMATION_MAX_AGE // (24 * 3600),
            "municipality": settings.PLANPORTAL_MUNICIPALITY,
        },
    )


def _send_confirmation(user: User, *, site_url: str, next_url: str = "") -> None:
    _send_link(
        user=user,
        to=user.email,
        template="confirm",
        route="accounts:confirm",
        purpose=tokens.ACTIVATE,
        site_url=site_url,
        query="?" + urlencode({"next": next_url}) if next_url else "",
    )


def _tell_the_owner(owner: User, *, site_url: str) -> None:
    """Mail the owner of an address that someone tried to register again."""
    unconfirmed = _unconfirmed(owner)
    _send(
        to=owner.email,
        template="account_exists",
        context={
            "user": owner,
            "unconfirmed": unconfirmed,
            "login_link": _absolute(site_url, reverse("login")),
            "reset_link": _absolute(site_url, reverse("accounts:password-reset")),
            "resend_link": _absolute(site_url, reverse("accounts:resend")),
            "municipality": settings.PLANPORTAL_MUNICIPALITY,
        },
    )


def _owner_of(email: str) -> User | None:
    return get_user_model().objects.filter(email__iexact=email).exclude(email="").first()


@transaction.atomic
def resident_register(
    *, email: str, first_name: str, last_name: str, password: str, site_url: str, next_url: str = ""
) -> User | None:
    """Create an inactive resident account and mail it a confirmation link.

    Preconditions: none beyond the arguments; the password must pass the
    validators (ValidationError keyed by field otherwise, nothing created).
    The username is generated, so that it is never an e-mail address.

    When the address (in any case) already has an account, nothing is
    created and None is returned; its owner is told by e-mail instead. The
    caller answers both cases alike ("check your mailbox"), and both do the
    same work in the request (a password hash, one e-mail after the
    response), so that registering does not tell which addresses have
    accounts.
    """
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    user = User(
        username=_new_username(),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_active=False,
    )
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    owner = _owner_of(email)
    if owner is not None:
        make_password(password)  # the hash a new account costs
        _tell_the_owner(owner, site_url=site_url)
        return None
    user.set_password(password)
    try:
        # A savepoint: a lost race against a registration with the same
        # address ends here, and the transaction stays usable.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        owner = _owner_of(email)
        if owner is None:
            raise
        _tell_the_owner(owner, site_url=site_url)
        return None
    _send_confirmation(user, site_url=site_url, next_url=next_url)
    return user


def _unconfirmed(user: User) -> bool:
    return not user.is_active and user.last_login is None


@transaction.atomic
def confirmation_resend(*, email: str, site_url: str, next_url: str = "") -> bool:
    """Mail a new confirmation link to the unconfirmed account of ``email``.

    Returns whether one was sent; the caller shows the same message either
    way, so that the form does not tell which addresses have accounts.
    """
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None or not _unconfirmed(user):
        return False
    _send_confirmation(user, site_url=site_url, next_url=next_url)
    return True


def _activation_target(token: str, *, lock: bool) -> User:
    data = tokens.read(token, purpose=tokens.ACTIVATE)
    users = get_user_model().objects.filter(pk=data["u"])
    user = (users.select_for_update() if lock else users).first()
    if user is None or not tokens.matches(data, user.email):
        raise tokens.InvalidLink()
    if not _unconfirmed(user):
        raise tokens.UsedLink(user)
    if tokens.is_expired(token, purpose=tokens.ACTIVATE):
        raise tokens.ExpiredLink(user)
    return user


def activation_check(*, token: str) -> User:
    """The account a registration link would activate, or the LinkError
    that activating would raise; changes nothing."""
    return _activation_target(token, lock=False)


@transaction.atomic
def account_activate(*, token: str) -> User:
    """Activate the account a registration link names and return it.

    Raises InvalidLink (tampered, unknown account, address changed since),
    UsedLink (the account was confirmed already: a link never signs anyone
    in twice) or ExpiredLink (older than ACCOUNTS_CONFIRMATION_MAX_AGE; the
    error carries the user so that a new link can be offered).
    """
    user = _activation_target(token, lock=True)
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def profile_update(*, user: User, first_name: str, last_name: str) -> None:
    """Change the account's name (shown on proposals only where its owner chose so)."""
    user.first_name = first_name.strip()[:150]
    user.last_name = last_name.strip()[:150]
    user.save(update_fields=["first_name", "last_name"])


@transaction.atomic
def email_change_request(
    *, user: User, new_email: str, password: str, site_url: str
) -> EmailChange:
    """Start changing the account's address: a link goes to the new address.

    Preconditions: ``password`` is the account's current password; the new
    address differs from the current one and belongs to no other account.
    The address changes only when the link is opened (email_change_confirm).
    """
    if not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    new_email = get_user_model().objects.normalize_email(new_email.strip())
    if new_email.lower() == user.email.lower():
        raise ValidationError({"email": _("This is already your e-mail address.")})
    if email_in_use(new_email, exclude_user_id=user.pk):
        raise ValidationError({"email": _("Another account uses this e-mail address.")})
    change, _created = EmailChange.objects.update_or_create(
        user=user, defaults={"email": new_email}
    )
    _send_link(
        user=user,
        to=new_email,
        template="email_change",
        route="accounts:email-confirm",
        purpose=tokens.EMAIL_CHANGE,
        site_url=site_url,
    )
    return change


@transaction.atomic
def email_change_confirm(*, user: User, token: str) -> str:
    """Apply the pending address change a link names; return the new address.

    Preconditions: ``user`` is signed in and is the account the link was made
    for. Raises InvalidLink, UsedLink (nothing pending), ExpiredLink, or
    ValidationError when another account took the address meanwhile. The old
    address is told of the change.
    """
    data = tokens.read(token, purpose=tokens.EMAIL_CHANGE)
    if data["u"] != user.pk:
        raise tokens.InvalidLink()
    change = EmailChange.objects.select_for_update().filter(user=user).first()
    if change is None:
        raise tokens.UsedLink(user)
    if not tokens.matches(data, change.email):
        raise tokens.InvalidLink()
    if tokens.is_expired(token, purpose=tokens.EMAIL_CHANGE):
        raise tokens.ExpiredLink(user)
    old_email, user.email = user.email, change.email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        raise ValidationError(_("Another account uses this e-mail address.")) from None
    change.delete()
    if old_email:
        _send(
            to=old_email,
            template="email_changed",
            context={"user": user, "municipality": settings.PLANPORTAL_MUNICIPALITY},
        )
    return user.email


def deletion_allowed(user: AnyUser) -> bool:
    return role_of(user) == RESIDENT and not user.is_staff and not user.is_superuser


@transaction.atomic
def account_delete(*, user: User, password: str) -> None:
    """Delete a resident's account; their proposals stay, author anonymised.

    Preconditions: ``user`` is a resident (staff and council accounts are
    refused with AccountDeletionRefused: what they did is part of the public
    record) and ``password`` is their current password (ValidationError
    otherwise). Everything happens in one transaction: either the proposals
    are anonymised and the account is gone, or nothing changed.
    """
    if not deletion_allowed(user):
        raise AccountDeletionRefused(
            _(
                "Accounts of administration staff and council members cannot be deleted here: "
                "their actions are part of the public record. Please contact the administration."
            )
        )
    if not user.check_password(password):
        raise ValidationError({"password": _("The password is not correct.")})
    # What must outlive the account (public proposals, shown as by a
    # resident) is detached by the part that keeps it; the rest cascades.
    for part in registry.personal_data:
        if part.erase is not None:
            part.erase(user=user)
    user.delete()


@transaction.atomic
def unconfirmed_accounts_purge(*, older_than: datetime.datetime) -> int:
    """Delete registrations never confirmed before ``older_than`` (a datetime).

    Only accounts that never signed in, with no role, are removed; an account
    an administrator deactivated is not "unconfirmed" and stays.
    """
    stale = get_user_model().objects.filter(
        is_active=False,
        last_login__isnull=True,
        is_staff=False,
        is_superuser=False,
        groups__isnull=True,
        date_joined__lt=older_than,
    )
    count = stale.count()
    stale.delete()
    return count
