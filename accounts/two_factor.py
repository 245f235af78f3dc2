"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and recovery codes.

An account has at most one authenticator (a confirmed ``TOTPDevice``) and, with
it, one set of ten single-use recovery codes (a ``StaticDevice``). Setting up
keeps the new secret in the session until the first code proves that the app
has it, so an abandoned set-up leaves nothing in the database. Wrong codes slow
the next attempt down (django-otp's throttling: 1, 2, 4, 8 … seconds).

Every write of the part is here; the views only parse and render.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.formats import time_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from planportal.errors import NotAllowed, RateLimited, Refusal

from .security import mfa_required

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_otp.models import Device

RECOVERY_CODES = 10
# A code of the app: six digits, maybe typed with a space in the middle.
TOTP_CODE = re.compile(r"^\d{6}$")
# The window of 30-second steps accepted around now, for a phone's clock that is off a little.
TOLERANCE = 1


class CodeInvalid(Refusal):
    code = "otp_invalid"


class TwoFactorRequired(NotAllowed):
    """The account's role requires two-factor sign-in: it cannot be turned off."""

    code = "mfa_required"


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def new_secret() -> str:
    """A new TOTP secret (hex, as ``TOTPDevice.key`` keeps it)."""
    return secrets.token_hex(20)


def setup_uri(*, user: User, secret: str) -> str:
    """The ``otpauth://`` address that an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=secret, name="authenticator").config_url


def secret_for_typing(secret: str) -> str:
    """The secret in base32, in groups of four, for an app that cannot scan."""
    from base64 import b32encode

    text = b32encode(bytes.fromhex(secret)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(uri: str, *, label: str) -> str:
    """The QR code of ``uri`` as inline SVG, drawn here (no outside service sees the secret)."""
    import segno
    from django.utils.html import escape

    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False)
    # An image with a name for screen readers; its size comes from the attributes.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


@dataclass(frozen=True)
class Enrolled:
    device: TOTPDevice
    recovery_codes: list[str]


def authenticator_confirm(
    *, user: User, secret: str, code: str, password: str | None = None
) -> Enrolled:
    """Turn two-factor sign-in on with ``secret`` once ``code`` shows the app has it.

    Replacing an authenticator that ``user`` has asks for the password too.
    Replaces any earlier authenticator and recovery codes of ``user``.
    Raises ``CodeInvalid`` for a wrong code (nothing is written then).
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        _check_password(user, password or "")
    code = _clean(code)
    totp = TOTP(bytes.fromhex(secret), step=30, t0=0, digits=6, drift=0)
    if not TOTP_CODE.match(code) or not totp.verify(int(code), tolerance=TOLERANCE):
        raise CodeInvalid(
            {"code": _("This code is not right. Type the six digits the app shows now.")}
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user,
            name="authenticator",
            key=secret,
            confirmed=True,
            tolerance=TOLERANCE,
            # The code just used cannot sign in a second time.
            last_t=totp.t(),
        )
        codes = _new_recovery_codes(user)
    return Enrolled(device=device, recovery_codes=codes)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_renew(*, user: User, password: str) -> list[str]:
    """New recovery codes for ``user`` (the old ones stop working); asks for the password."""
    _check_password(user, password)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Refusal(_("Two-factor sign-in is not on for this account."), code="mfa_off")
    with transaction.atomic():
        return _new_recovery_codes(user)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_disable(*, user: User, password: str) -> None:
    """Turn two-factor sign-in off: refused (403) when the account's role requires it."""
    if mfa_required(user):
        raise TwoFactorRequired(
            _("Your role requires two-factor sign-in: it cannot be turned off.")
        )
    _check_password(user, password)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def _check_password(user: User, password: str) -> None:
    if not user.check_password(password):
        raise Refusal({"password": _("The password is not right.")}, code="invalid")


def code_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code`` (the app's code, or an unused recovery code).

    A recovery code is used up by this. Raises ``RateLimited`` while wrong
    codes have locked verification for a while, ``CodeInvalid`` for a wrong
    code (counted, for the lock).
    """
    code = _clean(code)
    # The lock is counted on the device that a code of its shape is for.
    model = TOTPDevice if TOTP_CODE.match(code) else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            verified = False
        else:
            allowed, lock = device.verify_is_allowed()
            if not allowed:
                locked_until = (lock or {}).get("locked_until")
                raise RateLimited(
                    _("Too many wrong codes. Try again after %(time)s.")
                    % {"time": time_format(localtime(locked_until), "H:i:s")}
                    if locked_until
                    else _("Too many wrong codes. Try again in a minute.")
                )
            # django-otp's verify_token saves the device: the step used (a
            # code works once) or one more failure.
            verified = device.verify_token(code)
    if not verified:
        raise CodeInvalid(
            {
                "code": _(
                    "This code is not right. Type the code the app shows now, or a recovery code."
                )
            }
        )
    return device


def is_recovery_code(device: Device) -> bool:
    return isinstance(device, StaticDevice)
