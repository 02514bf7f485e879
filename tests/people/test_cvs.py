"""CVs are personal data (docs/domain.md section 3, paras 48-59): checked by content, kept privately, every download
logged, seen only by the submitting partner, the Alliance Manager and the Board while it decides, deleted on
request or after the retention period."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import config.settings as project_settings
from alliance.storage import private_storage
from governance.models import Decision
from governance.services import board as gov
from people.models import CvAccess, CvAccessAction, Nomination, NominationStatus
from people.services import cvs, key_persons
from people.services.cvs import (
    CV_MAX_BYTES,
    ERR_CV_EMPTY,
    ERR_CV_NOT_YOURS,
    ERR_CV_REQUIRED,
    ERR_CV_SIZE,
    ERR_CV_TYPE,
    cvs_purge,
)
from people.tasks import purge_cvs
from tests.people.conftest import VOTERS, docx_file, pdf_file

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- helpers ----------------------------------------------------------------------------------------------
def _submit(people, role, cv, *, username: str = "wsp-staff", code: str = "ded-director",
            name: str = "Alex Morgan") -> Nomination:
    return key_persons.nomination_submit(actor=people[username], role=role(code), person_name=name,
                                      statement="", full_time=True, cv=cv)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_FILES_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _page_url(nomination: Nomination) -> str:
    return f"/people/nominations/{nomination.pk}/cv/"


def _api_url(nomination: Nomination) -> str:
    return f"/api/people/nominations/{nomination.pk}/cv/"


def _board_decides(people, decision: Decision, choice: str) -> None:
    for username in VOTERS:
        gov.vote_cast(actor=people[username], decision=decision, choice=choice)
    gov.decision_close(actor=people["alliance-manager"], decision=decision)


# --- Accepted files -----------------------------------------------------------------------------------------
def test_pdf_cv_is_accepted_and_stored(people, role, settings):
    nomination = _submit(people, role, pdf_file())
    assert nomination.has_cv and nomination.cv_content_type == "application/pdf"
    assert nomination.cv_name == "cv.pdf" and nomination.cv_size == 2_000
    assert len(_stored_files(settings)) == 1


def test_docx_cv_is_accepted_by_its_content(people, role, settings):
    nomination = _submit(people, role, docx_file())
    assert nomination.has_cv and nomination.cv_content_type == DOCX
    assert nomination.cv.name.endswith(".docx")
    assert len(_stored_files(settings)) == 1


def test_cv_of_exactly_ten_megabytes_is_accepted(people, role, settings):
    nomination = _submit(people, role, pdf_file(size=CV_MAX_BYTES))
    assert nomination.cv_size == 10 * 1024 * 1024
    assert _stored_files(settings)[0].stat().st_size == 10 * 1024 * 1024


# --- Refused files: the reason, and nothing stored -----------------------------------------------------------
@pytest.mark.parametrize(("upload", "message"), [
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 500,
                                            content_type="application/pdf"), ERR_CV_TYPE, id="renamed-executable"),
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                                            content_type="application/pdf"), ERR_CV_TYPE, id="html-named-pdf"),
    pytest.param(lambda: SimpleUploadedFile("cv.txt", b"Alex Morgan, engineer.\n", content_type="text/plain"),
                 ERR_CV_TYPE, id="text-file"),
    pytest.param(lambda: SimpleUploadedFile("cv.docx", b"Not really a zip archive", content_type=DOCX),
                 ERR_CV_TYPE, id="text-named-docx"),
    pytest.param(lambda: SimpleUploadedFile("cv.pdf", b"", content_type="application/pdf"), ERR_CV_EMPTY,
                 id="empty-file"),
    pytest.param(lambda: pdf_file(size=CV_MAX_BYTES + 1), ERR_CV_SIZE, id="ten-megabytes-and-one-byte"),
    pytest.param(lambda: None, ERR_CV_REQUIRED, id="missing-file"),
])
def test_refused_cv_says_why_and_stores_nothing(people, role, settings, upload, message):
    with pytest.raises(ValidationError) as refusal:
        _submit(people, role, upload())
    assert refusal.value.message_dict == {"cv": [message]}
    assert not Nomination.objects.exists()
    assert _stored_files(settings) == []


def test_refused_replacement_cv_stores_nothing_and_keeps_the_nomination(people, role, settings):
    nomination = _submit(people, role, pdf_file())
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_replace(actor=people["wsp-staff"], nomination=nomination, person_name="Jo Next",
                                    full_time=True, cv=SimpleUploadedFile("cv.pdf", b"MZ\x90\x00"))
    assert refusal.value.message_dict == {"cv": [ERR_CV_TYPE]}
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED and Nomination.objects.count() == 1
    assert len(_stored_files(settings)) == 1


# --- Where the file lives ------------------------------------------------------------------------------------
def test_cv_is_stored_privately_under_a_random_name(people, role, settings):
    first = _submit(people, role, pdf_file("Alex_Morgan_CV.pdf"), name="Alex Morgan")
    second = _submit(people, role, pdf_file("Alex_Morgan_CV.pdf"), code="lead-digital-design", name="Alex Morgan")
    path = Path(first.cv.path).resolve()
    assert path.is_file()
    assert path.is_relative_to(Path(settings.PRIVATE_FILES_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert "alex" not in first.cv.name.lower() and "morgan" not in first.cv.name.lower()
    assert first.cv.name != second.cv.name
    assert first.cv_name == "Alex_Morgan_CV.pdf"  # the uploaded name is kept as data only


def test_private_files_root_is_outside_the_web_roots():
    private = Path(project_settings.PRIVATE_FILES_ROOT).resolve()
    for web_root in (project_settings.MEDIA_ROOT, project_settings.STATIC_ROOT):
        assert not private.is_relative_to(Path(web_root).resolve())


def test_private_storage_has_no_url(people, role):
    nomination = _submit(people, role, pdf_file())
    with pytest.raises(ValueError):
        private_storage().url(nomination.cv.name)
    with pytest.raises(ValueError):
        nomination.cv.url  # noqa: B018


def test_cv_is_not_served_under_media_or_private_urls(people, role, client_for):
    nomination = _submit(people, role, pdf_file())
    client = client_for(people["wsp-staff"])
    name = nomination.cv.name
    for url in (f"/media/{name}", f"/private/{name}", f"/media/{Path(name).name}", f"/private/{Path(name).name}",
                f"/static/{name}"):
        assert client.get(url).status_code == 404, url


# --- Downloads: who may read a CV -----------------------------------------------------------------------------
@pytest.mark.parametrize("url", [_page_url, _api_url], ids=["page", "api"])
@pytest.mark.parametrize("username", ["wsp-staff", "wsp-rep", "alliance-manager"])
def test_cv_downloads_as_an_attachment_for_the_submitting_partner_and_the_alliance_manager(
        people, role, client_for, url, username):
    nomination = _submit(people, role, pdf_file())
    response = client_for(people[username]).get(url(nomination))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="cv.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize("url", [_page_url, _api_url], ids=["page", "api"])
@pytest.mark.parametrize("username", ["costain-staff", "jacobs-rep", "client-reviewer"])
def test_cv_is_not_found_for_another_partner_or_the_client_reviewer(people, role, client_for, url, username):
    nomination = _submit(people, role, pdf_file())
    assert client_for(people[username]).get(url(nomination)).status_code == 404
    assert not CvAccess.objects.exists()


@pytest.mark.parametrize("url", [_page_url, _api_url], ids=["page", "api"])
@pytest.mark.parametrize("username", ["sro", "costain-rep"])
def test_board_members_read_a_cv_only_while_it_is_before_the_board_para_59(people, role, client_for, url,
                                                                           username):
    nomination = _submit(people, role, pdf_file())
    client = client_for(people[username])
    assert client.get(url(nomination)).status_code == 404  # submitted: not before the Board

    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    response = client.get(url(nomination))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"

    _board_decides(people, decision, "for")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPOINTED
    assert client.get(url(nomination)).status_code == 404  # decided: no longer before the Board


@pytest.mark.parametrize("url", [_page_url, _api_url], ids=["page", "api"])
def test_a_delegate_not_named_for_the_decision_cannot_open_the_cv_para_35(people, role, client_for, url):
    """While a nomination is before the Board its CV opens to the one person voting for each organisation on
    it: a delegate the representative has not named for that decision (or its meeting) does not vote, so the
    CV is not found for them, though the nomination itself is theirs to read (para 59)."""
    nomination = _submit(people, role, pdf_file())
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    client = client_for(people["jacobs-delegate"])
    assert client.get(url(nomination)).status_code == 404
    assert client.get(f"/people/nominations/{nomination.pk}/").status_code == 200
    detail = client.get(f"/api/people/nominations/{nomination.pk}/")
    assert detail.status_code == 200 and detail.json()["cv"] is None  # no link to what would be refused
    assert not CvAccess.objects.exists()


@pytest.mark.parametrize("url", [_page_url, _api_url], ids=["page", "api"])
def test_the_delegate_named_for_the_decision_opens_the_cv_and_the_representative_too_para_35(
        people, role, client_for, url):
    nomination = _submit(people, role, pdf_file())
    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    gov.delegation_grant(actor=people["jacobs-rep"], delegate=people["jacobs-delegate"], decision=decision)
    assert client_for(people["jacobs-delegate"]).get(url(nomination)).status_code == 200
    assert client_for(people["jacobs-rep"]).get(url(nomination)).status_code == 200
    assert client_for(people["costain-delegate"]).get(url(nomination)).status_code == 404  # named by no one
    detail = client_for(people["jacobs-delegate"]).get(f"/api/people/nominations/{nomination.pk}/").json()
    assert detail["cv"] == f"/api/people/nominations/{nomination.pk}/cv/"


def test_a_delegation_for_another_decision_opens_no_cv_para_35(people, role, client_for):
    nomination = _submit(people, role, pdf_file())
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    other = _submit(people, role, pdf_file(), code="lead-digital-design", name="Sam Lee")
    other_decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=other)
    gov.delegation_grant(actor=people["jacobs-rep"], delegate=people["jacobs-delegate"], decision=other_decision)
    client = client_for(people["jacobs-delegate"])
    assert client.get(_page_url(other)).status_code == 200
    assert client.get(_page_url(nomination)).status_code == 404


def test_every_download_is_logged_with_who_when_and_how(people, role, client_for):
    nomination = _submit(people, role, pdf_file())
    client_for(people["wsp-staff"]).get(_page_url(nomination))
    client_for(people["alliance-manager"]).get(_api_url(nomination))
    client_for(people["costain-staff"]).get(_api_url(nomination))  # refused: not logged
    log = list(CvAccess.objects.filter(nomination=nomination).order_by("id"))
    assert [(a.person.username, a.action, a.via) for a in log] == [
        ("wsp-staff", CvAccessAction.DOWNLOAD, "web"),
        ("alliance-manager", CvAccessAction.DOWNLOAD, "api"),
    ]
    assert all(a.at.date() == dt.date(2026, 11, 23) for a in log)


# --- Deletion on request ---------------------------------------------------------------------------------------
def test_submitting_partner_deletes_a_cv_the_nomination_stays(people, role, client_for, settings,
                                                              django_capture_on_commit_callbacks):
    nomination = _submit(people, role, pdf_file())
    path = Path(nomination.cv.path)
    with django_capture_on_commit_callbacks(execute=True):
        cvs.cv_delete(actor=people["wsp-rep"], nomination=nomination)
    assert not path.exists() and _stored_files(settings) == []
    nomination.refresh_from_db()
    assert nomination.cv_deleted_at is not None and not nomination.has_cv
    assert nomination.status == NominationStatus.SUBMITTED
    deletion = CvAccess.objects.get(nomination=nomination, action=CvAccessAction.DELETE)
    assert deletion.person == people["wsp-rep"]
    client = client_for(people["wsp-staff"])
    assert client.get(_page_url(nomination)).status_code == 404
    assert client.get(_api_url(nomination)).status_code == 404
    assert client.get(f"/api/people/nominations/{nomination.pk}/").json()["cv"] is None


def test_file_stays_until_the_deletion_commits(people, role, django_capture_on_commit_callbacks):
    nomination = _submit(people, role, pdf_file())
    path = Path(nomination.cv.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cvs.cv_delete(actor=people["wsp-staff"], nomination=nomination)
    assert path.exists() and len(callbacks) == 1


def test_another_partner_cannot_delete_a_cv(people, role, settings, django_capture_on_commit_callbacks):
    nomination = _submit(people, role, pdf_file())
    for username in ("costain-staff", "alliance-manager"):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied) as refusal:
            cvs.cv_delete(actor=people[username], nomination=nomination)
        assert str(refusal.value) == ERR_CV_NOT_YOURS
    nomination.refresh_from_db()
    assert nomination.has_cv and len(_stored_files(settings)) == 1
    assert not CvAccess.objects.exists()


def test_cv_delete_page_deletes_for_the_submitting_partner_and_is_not_found_for_another(
        people, role, client_for, settings, django_capture_on_commit_callbacks):
    nomination = _submit(people, role, pdf_file())
    url = f"/people/nominations/{nomination.pk}/cv/delete/"
    assert client_for(people["costain-staff"]).post(url).status_code == 404
    assert len(_stored_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["wsp-staff"]).post(url)
    assert response.status_code == 302
    assert _stored_files(settings) == []
    nomination.refresh_from_db()
    assert nomination.cv_deleted_at is not None


# --- Retention ----------------------------------------------------------------------------------------------
def _at(year: int, month: int, day: int):
    return time_machine.travel(dt.datetime(year, month, day, 9, 0, tzinfo=dt.UTC), tick=False)


def test_cvs_are_purged_six_months_after_the_decision_and_the_decision_record_stays(
        people, role, settings, django_capture_on_commit_callbacks):
    assert settings.CV_RETENTION_MONTHS == 6
    rejected = _submit(people, role, pdf_file(), name="Board Rejected")
    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=rejected)
    _board_decides(people, decision, "against")
    undecided = _submit(people, role, pdf_file(), code="lead-digital-design", name="Still Waiting")
    with _at(2027, 3, 1):
        recent = _submit(people, role, pdf_file(), code="lead-product-development", name="Recently Withdrawn")
        key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=recent)
    rejected_path = Path(Nomination.objects.get(pk=rejected.pk).cv.path)

    with _at(2027, 5, 22), django_capture_on_commit_callbacks(execute=True):
        assert cvs_purge() == 0  # not yet six months
    assert rejected_path.exists()

    with _at(2027, 5, 24), django_capture_on_commit_callbacks(execute=True):
        assert cvs_purge() == 1
    assert not rejected_path.exists()
    rejected.refresh_from_db()
    assert rejected.cv_deleted_at is not None and not rejected.has_cv
    assert rejected.status == NominationStatus.NOT_APPOINTED and rejected.decision_id == decision.pk
    assert Decision.objects.filter(pk=decision.pk).exists()
    assert CvAccess.objects.get(nomination=rejected, action=CvAccessAction.DELETE).via == "retention"
    for kept in (undecided, recent):
        kept.refresh_from_db()
        assert kept.has_cv and Path(kept.cv.path).exists()

    with _at(2027, 5, 25), django_capture_on_commit_callbacks(execute=True):
        assert cvs_purge() == 0  # idempotent
    assert len(_stored_files(settings)) == 2


def test_purge_task_deletes_old_cvs_and_is_idempotent(people, role, settings, django_capture_on_commit_callbacks):
    withdrawn = _submit(people, role, pdf_file())
    key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=withdrawn)
    appointed = _submit(people, role, pdf_file(), code="head-of-ded", name="Head Appointed")
    appointment = key_persons.nomination_approve(actor=people["alliance-manager"], nomination=appointed)
    undecided = _submit(people, role, pdf_file(), code="lead-digital-design")
    with _at(2027, 6, 1), django_capture_on_commit_callbacks(execute=True):
        assert purge_cvs() == 2
        assert purge_cvs() == 0
    assert len(_stored_files(settings)) == 1
    undecided.refresh_from_db()
    assert undecided.has_cv
    appointment.refresh_from_db()
    assert appointment.nomination_id == appointed.pk  # the appointment stays, without the CV
    appointed.refresh_from_db()
    assert appointed.status == NominationStatus.APPOINTED and appointed.cv_deleted_at is not None
