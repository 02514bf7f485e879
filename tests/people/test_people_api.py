"""The people API under /api/people/: exact paths and fields (paras 48-59, docs/domain.md section 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from people.api import ERR_UNKNOWN_ROLE
from people.models import CvAccess, Nomination, NominationStatus
from people.services import key_persons
from people.services.cvs import ERR_CV_EMPTY, ERR_CV_SIZE, ERR_CV_TYPE
from people.services.key_persons import (
    ERR_NOMINATION_NOT_FULL_TIME,
    ERR_NOMINATION_NOT_NOMINATOR,
    ERR_NOMINATION_ROLE_NOT_OPEN,
)
from tests.people.conftest import docx_file, pdf_file

pytestmark = pytest.mark.django_db

ROLES = "/api/people/roles/"
NOMINATIONS = "/api/people/nominations/"
SELECTIONS = {"partner_specific", "lot_specific", "pan_alliance"}


def _form(role: str = "ded-director", **overrides) -> dict:
    data = {"role": role, "person_name": "Alex Morgan", "statement": "Led the design of two schemes.",
            "full_time": "true", "cv": pdf_file()}
    data.update(overrides)
    return data


def _stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_FILES_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _submit(people, role, username: str, code: str, name: str = "Alex Morgan") -> Nomination:
    return key_persons.nomination_submit(actor=people[username], role=role(code), person_name=name, full_time=True,
                                      cv=pdf_file())


# --- Roles (paras 49, 51, 57) --------------------------------------------------------------------------------
def test_roles_list_gives_code_title_function_and_selection_paras_49_51_57(people, client_for):
    response = client_for(people["wsp-staff"]).get(ROLES)
    assert response.status_code == 200
    roles = response.json()
    assert isinstance(roles, list) and len(roles) == 18
    for item in roles:
        assert {"code", "title", "function", "selection"} <= set(item)
        assert item["selection"] in SELECTIONS
    by_code = {r["code"]: r for r in roles}
    assert by_code["head-of-ded"]["selection"] == "partner_specific"
    assert by_code["ded-director"]["selection"] == "lot_specific"
    assert by_code["head-of-finance"]["selection"] == "pan_alliance"
    assert by_code["head-of-finance"]["function"] == "Open to all partners"
    assert sum(r["selection"] == "pan_alliance" for r in roles) == 6


def test_first_listed_role_is_usable_by_wsp_staff_para_57(people, client_for):
    client = client_for(people["wsp-staff"])
    first = client.get(ROLES).json()[0]["code"]
    response = client.post(NOMINATIONS, _form(first))
    assert response.status_code == 201, response.content


def test_roles_list_is_for_members_only(people, client_for):
    assert Client().get(ROLES).status_code == 401


# --- Nominating (paras 48-55) -------------------------------------------------------------------------------
def test_nomination_with_a_pdf_cv_is_created_paras_48_55(people, client_for, settings):
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, _form())
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"id", "role", "organisation", "person_name", "status"} <= set(body)
    assert (body["role"], body["organisation"], body["person_name"], body["status"]) == (
        "ded-director", "wsp", "Alex Morgan", "submitted")
    nomination = Nomination.objects.get(pk=body["id"])
    assert nomination.has_cv and nomination.submitted_by == people["wsp-staff"]
    assert len(_stored_files(settings)) == 1


def test_nomination_with_a_docx_cv_is_created(people, client_for):
    response = client_for(people["wsp-rep"]).post(NOMINATIONS, _form("head-of-finance", cv=docx_file()))
    assert response.status_code == 201, response.content
    assert Nomination.objects.get(pk=response.json()["id"]).cv_name == "cv.docx"


@pytest.mark.parametrize(("upload", "message"), [
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100), ERR_CV_TYPE,
                 id="renamed-executable"),
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b"<html><body>Hi</body></html>"), ERR_CV_TYPE, id="html"),
    pytest.param(lambda: SimpleUploadedFile("cv.txt", b"plain text"), ERR_CV_TYPE, id="text"),
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b""), ERR_CV_EMPTY, id="empty"),
    pytest.param(lambda: pdf_file(size=10 * 1024 * 1024 + 1), ERR_CV_SIZE, id="too-large"),
])
def test_refused_cv_answers_400_naming_the_reason_and_stores_nothing(people, client_for, settings, upload, message):
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, _form(cv=upload()))
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == message
    assert not Nomination.objects.exists()
    assert _stored_files(settings) == []


def test_missing_cv_answers_400_and_stores_nothing(people, client_for, settings):
    data = _form()
    del data["cv"]
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, data)
    assert response.status_code == 400
    assert response.json()["errors"]["cv"] == ["No file was submitted."]
    assert not Nomination.objects.exists() and _stored_files(settings) == []


def test_unknown_role_answers_400(people, client_for, settings):
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, _form("chief-of-everything"))
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_UNKNOWN_ROLE
    assert not Nomination.objects.exists() and _stored_files(settings) == []


def test_not_full_time_answers_400_para_55(people, client_for, settings):
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, _form(full_time="false"))
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_NOMINATION_NOT_FULL_TIME
    assert not Nomination.objects.exists() and _stored_files(settings) == []


def test_role_of_another_lot_answers_400_para_57(people, client_for, settings):
    response = client_for(people["wsp-staff"]).post(NOMINATIONS, _form("osad-director"))
    assert response.status_code == 400
    assert response.json()["detail"] == ERR_NOMINATION_ROLE_NOT_OPEN
    assert not Nomination.objects.exists() and _stored_files(settings) == []


@pytest.mark.parametrize("username", ["client-reviewer", "alliance-manager"])
def test_wrong_role_cannot_nominate_403(people, client_for, settings, username):
    response = client_for(people[username]).post(NOMINATIONS, _form())
    assert response.status_code == 403
    assert response.json()["detail"] == ERR_NOMINATION_NOT_NOMINATOR
    assert not Nomination.objects.exists() and _stored_files(settings) == []


# --- Listing ------------------------------------------------------------------------------------------------
def test_partner_lists_only_its_own_organisations_nominations(people, role, client_for):
    own = _submit(people, role, "wsp-staff", "ded-director")
    colleague = _submit(people, role, "wsp-rep", "head-of-finance")
    _submit(people, role, "jacobs-staff", "ded-director")
    _submit(people, role, "costain-staff", "head-of-finance")
    response = client_for(people["wsp-staff"]).get(NOMINATIONS)
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["id"] for r in results} == {own.pk, colleague.pk}
    assert {r["organisation"] for r in results} == {"wsp"}


def test_alliance_manager_lists_all_nominations(people, role, client_for):
    _submit(people, role, "wsp-staff", "ded-director")
    _submit(people, role, "jacobs-staff", "ded-director")
    _submit(people, role, "costain-staff", "head-of-finance")
    results = client_for(people["alliance-manager"]).get(NOMINATIONS).json()["results"]
    assert sorted(r["organisation"] for r in results) == ["costain", "jacobs", "wsp"]


def test_board_member_lists_own_and_what_is_before_the_board_only(people, role, client_for):
    proposed = _submit(people, role, "wsp-staff", "ded-director")
    _submit(people, role, "jacobs-staff", "head-of-finance")
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=proposed)
    results = client_for(people["costain-rep"]).get(NOMINATIONS).json()["results"]
    assert [r["id"] for r in results] == [proposed.pk]
    assert results[0]["status"] == NominationStatus.PROPOSED


def test_nomination_detail_is_not_found_for_another_partner(people, role, client_for):
    nomination = _submit(people, role, "wsp-staff", "ded-director")
    url = f"{NOMINATIONS}{nomination.pk}/"
    assert client_for(people["wsp-rep"]).get(url).json()["id"] == nomination.pk
    assert client_for(people["costain-staff"]).get(url).status_code == 404


# --- CV download ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("username", "status"), [
    ("wsp-staff", 200), ("wsp-rep", 200), ("alliance-manager", 200),
    ("costain-staff", 404), ("costain-rep", 404), ("sro", 404), ("client-reviewer", 404),
])
def test_cv_download_for_those_allowed_404_for_others(people, role, client_for, username, status):
    nomination = _submit(people, role, "wsp-staff", "ded-director")
    response = client_for(people[username]).get(f"{NOMINATIONS}{nomination.pk}/cv/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert CvAccess.objects.get().via == "api"
    else:
        assert not CvAccess.objects.exists()


def test_unknown_nomination_cv_is_404(people, client_for):
    assert client_for(people["alliance-manager"]).get(f"{NOMINATIONS}999999/cv/").status_code == 404


# --- Anonymous and the schema ---------------------------------------------------------------------------------
def test_anonymous_is_refused_401_everywhere(people, role, settings):
    nomination = _submit(people, role, "wsp-staff", "ded-director")
    anonymous = Client()
    for url in (ROLES, NOMINATIONS, f"{NOMINATIONS}{nomination.pk}/", f"{NOMINATIONS}{nomination.pk}/cv/"):
        assert anonymous.get(url).status_code == 401, url
    assert anonymous.post(NOMINATIONS, _form()).status_code == 401
    assert Nomination.objects.count() == 1 and len(_stored_files(settings)) == 1
    assert not CvAccess.objects.exists()


def test_openapi_schema_lists_the_people_paths(people, client_for):
    response = client_for(people["wsp-staff"]).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/people/roles/", "/api/people/nominations/", "/api/people/nominations/{id}/",
                 "/api/people/nominations/{id}/cv/"):
        assert path in paths, path
    assert "post" in paths["/api/people/nominations/"]
    assert "multipart/form-data" in paths["/api/people/nominations/"]["post"]["requestBody"]["content"]
