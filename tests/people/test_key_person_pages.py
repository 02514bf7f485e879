"""The pages of the Alliance key person selection (paras 48-60): each page with an allowed persona, a wrong role
(403) and another organisation (404); refusals re-render with status 400 and change nothing."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliance.models import Alliance, Person
from people.models import (
    Appointment,
    CandidateRequest,
    Interview,
    KeyPersonRole,
    Nomination,
    NominationStatus,
)
from people.permissions import ERR_NOT_MEMBER
from people.services import cvs, key_persons
from tests.people.conftest import pdf_file

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _nominate(people, role, username="wsp-staff", code="ded-director", name="Alex Morgan"):
    return key_persons.nomination_submit(actor=people[username], role=role(code), person_name=name,
                                      statement="Led the digital design of two programmes.", full_time=True,
                                      cv=pdf_file())


def _text(response) -> str:
    """The page's text with entities decoded, so that messages with apostrophes compare as written."""
    return html.unescape(response.content.decode())


# --- /people/ -----------------------------------------------------------------------------------------------
def test_partner_home_says_quota_not_met_and_lists_missing_roles(people, client_for):
    """Paras 48-52: four for the function's roles, at least two open to all."""
    response = client_for(people["wsp-staff"]).get(reverse("people"))
    assert response.status_code == 200
    page = _text(response)
    assert "Not met" in page
    assert "Lead for Digital Design" in page  # a missing Lot 2 role
    assert reverse("people-nominate", args=[KeyPersonRole.objects.get(code="ded-director").pk]) in page
    # Lot 3's roles are not offered to a Lot 2 partner (para 57).
    assert reverse("people-nominate", args=[KeyPersonRole.objects.get(code="osad-director").pk]) not in page


def test_partner_quota_is_met_with_four_function_and_two_pan_alliance_nominations(people, role, client_for):
    """Paras 48, 51-52."""
    for code in ["ded-director", "head-of-ded", "lead-digital-design", "lead-product-development",
                 "head-of-finance", "head-of-commercial"]:
        _nominate(people, role, code=code, name=f"Person {code}")
    response = client_for(people["wsp-rep"]).get(reverse("people"))
    assert response.status_code == 200
    page = _text(response)
    assert "<strong class=\"govuk-tag govuk-tag--green\">Met</strong>" in page
    assert "Not met" not in page
    assert "Person head-of-finance" in page  # the organisation's nominations with their status


def test_manager_home_has_every_partner_quota_and_every_role(people, role, client_for):
    _nominate(people, role)
    response = client_for(people["alliance-manager"]).get(reverse("people"))
    assert response.status_code == 200
    page = _text(response)
    for partner in ["Fluor", "Jacobs", "WSP", "Costain", "Balfour Beatty"]:
        assert partner in page
    assert page.count('data-testid="quotas"') == 1
    assert reverse("people-role", args=[role("head-of-finance").pk]) in page
    for name in ["people-chart", "people-nominations", "people-hub"]:
        assert reverse(name) in page
    assert "Vacant" in page


def test_client_reviewer_sees_the_catalogue_and_the_chart_link(people, client_for):
    response = client_for(people["client-reviewer"]).get(reverse("people"))
    assert response.status_code == 200
    page = _text(response)
    assert 'data-testid="catalogue"' in page
    assert reverse("people-chart") in page
    assert "people-nominate" not in page and "/nominate/" not in page


def test_people_pages_refuse_someone_with_no_organisation(catalogue, client_for):
    nobody = Person.objects.create_user(username="platform-only", password="x")  # noqa: S106
    c = client_for(nobody)
    for name in ["people", "people-chart", "people-nominations"]:
        response = c.get(reverse(name))
        assert response.status_code == 403, name
    assert c.get(reverse("people-role", args=[KeyPersonRole.objects.first().pk])).status_code == 403
    assert ERR_NOT_MEMBER  # the refusal's message is a constant


