"""Sign-in pages after the password: the two-factor code, setting up an authenticator app, and the lockout page.

Thin: the rules are in twofactor/selectors.py and twofactor/services.py. ``next`` is followed only when it stays on this site (Django's
``url_has_allowed_host_and_scheme``, as its LoginView does); anything else lands on the home page.
"""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from twofactor.forms import CodeForm
from twofactor.selectors import (
    SETUP,
    VERIFY,
    qr_code_data_uri,
    secret_for_display,
    two_factor_owed,
    two_factor_required,
)
from twofactor.services import device_confirm, device_start, two_factor_check


def safe_next(request) -> str:
    """The ``next`` of the request when it is a path or URL on this site, else the home page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _passed(request, device) -> None:
    django_otp.login(request, device)
    # A new session key once the session has more power, so a key learnt before (fixation) is worthless.
    request.session.cycle_key()


def two_factor_verify(request):
    """/accounts/two-factor/: the code from the person's authenticator app (or a recovery code)."""
    next_url = safe_next(request)
    owed = two_factor_owed(request.user)
    if owed is None:
        return redirect(next_url)
    if owed == SETUP:
        return redirect(_with_next("two-factor-setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_check(actor=request.user, token=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _passed(request, device)
            return redirect(next_url)
    return render(request, "registration/two_factor.html", {"form": form, "next": next_url})


def two_factor_setup(request):
    """/accounts/two-factor/setup/: scan the QR code (or type the secret), then confirm with a code."""
    next_url = safe_next(request)
    if two_factor_owed(request.user) == VERIFY:
        return redirect(_with_next("two-factor", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = device_confirm(
                actor=request.user, device_id=_int(request.POST.get("device")), token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        except PermissionDenied:
            return redirect(_with_next("two-factor", next_url))
        else:
            _passed(request, device)
            return render(request, "registration/two_factor_done.html", {"codes": codes, "next": next_url})
    device = device_start(actor=request.user)
    context = {
        "form": form,
        "next": next_url,
        "device": device,
        "qr_code": qr_code_data_uri(device),
        "secret": secret_for_display(device),
        "required": two_factor_required(request.user),
    }
    return render(request, "registration/two_factor_setup.html", context)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): when to try again and whom to ask, HTTP 429.

    Every attempt during the lock starts the cool-off again, so the lock ends a cool-off from now."""
    try_again_at = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    context = {
        "try_again_at": try_again_at,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "contact": settings.ACCESS_CONTACT,
    }
    return render(request, "registration/locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
