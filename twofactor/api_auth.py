"""The API's session authentication, which honours the second factor.

A module of its own, not in alliance/api_support.py: DRF imports authentication classes while
``rest_framework.views`` is still loading, and api_support imports from that module.
"""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from twofactor.selectors import two_factor_owed

API_SESSION_REFUSED = (
    "Your session has not passed two-factor authentication: sign in through the website and enter your code, "
    "or use an API token."
)


class TwoFactorSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, refusing (403) a session that owes a second factor.

    Without it, a person who owes a two-factor code could read and write through /api/ with the password
    alone. API tokens (TokenAuthentication, tried first) stay valid without one: a token is a separate
    credential that an administrator issues to a partner's script, not something a password can obtain.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and two_factor_owed(result[0]) is not None:
            raise exceptions.PermissionDenied(API_SESSION_REFUSED)
        return result


class TwoFactorSessionScheme(SessionScheme):
    """The OpenAPI schema describes it as the session cookie, as it does DRF's own class."""

    target_class = "twofactor.api_auth.TwoFactorSessionAuthentication"