# --- /people/chart/ -------------------------------------------------------------------------------------------
def test_chart_shows_holders_since_when_and_vacant_posts(people, role, client_for):
    nomination = _nominate(people, role, code="head-of-ded", name="Jo Partner")
    key_persons.nomination_approve(actor=people["alliance-manager"], nomination=nomination)
    response = client_for(people["costain-staff"]).get(reverse("people-chart"))
    assert response.status_code == 200
    page = _text(response)
    assert "Jo Partner" in page
    assert "Since 23 Nov 2026" in page
    assert "Vacant" in page
    assert "Production Hub" in page and "Yes, the client keeps a presence (para 46)" in page
    assert '<th scope="col" class="govuk-table__header">Post</th>' in page


def test_chart_says_when_a_key_person_is_leaving(people, role, client_for):
    """Para 60."""
    nomination = _nominate(people, role, code="head-of-ded", name="Jo Partner")
    appointment = key_persons.nomination_approve(actor=people["alliance-manager"], nomination=nomination)
    key_persons.appointment_leave(actor=people["alliance-manager"], appointment=appointment,
                               leaving_on=dt.date(2027, 1, 15), reason="Another project")
    page = _text(client_for(people["sro"]).get(reverse("people-chart")))
    assert "Leaving on 15 Jan 2027" in page


# --- /people/roles/<pk>/ ----------------------------------------------------------------------------------------
def test_role_page_shows_posts_and_visible_nominations_side_by_side(people, role, client_for):
    wsp = _nominate(people, role, code="head-of-finance", name="Wendy Wsp")
    key_persons.nomination_submit(actor=people["costain-staff"], role=role("head-of-finance"), person_name="Carl Costain",
                               full_time=True, cv=pdf_file())
    url = reverse("people-role", args=[role("head-of-finance").pk])

    own = _text(client_for(people["wsp-staff"]).get(url))
    assert "Wendy Wsp" in own and "Carl Costain" not in own  # never another partner's nominee
    assert reverse("people-cv", args=[wsp.pk]) in own
    assert reverse("people-nominate", args=[role("head-of-finance").pk]) in own

    manager = client_for(people["alliance-manager"]).get(url)
    assert manager.status_code == 200
    page = _text(manager)
    assert "Wendy Wsp" in page and "Carl Costain" in page
    assert 'data-testid="candidates-form"' in page and 'data-testid="refer-form"' in page


def test_role_page_offers_a_partner_specific_post_per_partner_of_the_lot(people, role, client_for):
    page = _text(client_for(people["alliance-manager"]).get(reverse("people-role", args=[role("head-of-ded").pk])))
    assert "Jacobs's post" in page and "WSP's post" in page
    assert 'data-testid="refer-form"' not in page  # para 54 is for pan-alliance roles only


def test_role_of_another_alliance_is_not_found(people, client_for):
    other = Alliance.objects.create(name="Other", slug="other", start_date=TODAY)
    foreign = KeyPersonRole.objects.create(alliance=other, code="x", title="X", selection="pan_alliance")
    c = client_for(people["wsp-staff"])
    assert c.get(reverse("people-role", args=[foreign.pk])).status_code == 404
    assert c.get(reverse("people-nominate", args=[foreign.pk])).status_code == 404


# --- /people/roles/<pk>/nominate/ --------------------------------------------------------------------------------
def test_nominate_page_submits_a_nomination_with_its_cv(people, role, client_for):
    c = client_for(people["wsp-staff"])
    url = reverse("people-nominate", args=[role("ded-director").pk])
    get = c.get(url)
    assert get.status_code == 200
    assert 'accept=".pdf,.docx"' in _text(get) and 'enctype="multipart/form-data"' in _text(get)
    response = c.post(url, {"person_name": "Alex Morgan", "statement": "Great", "full_time": "on", "cv": pdf_file()})
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("people-nomination", args=[nomination.pk])
    assert nomination.cv_name == "cv.pdf" and nomination.status == NominationStatus.SUBMITTED
    assert "You nominated Alex Morgan" in _text(c.get(response["Location"]))


