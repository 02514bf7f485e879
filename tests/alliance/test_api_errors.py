"""Under /api/ every error answers the API's JSON error body, whatever refused the request: no such endpoint
(404), a CSRF failure (403), a method the endpoint has not (405), a server error (500), a request Django cannot
read (400). Elsewhere the site's HTML pages (issue 16 item 6)."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from alliance import error_views
from tests.conftest import second_factor_pass

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


# This module is also a URLconf: the site's URLs and its handlers, plus a view that fails, under /api/ and not.
urlpatterns = [path("api/boom/", _boom), path("boom/", _boom), path("", include("config.urls"))]
handler400 = "alliance.error_views.bad_request"
handler403 = "alliance.error_views.permission_denied"
handler404 = "alliance.error_views.page_not_found"
handler500 = "alliance.error_views.server_error"


def _is_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == status and body["code"] == code and body["detail"]
    return body


def test_the_site_registers_the_handlers():
    from config import urls

    assert urls.handler404 == "alliance.error_views.page_not_found"
    assert urls.handler500 == "alliance.error_views.server_error"
    assert urls.handler400 == "alliance.error_views.bad_request"
    assert urls.handler403 == "alliance.error_views.permission_denied"


def test_an_unknown_api_path_answers_json_and_an_unknown_page_html(client_for, alliance_manager):
    c = client_for(alliance_manager)
    _is_api_error(c.get("/api/no-such-thing/"), 404, "not_found")
    _is_api_error(c.get("/api/governance/decisions/not-a-number/"), 404, "not_found")
    page = c.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_a_csrf_failure_under_api_answers_json(alliance_manager):
    c = Client(enforce_csrf_checks=True)
    c.force_login(alliance_manager)
    second_factor_pass(c, alliance_manager)
    body = _is_api_error(c.post("/api/no-such-thing/", {"a": 1}), 403, "permission_denied")
    assert body["detail"].startswith("CSRF Failed")
    # A DRF view answers the same failure in the same shape.
    _is_api_error(c.post("/api/obligations/", {"title": "x"}), 403, "permission_denied")


def test_a_csrf_failure_on_a_page_stays_html(alliance_manager):
    c = Client(enforce_csrf_checks=True)
    c.force_login(alliance_manager)
    second_factor_pass(c, alliance_manager)
    response = c.post("/due/new/", {"title": "x"})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")


def test_a_method_an_endpoint_has_not_answers_json(client_for, alliance_manager):
    _is_api_error(client_for(alliance_manager).delete("/api/me/"), 405, "method_not_allowed")


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_under_api_answers_json_and_elsewhere_html(client_for, alliance_manager):
    c = client_for(alliance_manager)
    c.raise_request_exception = False
    _is_api_error(c.get("/api/boom/"), 500, "server_error")
    page = c.get("/boom/")
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


def test_a_request_django_cannot_read_under_api_answers_json(rf):
    _is_api_error(error_views.bad_request(rf.get("/api/me/"), Exception("too big")), 400, "bad_request")
    assert error_views.bad_request(rf.get("/due/"), Exception("too big"))["Content-Type"].startswith("text/html")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_over_the_limit_under_api_answers_json(client_for, alliance_manager):
    c = client_for(alliance_manager)
    response = c.post("/api/obligations/", {"title": "x" * 1000})
    assert response.status_code in {400, 413}
    assert response["Content-Type"] == "application/json"
