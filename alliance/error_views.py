"""What Django answers itself when no view does (no such page, a CSRF failure, a server error, a bad request):
the REST API's JSON error body for paths under /api/, the site's HTML pages elsewhere.

A script talking to the API reads ``{"status", "code", "detail"}`` (alliance.api_support) on every error: a DRF
view's own refusals already have that shape, and these handlers give it to the answers that come from Django
(``handler404``/``handler500``/``handler400``/``handler403`` in config/urls.py, ``CSRF_FAILURE_VIEW`` in
settings), so a CSRF failure or an unknown path under /api/ is never an HTML page to a JSON client.
"""

from __future__ import annotations

from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from rest_framework import status

from alliance.api_support import api_error, api_not_found

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def page_not_found(request, exception=None):
    if is_api(request):
        return api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return api_error(status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error",
                         "A server error occurred. It has been logged.")
    return defaults.server_error(request)


def bad_request(request, exception=None):
    """A request Django refuses before any view (a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a suspicious header)."""
    if is_api(request):
        return api_error(status.HTTP_400_BAD_REQUEST, "bad_request", "The request could not be read.")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api(request):
        detail = str(exception) if exception is not None and str(exception) else "You may not do this."
        return api_error(status.HTTP_403_FORBIDDEN, "permission_denied", detail)
    return defaults.permission_denied(request, exception)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW. Under /api/ the same answer DRF gives when its session authentication finds no CSRF
    token (403, ``permission_denied``, "CSRF Failed: ..."), in the API's error shape."""
    if is_api(request):
        return api_error(status.HTTP_403_FORBIDDEN, "permission_denied", f"CSRF Failed: {reason}")
    return django_csrf_failure(request, reason=reason)
