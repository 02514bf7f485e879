from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


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