def test_nominate_refuses_a_text_file_named_pdf_and_stores_nothing(people, role, client_for):
    fake = SimpleUploadedFile("cv.pdf", b"just some text, not a PDF", content_type="application/pdf")
    response = client_for(people["wsp-staff"]).post(
        reverse("people-nominate", args=[role("ded-director").pk]),
        {"person_name": "Alex Morgan", "full_time": "on", "cv": fake})
    assert response.status_code == 400
    page = _text(response)
    assert "govuk-error-summary" in page
    assert cvs.ERR_CV_TYPE in page
    assert Nomination.objects.count() == 0


def test_nominee_must_be_available_full_time(people, role, client_for):
    """Para 55: an unticked box is refused with the paragraph's message."""
    response = client_for(people["wsp-staff"]).post(
        reverse("people-nominate", args=[role("ded-director").pk]), {"person_name": "Alex Morgan", "cv": pdf_file()})
    assert response.status_code == 400
    page = _text(response)
    assert key_persons.ERR_NOMINATION_NOT_FULL_TIME in page
    assert 'href="#id_full_time"' in page  # the error summary links to the box
    assert Nomination.objects.count() == 0


def test_nominate_needs_a_name_and_a_cv(people, role, client_for):
    response = client_for(people["wsp-staff"]).post(reverse("people-nominate", args=[role("ded-director").pk]),
                                                    {"person_name": "", "full_time": "on"})
    assert response.status_code == 400
    page = _text(response)
    assert cvs.ERR_CV_REQUIRED in page and key_persons.ERR_NOMINATION_NAME in page
    assert "CV (optional)" not in page
    assert Nomination.objects.count() == 0


def test_nominate_refuses_a_wrong_role_and_a_role_not_open_to_the_organisation(people, role, client_for):
    """Para 57: a Lot 2 role is not open to a Lot 3 partner; a client reviewer does not nominate."""
    url = reverse("people-nominate", args=[role("head-of-ded").pk])
    assert client_for(people["client-reviewer"]).get(url).status_code == 403
    assert client_for(people["costain-staff"]).get(url).status_code == 403
    response = client_for(people["costain-staff"]).post(url, {"person_name": "X", "full_time": "on", "cv": pdf_file()})
    assert response.status_code == 403
    assert Nomination.objects.count() == 0


# --- /people/nominations/ ---------------------------------------------------------------------------------------
def _bulk_nominations(people, role, count: int, username="wsp-staff"):
    person = people[username]
    roles = [role("ded-director"), role("head-of-ded"), role("head-of-finance")]
    Nomination.objects.bulk_create([
        Nomination(alliance=roles[0].alliance, role=roles[i % 3], organisation=person.organisation,
                   post_organisation=person.organisation if roles[i % 3].is_partner_specific else None,
                   person_name=f"Nominee {i:03d}", submitted_by=person)
        for i in range(count)
    ])


def test_nominations_list_paginates_fifty_a_page(people, role, client_for):
    _bulk_nominations(people, role, 60)
    c = client_for(people["alliance-manager"])
    first = c.get(reverse("people-nominations"))
    assert first.status_code == 200
    assert _text(first).count('data-testid="nomination-row"') == 50
    assert "Page 1 of 2" in _text(first)
    second = c.get(reverse("people-nominations"), {"page": 2})
    assert _text(second).count('data-testid="nomination-row"') == 10
    assert "Head of Digitally Enabled Design (WSP)" in _text(first)


def test_nominations_list_queries_do_not_grow_with_rows(people, role, client_for):
    c = client_for(people["alliance-manager"])
    _bulk_nominations(people, role, 10)
    c.get(reverse("people-nominations"))  # warm the session and the content types
    with CaptureQueriesContext(connection) as ten:
        assert c.get(reverse("people-nominations")).status_code == 200
    _bulk_nominations(people, role, 50)
    with CaptureQueriesContext(connection) as sixty:
        assert c.get(reverse("people-nominations")).status_code == 200
    assert len(sixty.captured_queries) == len(ten.captured_queries)


