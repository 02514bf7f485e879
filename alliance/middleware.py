from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import urlencode

from alliance import two_factor


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page requires sign-in (Django 5.1's middleware), except the REST API.

    The API authenticates per request (session or token) inside Django REST framework and must answer
    401 in JSON, not redirect a partner's script to the sign-in page. Views that are public on purpose
    (sign-in, the secret-token iCal feed) carry ``@login_not_required``.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class TwoFactorMiddleware(MiddlewareMixin):
    """A signed-in person who owes a second factor (alliance/two_factor.py) sees only the page that settles it
    and the sign-out: every other page redirects there, carrying the page asked for as ``next``.

    Covers the Django admin too (administrators pass through here like everyone else). The REST API is left
    to its own authentication class (alliance.api_auth.TwoFactorSessionAuthentication), which answers 403
    in JSON rather than redirecting; static files are served by WhiteNoise before any view.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(("/api/", settings.STATIC_URL)):
            return None
        owed = two_factor.two_factor_owed(request.user)
        if owed is None:
            return None
        # Only the page for what is owed: someone who has an app but has not entered its code must not reach
        # the setup page, where a stolen password could put the attacker's app in place of the owner's.
        settles = "two-factor" if owed == two_factor.VERIFY else "two-factor-setup"
        url_name = request.resolver_match.url_name if request.resolver_match else None
        if url_name in {settles, "logout"}:
            return None
        target = reverse(settles)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
