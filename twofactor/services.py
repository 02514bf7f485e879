"""The second factor at sign-in: setting up an authenticator app, checking a code (who owes one: selectors.py).

A password alone opens the platform to partner staff. The SRO, the Alliance Manager and administrators (staff,
superusers and holders of the Administrator role) hold the alliance-wide powers, so they must also give a
time-based one-time code (TOTP, RFC 6238) from an authenticator app; anyone else may set one up, and from then
on is asked for it too. A few single-use recovery codes (django-otp's static tokens) are issued with the app, for
a lost phone. An administrator resets a person's second factor by deleting their devices in the admin.

``twofactor.middleware.TwoFactorMiddleware`` keeps a person who owes a code on the two-factor pages; the
API's ``twofactor.api_auth.TwoFactorSessionAuthentication`` refuses their session (403). API tokens are a
separate credential an administrator issues to a script, so they are not asked for a second factor.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from twofactor.selectors import VERIFY, app_device_of, two_factor_owed

if TYPE_CHECKING:
    from django_otp.models import Device

    from alliance.models import Person

log = logging.getLogger(__name__)

WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows now, or a recovery code."
WRONG_SETUP_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows for this service."
TOO_MANY_CODES = "Too many wrong codes. Wait a minute, then enter the code your authenticator app shows."
ALREADY_OWED = "Enter the code from your authenticator app before you set up another one."

APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 8


def device_start(*, actor: Person) -> TOTPDevice:
    """The unconfirmed authenticator app that setting up shows; the same one until it is confirmed, so that
    reloading the page does not change the QR code already scanned."""
    if two_factor_owed(actor) == VERIFY:
        # Otherwise a stolen password could replace the owner's authenticator app.
        raise PermissionDenied(ALREADY_OWED)
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=APP_DEVICE_NAME, confirmed=False)
    return device


def device_confirm(*, actor: Person, device_id: int, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a code it shows. It replaces any earlier app, and a fresh set of
    recovery codes replaces any earlier set; returns the device and the recovery codes (shown once)."""
    if two_factor_owed(actor) == VERIFY:
        raise PermissionDenied(ALREADY_OWED)
    token = _clean(token)
    codes: list[str] = []
    # The row lock makes two confirmations racing with the same code count once; the failed-attempt throttle
    # that verify_token records must commit, so the error is raised after the transaction, not inside it.
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user=actor, confirmed=False).first()
        if device is None:
            raise ValidationError(WRONG_SETUP_CODE, code="wrong_code")
        allowed, _ = device.verify_is_allowed()
        confirmed = allowed and token.isdigit() and device.verify_token(token)
        if confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
            StaticDevice.objects.filter(user=actor).delete()
            recovery = StaticDevice.objects.create(user=actor, name=RECOVERY_DEVICE_NAME, confirmed=True)
            codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
            StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    if not confirmed:
        log.warning("two-factor setup: wrong code from %s", actor.get_username())
        raise ValidationError(TOO_MANY_CODES if not allowed else WRONG_SETUP_CODE, code="wrong_code")
    log.info("two-factor setup: %s confirmed an authenticator app", actor.get_username())
    return device, codes


def two_factor_check(*, actor: Person, token: str) -> Device:
    """The device (authenticator app or recovery code) that accepts ``token``; ValidationError otherwise.

    The caller then marks the session verified with ``django_otp.login``. Each wrong code lengthens the wait
    before the next is considered (django-otp's throttle: 1, 2, 4, ... seconds), so a six-digit code cannot be
    guessed by brute force."""
    token = _clean(token)
    app = app_device_of(actor)
    if app is not None and not app.verify_is_allowed()[0]:
        log.warning("two-factor: code from %s refused while throttled", actor.get_username())
        raise ValidationError(TOO_MANY_CODES, code="throttled")
    candidates: list[Device] = []
    if token.isdigit() and app is not None:
        candidates.append(app)
    elif token:
        candidates.extend(StaticDevice.objects.filter(user=actor, confirmed=True))
    for device in candidates:
        # django_otp.verify_token locks the device row for the check, so a code cannot be used twice at once.
        verified = django_otp.verify_token(actor, device.persistent_id, token)
        if verified is not None:
            log.info("two-factor: %s passed with %s", actor.get_username(), verified.name)
            return verified
    if app is not None and not candidates:
        app.throttle_increment()  # an empty or malformed code counts as a wrong one
    log.warning("two-factor: wrong code from %s", actor.get_username())
    raise ValidationError(WRONG_CODE, code="wrong_code")


def _clean(token: str) -> str:
    return "".join((token or "").split()).lower()