def test_nominations_list_filters_and_hides_other_partners(people, role, client_for):
    _nominate(people, role, name="Wendy Wsp")
    _nominate(people, role, username="costain-staff", code="osad-director", name="Carl Costain")
    page = _text(client_for(people["costain-staff"]).get(reverse("people-nominations")))
    assert "Carl Costain" in page and "Wendy Wsp" not in page
    assert 'name="organisation"' not in page  # the organisation filter is the Alliance Manager's
    manager = client_for(people["alliance-manager"])
    page = _text(manager.get(reverse("people-nominations"), {"organisation": "wsp"}))
    assert "Wendy Wsp" in page and "Carl Costain" not in page
    page = _text(manager.get(reverse("people-nominations"), {"q": "carl", "status": "submitted"}))
    assert "Carl Costain" in page and "Wendy Wsp" not in page


# --- /people/nominations/<pk>/ -----------------------------------------------------------------------------------
def test_nomination_page_for_its_partner_the_manager_and_not_another_partner(people, role, client_for):
    nomination = _nominate(people, role)
    url = reverse("people-nomination", args=[nomination.pk])

    own = client_for(people["wsp-staff"]).get(url)
    assert own.status_code == 200
    page = _text(own)
    assert reverse("people-cv", args=[nomination.pk]) in page
    for testid in ["withdraw-form", "replace-form", "cv-delete", "history"]:
        assert f'data-testid="{testid}"' in page, testid
    assert "Who opened the CV" in page
    assert 'data-testid="shortlist-form"' not in page

    manager = _text(client_for(people["alliance-manager"]).get(url))
    for testid in ["shortlist-form", "reject-form", "interview-form", "propose-form"]:
        assert f'data-testid="{testid}"' in manager, testid
    assert 'data-testid="approve-form"' not in manager  # a lot-specific role goes to the Board (para 59)
    assert 'data-testid="withdraw-form"' not in manager

    other = client_for(people["costain-staff"])
    assert other.get(url).status_code == 404
    assert other.get(reverse("people-cv", args=[nomination.pk])).status_code == 404
    # The SRO decides only what is before the Board.
    assert client_for(people["sro"]).get(url).status_code == 404


def test_nomination_page_shows_a_deleted_cv_with_its_reason(people, role, client_for):
    nomination = _nominate(people, role)
    c = client_for(people["wsp-staff"])
    response = c.post(reverse("people-cv-delete", args=[nomination.pk]))
    assert response.status_code == 302
    page = _text(c.get(reverse("people-nomination", args=[nomination.pk])))
    assert "Deleted on 23 Nov 2026: CV deleted at the partner" in page
    assert 'data-testid="cv-delete"' not in page


# --- Steps of a nomination ---------------------------------------------------------------------------------------
def test_partner_withdraws_its_nomination(people, role, client_for):
    nomination = _nominate(people, role)
    url = reverse("people-nomination-withdraw", args=[nomination.pk])
    assert client_for(people["costain-staff"]).post(url).status_code == 404
    assert client_for(people["alliance-manager"]).post(url).status_code == 403
    assert client_for(people["wsp-staff"]).get(url).status_code == 405
    response = client_for(people["wsp-staff"]).post(url)
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.WITHDRAWN
    again = client_for(people["wsp-staff"]).post(url)
    assert again.status_code == 400
    assert "cannot be withdrawn" in _text(again)


def test_partner_replaces_its_nomination(people, role, client_for):
    nomination = _nominate(people, role)
    c = client_for(people["wsp-staff"])
    url = reverse("people-nomination-replace", args=[nomination.pk])
    refused = c.post(url, {"person_name": "Sam Other", "cv": pdf_file()})
    assert refused.status_code == 400
    assert key_persons.ERR_NOMINATION_NOT_FULL_TIME in _text(refused)
    response = c.post(url, {"person_name": "Sam Other", "full_time": "on", "cv": pdf_file()})
    replacement = Nomination.objects.get(person_name="Sam Other")
    assert response.status_code == 302
    assert response["Location"] == reverse("people-nomination", args=[replacement.pk])
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REPLACED
    assert client_for(people["alliance-manager"]).post(url, {"person_name": "Z", "full_time": "on"}).status_code == 403


