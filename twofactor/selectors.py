"""Who owes a second factor, and how an authenticator app is shown while it is set up (reads only).

A password alone opens the platform to partner staff. The SRO, the Alliance Manager and administrators (staff,
superusers and holders of the Administrator role) hold the alliance-wide powers, so they must also give a
time-based one-time code (TOTP, RFC 6238) from an authenticator app; anyone else may set one up, and from then
on is asked for it too. twofactor/services.py sets an app up and checks codes.
"""

from __future__ import annotations

from base64 import b32encode
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from alliance.permissions import ALLIANCE_WIDE_ROLES, has_role

if TYPE_CHECKING:
    from alliance.models import Person

# What a person owes, as the middleware and the views read it.
VERIFY = "verify"  # has an authenticator app: enter its code
SETUP = "setup"  # must have one and has none: set one up first


def two_factor_required(user: Person) -> bool:
    """The SRO, the Alliance Manager and administrators must use a second factor (settings.TWO_FACTOR_REQUIRED:
    always in production)."""
    if not settings.TWO_FACTOR_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or has_role(user, *ALLIANCE_WIDE_ROLES))


def is_verified(user: Person) -> bool:
    """Whether this request's session passed a second factor (set by django-otp's OTPMiddleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


def app_device_of(user: Person) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_owed(user: Person) -> str | None:
    """VERIFY, SETUP, or None when the signed-in person owes nothing (or is not signed in)."""
    if not getattr(user, "is_authenticated", False) or is_verified(user):
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if two_factor_required(user):
        return SETUP
    return None


def secret_for_display(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (the CSP allows data: images, no inline script)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4, dark="#0b0c0c")
