"""The REST API of the core: authentication, one error shape, What's due as JSON, obligations."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from alliance import services
from alliance.models import Obligation, ObligationStatus
from tests.alliance.factories import AllianceFactory, ObligationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for():
    def make(person) -> APIClient:
        c = APIClient()
        c.force_authenticate(person)
        return c

    return make


def test_without_credentials_the_api_answers_401_in_the_error_shape(core):
    response = Client().get("/api/obligations/")
    assert response.status_code == 401
    assert response.json() == {
        "status": 401, "code": "not_authenticated", "detail": "Authentication credentials were not provided."}
    assert response["WWW-Authenticate"] == "Token"


def test_token_authentication_works_for_a_partners_script(core, partner_staff):
    token = Token.objects.create(user=partner_staff)
    response = Client().get("/api/me/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert response.json()["organisation"]["slug"] == partner_staff.organisation.slug
    assert response.json()["roles"] == ["staff"]


def test_session_authentication_works_for_the_browser(core, client_for, sro):
    response = client_for(sro).get("/api/me/")
    assert response.json()["roles"] == ["board_representative", "sro"]


def test_whats_due_json_lists_my_organisations_open_obligations(dues, api_for, other_partner_staff):
    response = api_for(other_partner_staff).get("/api/obligations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert set(first) >= {"id", "kind", "title", "paragraph", "start_date", "due_date", "status", "days_left",
                          "overdue", "responsible_organisation", "responsible_person"}
    assert first["kind"] == "key_person_handover"
    assert first["overdue"] is True
    assert first["days_left"] == -9
    assert first["paragraph"] == "para 60"
    assert first["due_date"] == "2026-11-14"


def test_whats_due_json_filters_by_dates(dues, api_for, alliance_manager):
    response = api_for(alliance_manager).get("/api/obligations/", {"due_after": "2026-11-20", "due_before": "2026-11-30"})
    assert {o["kind"] for o in response.json()["results"]} == {"cv_call"}


def test_a_malformed_date_gives_400_naming_the_field(core, api_for, alliance_manager):
    response = api_for(alliance_manager).get("/api/obligations/", {"due_before": "2026-13-45"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["due_before"]
    assert "Date has wrong format" in body["errors"]["due_before"][0]


def test_alliance_manager_adds_an_obligation_through_the_api(core, api_for, alliance_manager):
    response = api_for(alliance_manager).post("/api/obligations/", {
        "kind": "other", "title": "Quarterly risk review", "paragraph": "seed 002",
        "start_date": "2026-11-23", "due_date": "2026-12-21",
        "responsible_organisation": core.partners[2].slug}, format="json")
    assert response.status_code == 201
    assert response.json()["responsible_organisation"]["slug"] == core.partners[2].slug
    assert response.json()["days_left"] == 28


def test_api_dates_in_the_wrong_order_give_400_and_save_nothing(core, api_for, alliance_manager):
    response = api_for(alliance_manager).post("/api/obligations/", {
        "title": "Backwards", "start_date": "2026-12-21", "due_date": "2026-11-23"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"due_date": [services.ERR_DUE_BEFORE_START]}
    assert not Obligation.objects.filter(title="Backwards").exists()


def test_wrong_role_cannot_add_obligations_403(core, api_for, partner_rep):
    response = api_for(partner_rep).post("/api/obligations/", {
        "title": "Mine", "start_date": "2026-11-23", "due_date": "2026-12-01"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"status": 403, "code": "permission_denied", "detail": services.ERR_NOT_ALLOWED_OBLIGATIONS}


def test_obligation_detail_allowed_wrong_role_and_other_organisation(dues, api_for, other_partner_staff, partner_staff):
    handover = dues.handover  # the other partner's
    assert api_for(other_partner_staff).get(f"/api/obligations/{handover.pk}/").status_code == 200
    meet = api_for(other_partner_staff).post(f"/api/obligations/{handover.pk}/meet/", {}, format="json")
    assert meet.status_code == 403
    hidden = api_for(partner_staff).get(f"/api/obligations/{handover.pk}/")
    assert hidden.status_code == 404
    assert hidden.json()["code"] == "not_found"
    assert api_for(partner_staff).post(f"/api/obligations/{handover.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_obligation_of_another_alliance_is_404(dues, api_for, alliance_manager):
    foreign = ObligationFactory(alliance=AllianceFactory())
    assert api_for(alliance_manager).get(f"/api/obligations/{foreign.pk}/").status_code == 404


def test_meet_cancel_redate_through_the_api(dues, api_for, alliance_manager):
    a, b, c = dues.cv_calls
    api = api_for(alliance_manager)
    assert api.post(f"/api/obligations/{a.pk}/meet/", {"on": "2026-11-22"}, format="json").json()["status"] == "met"
    redated = api.post(f"/api/obligations/{b.pk}/redate/", {"due_date": "2026-12-11", "reason": "four weeks"}, format="json")
    assert redated.json()["due_date"] == "2026-12-11"
    missing_reason = api.post(f"/api/obligations/{c.pk}/cancel/", {}, format="json")
    assert missing_reason.status_code == 400
    assert list(missing_reason.json()["errors"]) == ["reason"]
    again = api.post(f"/api/obligations/{a.pk}/meet/", {}, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "This obligation is met: only an open obligation can be met."
    c.refresh_from_db()
    assert c.status == ObligationStatus.OPEN


def test_notifications_api(dues, api_for, partner_staff):
    services.reminders_send()
    api = api_for(partner_staff)
    unread = api.get("/api/notifications/", {"unread": "true"}).json()
    assert unread["count"] == 1
    read = api.post(f"/api/notifications/{unread['results'][0]['id']}/read/").json()
    assert read["read"] is True
    assert api.get("/api/notifications/", {"unread": "true"}).json()["count"] == 0
    assert api.get("/api/notifications/", {"unread": "maybe"}).status_code == 400


def test_unknown_api_path_is_a_json_404(core, api_for, partner_staff):
    response = api_for(partner_staff).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_openapi_schema_and_docs_are_served_without_a_cdn(core, client_for, partner_staff):
    c = client_for(partner_staff)
    schema = c.get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200
    body = schema.json()
    assert body["openapi"].startswith("3.")
    assert "/api/obligations/" in body["paths"]
    docs = c.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "//unpkg" not in docs