def test_manager_shortlists_and_a_partner_cannot(people, role, client_for):
    """Para 56."""
    nomination = _nominate(people, role)
    url = reverse("people-nomination-shortlist", args=[nomination.pk])
    assert client_for(people["wsp-staff"]).post(url).status_code == 403
    assert client_for(people["costain-staff"]).post(url).status_code == 404
    assert client_for(people["alliance-manager"]).post(url).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SHORTLISTED


def test_rejection_needs_comments(people, role, client_for):
    nomination = _nominate(people, role)
    c = client_for(people["alliance-manager"])
    url = reverse("people-nomination-reject", args=[nomination.pk])
    refused = c.post(url, {"comments": ""})
    assert refused.status_code == 400
    assert key_persons.ERR_NOMINATION_COMMENTS in _text(refused)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert c.post(url, {"comments": "Not enough design experience."}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    assert "Not enough design experience." in _text(client_for(people["wsp-staff"]).get(
        reverse("people-nomination", args=[nomination.pk])))


def test_manager_records_an_interview_not_in_the_future(people, role, client_for):
    """Para 56."""
    nomination = _nominate(people, role)
    c = client_for(people["alliance-manager"])
    url = reverse("people-nomination-interview", args=[nomination.pk])
    data = {"held_on": "2026-11-30", "panel": "AM, SRO", "notes": "", "outcome": "suitable"}
    refused = c.post(url, data)
    assert refused.status_code == 400
    assert key_persons.ERR_INTERVIEW_FUTURE in _text(refused)
    assert Interview.objects.count() == 0
    assert c.post(url, data | {"held_on": "2026-11-20"}).status_code == 302
    assert Interview.objects.count() == 1
    assert client_for(people["wsp-rep"]).post(url, data | {"held_on": "2026-11-20"}).status_code == 403
    page = _text(client_for(people["wsp-staff"]).get(reverse("people-nomination", args=[nomination.pk])))
    assert "20 Nov 2026" in page and "Suitable" in page


def test_manager_approves_a_partner_specific_nominee(people, role, client_for):
    """Paras 50, 57."""
    nomination = _nominate(people, role, code="head-of-ded")
    url = reverse("people-nomination-approve", args=[nomination.pk])
    page = _text(client_for(people["alliance-manager"]).get(reverse("people-nomination", args=[nomination.pk])))
    assert 'data-testid="approve-form"' in page and 'data-testid="propose-form"' not in page
    assert client_for(people["wsp-rep"]).post(url).status_code == 403
    assert client_for(people["alliance-manager"]).post(url).status_code == 302
    assert Appointment.objects.get().person_name == "Alex Morgan"


def test_a_lot_specific_nominee_cannot_be_approved_without_the_board(people, role, client_for):
    """Para 59."""
    nomination = _nominate(people, role, code="ded-director")
    response = client_for(people["alliance-manager"]).post(reverse("people-nomination-approve", args=[nomination.pk]))
    assert response.status_code == 400
    assert key_persons.ERR_NOMINATION_NEEDS_BOARD in _text(response)
    assert Appointment.objects.count() == 0


def test_manager_proposes_to_the_board_and_the_page_links_the_decision(people, role, client_for):
    """Para 59."""
    nomination = _nominate(people, role)
    c = client_for(people["alliance-manager"])
    url = reverse("people-nomination-propose", args=[nomination.pk])
    past = c.post(url, {"closes_on": "2026-11-01"})
    assert past.status_code == 400
    assert client_for(people["wsp-staff"]).post(url, {"closes_on": ""}).status_code == 403
    assert c.post(url, {"closes_on": ""}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PROPOSED
    # Now before the Board: the SRO reads it and its CV, but not the CV's access log.
    sro = client_for(people["sro"]).get(reverse("people-nomination", args=[nomination.pk]))
    assert sro.status_code == 200
    page = _text(sro)
    assert reverse("board-decision", args=[nomination.decision_id]) in page
    assert reverse("people-cv", args=[nomination.pk]) in page
    assert "Who opened the CV" not in page


# --- Steps of a role ---------------------------------------------------------------------------------------------
def test_manager_asks_for_alternative_candidates(people, role, client_for):
    """Para 58."""
    url = reverse("people-request-candidates", args=[role("ded-director").pk])
    c = client_for(people["alliance-manager"])
    refused = c.post(url, {"message": "Someone with rail experience", "due_date": "2026-11-23"})
    assert refused.status_code == 400
    assert key_persons.ERR_REQUEST_DUE in _text(refused)
    assert client_for(people["wsp-rep"]).post(url, {"message": "x", "due_date": "2026-12-20"}).status_code == 403
    assert c.post(url, {"message": "Someone with rail experience", "due_date": "2026-12-20"}).status_code == 302
    assert CandidateRequest.objects.count() == 1


def test_manager_refers_an_unfilled_pan_alliance_role_to_the_board(people, role, organisation, client_for):
    """Para 54."""
    c = client_for(people["alliance-manager"])
    data = {"person_name": "Pat Board", "organisation": organisation("costain").pk, "statement": "", "closes_on": ""}
    response = c.post(reverse("people-refer", args=[role("head-of-finance").pk]), data)
    assert response.status_code == 302
    referral = Nomination.objects.get()
    assert referral.board_referral and referral.status == NominationStatus.PROPOSED
    refused = c.post(reverse("people-refer", args=[role("ded-director").pk]), data)
    assert refused.status_code == 400
    assert key_persons.ERR_REFERRAL_NOT_PAN in _text(refused)
    assert client_for(people["sro"]).post(reverse("people-refer", args=[role("head-of-cost-management").pk]),
                                          data).status_code == 403


# --- Appointments ---------------------------------------------------------------------------------------------------
def test_departure_then_successor_then_handover(people, role, client_for):
    """Para 60: a departure opens the post; the successor's appointment opens a one-month handover."""
    manager = client_for(people["alliance-manager"])
    first = key_persons.nomination_approve(actor=people["alliance-manager"],
                                        nomination=_nominate(people, role, code="head-of-ded", name="Jo First"))
    role_url = reverse("people-role", args=[role("head-of-ded").pk])
    assert 'data-testid="leave-form"' in _text(manager.get(role_url))
    leave = reverse("people-appointment-leave", args=[first.pk])
    assert client_for(people["wsp-staff"]).post(leave, {"leaving_on": "2027-01-15"}).status_code == 403
    refused = manager.post(leave, {"leaving_on": "2026-01-01", "reason": ""})
    assert refused.status_code == 400
    assert key_persons.ERR_APPOINTMENT_LEAVING_ORDER in _text(refused)
    assert manager.post(leave, {"leaving_on": "2027-01-15", "reason": "Another project"}).status_code == 302
    assert "leaving on 15 Jan 2027" in _text(manager.get(role_url))

    second = key_persons.nomination_approve(actor=people["alliance-manager"],
                                         nomination=_nominate(people, role, code="head-of-ded", name="Sam Second"))
    assert second.predecessor_id == first.pk
    page = _text(manager.get(role_url))
    assert 'data-testid="handover-form"' in page
    handover = reverse("people-handover", args=[second.pk])
    assert client_for(people["wsp-rep"]).post(handover).status_code == 403
    assert manager.post(handover).status_code == 302
    second.refresh_from_db()
    assert second.handover_completed_on == TODAY
    again = manager.post(handover)
    assert again.status_code == 400
    assert key_persons.ERR_HANDOVER_NONE in _text(again)


def test_appointment_of_another_alliance_is_not_found(people, role, client_for):
    other = Alliance.objects.create(name="Other", slug="other", start_date=TODAY)
    foreign_role = KeyPersonRole.objects.create(alliance=other, code="x", title="X", selection="pan_alliance")
    appointment = Appointment.objects.create(alliance=other, role=foreign_role, organisation=people["wsp-rep"].organisation,
                                             person_name="Z", started_on=TODAY, appointed_by=people["wsp-rep"])
    response = client_for(people["alliance-manager"]).post(
        reverse("people-appointment-leave", args=[appointment.pk]), {"leaving_on": "2027-01-01"})
    assert response.status_code == 404
