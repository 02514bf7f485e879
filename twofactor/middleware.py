"""Keeps a person who owes a second factor on the pages that settle it (settings.MIDDLEWARE)."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode

from twofactor.selectors import VERIFY, two_factor_owed


class TwoFactorMiddleware(MiddlewareMixin):
    """A signed-in person who owes a second factor (twofactor/selectors.py) sees only the page that settles it
    and the sign-out: every other page redirects there, carrying the page asked for as ``next``.

    Covers the Django admin too (administrators pass through here like everyone else). The REST API is left
    to its own authentication class (twofactor.api_auth.TwoFactorSessionAuthentication), which answers 403
    in JSON rather than redirecting; static files are served by WhiteNoise before any view.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(("/api/", settings.STATIC_URL)):
            return None
        owed = two_factor_owed(request.user)
        if owed is None:
            return None
        # Only the page for what is owed: someone who has an app but has not entered its code must not reach
        # the setup page, where a stolen password could put the attacker's app in place of the owner's.
        settles = "two-factor" if owed == VERIFY else "two-factor-setup"
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name in {settles, "logout"}:
            return None
        target = reverse(settles)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
