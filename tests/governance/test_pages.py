"""The Board's pages: allowed persona, wrong role (403), another alliance's object (404); htmx voting."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.models import Role
from governance.models.board import DecisionType, Vote
from governance.services import board as board_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.pdf_samples import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(board, people):
    return board_services.meeting_schedule(actor=people["alliance-manager"], alliance=board, title="Alliance Board",
                                     location="Room 4", starts_at=timezone.now() + dt.timedelta(days=1))


@pytest.fixture
def paper(meeting, people):
    return board_services.paper_attach(actor=people["alliance-manager"], meeting=meeting, title="Report",
                                 upload=SimpleUploadedFile("report.pdf", minimal_pdf()))


def _pages(decision, meeting, paper):
    return [
        reverse("board"), reverse("board-decisions-csv"), reverse("board-decision", args=[decision.pk]),
        reverse("board-meeting", args=[meeting.pk]), reverse("board-minutes", args=[meeting.pk]),
        reverse("board-paper", args=[paper.pk]), reverse("board-matrix"),
    ]


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "wsp-rep", "wsp-delegate", "admin"])
def test_board_members_see_the_board_pages(table, meeting, paper, people, client_for, username):
    c = client_for(people[username])
    for url in _pages(table(), meeting, paper):
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("username", ["wsp-staff", "client-reviewer"])
def test_people_off_the_board_get_403_on_every_board_page(table, meeting, paper, people, client_for, username):
    c = client_for(people[username])
    for url in _pages(table(), meeting, paper):
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("board-decision-vote", args=[table().pk]), {"choice": "for"}).status_code == 403


def test_another_alliances_objects_are_404(table, meeting, paper, client_for):
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    alliance_services.role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    c = client_for(outsider)
    for url in _pages(table(), meeting, paper)[2:6]:
        assert c.get(url).status_code == 404, url


@pytest.mark.parametrize("url_name", ["board-decision-new", "board-meeting-new", "board-matrix-new"])
def test_wrong_role_cannot_open_the_forms_403(board, people, client_for, url_name):
    assert client_for(people["wsp-rep"]).get(reverse(url_name)).status_code == 403


def test_one_click_htmx_vote_returns_the_panel_with_the_confirmation(table, people, client_for):
    decision = table()
    response = client_for(people["costain-rep"]).post(
        reverse("board-decision-vote", args=[decision.pk]), {"choice": "against"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="vote-confirmed"' in page and "Against" in page
    assert "<html" not in page  # a fragment, swapped into the page
    assert Vote.objects.get(decision=decision).choice == "against"


def test_a_plain_form_vote_redirects_back_with_a_message(table, people, client_for):
    decision = table()
    response = client_for(people["wsp-rep"]).post(reverse("board-decision-vote", args=[decision.pk]),
                                                  {"choice": "for"}, follow=True)
    assert "Your organisation&#x27;s vote is recorded: For." in response.content.decode()


def test_an_htmx_vote_after_close_is_refused_in_the_panel_and_changes_nothing(table, people, client_for):
    """htmx 2 swaps only 2xx replies: the refusal comes back as a 200 panel that says why."""
    decision = table()
    board_services.decision_close(actor=people["alliance-manager"], decision=decision)
    response = client_for(people["costain-rep"]).post(
        reverse("board-decision-vote", args=[decision.pk]), {"choice": "for"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="vote-error"' in page and board_services.ERR_DECISION_CLOSED in page
    assert not Vote.objects.filter(decision=decision).exists()


def test_the_decision_page_explains_why_someone_cannot_vote(table, people, client_for):
    page = client_for(people["alliance-manager"]).get(reverse("board-decision", args=[table("funding").pk]))
    assert "only the SRO decides it" not in page.content.decode()  # the AM has no vote at all
    assert "do not vote (Table 2)" in page.content.decode()
    partner = client_for(people["wsp-rep"]).get(reverse("board-decision", args=[table("funding").pk]))
    assert "This is a client decision: only the SRO decides it (para 19)." in partner.content.decode()
    sro = client_for(people["sro"]).get(reverse("board-decision", args=[table("funding").pk])).content.decode()
    assert ">Approve</button>" in sro and ">Reject</button>" in sro


def test_tabling_a_decision_through_the_form(board, people, client_for):
    row = DecisionType.objects.get(alliance=board, code="periodic-instruction")
    closes = timezone.localtime() + dt.timedelta(days=2)
    response = client_for(people["alliance-manager"]).post(reverse("board-decision-new"), {
        "title": "Periodic Instruction for Q1", "description": "Cost resource profile (para 103)",
        "decision_type": row.pk, "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "paper": SimpleUploadedFile("profile.pdf", minimal_pdf()),
    })
    assert response.status_code == 302
    decision = row.decisions.get()
    assert decision.authority == "unanimous" and decision.papers.count() == 1


def test_tabling_with_a_text_file_as_paper_is_refused_and_tables_nothing(board, people, client_for):
    row = DecisionType.objects.get(alliance=board, code="periodic-instruction")
    response = client_for(people["alliance-manager"]).post(reverse("board-decision-new"), {
        "title": "x", "decision_type": row.pk,
        "closes_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "paper": SimpleUploadedFile("profile.pdf", b"not a pdf"),
    })
    assert response.status_code == 400
    assert board_services.ERR_PAPER_TYPE in response.content.decode()
    assert not row.decisions.exists()


def test_past_decisions_filter_and_csv_export(table, vote, people, client_for):
    approved = table(title="Approved one")
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep"]:
        vote(approved, username, "for")
    board_services.decision_close(actor=people["sro"], decision=approved)
    rejected = table(title="Rejected one")
    board_services.decision_close(actor=people["sro"], decision=rejected)
    c = client_for(people["wsp-rep"])
    page = c.get(reverse("board"), {"outcome": "approved"})
    assert [d.title for d in page.context["page"].object_list] == ["Approved one"]
    rows = list(csv.reader(io.StringIO(c.get(reverse("board-decisions-csv"), {"q": "one"}).content.decode())))
    assert rows[0][:3] == ["id", "title", "decision type"]
    assert {r[1]: r[5:10] for r in rows[1:]} == {
        "Approved one": ["Approved", "4", "0", "0", "3"], "Rejected one": ["Rejected", "0", "0", "0", "7"]}


def test_the_matrix_is_edited_and_versioned(board, people, client_for):
    row = DecisionType.objects.get(alliance=board, code="annual-metric-review")
    c = client_for(people["alliance-manager"])
    response = c.post(reverse("board-matrix-edit", args=[row.pk]), {
        "name": row.name, "authority": "unanimous", "paragraph": "para 147", "notes": "", "is_active": "on"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.authority == "unanimous" and row.code == "annual-metric-review"
    page = c.get(reverse("board-matrix-edit", args=[row.pk])).content.decode()
    assert "Unanimous decision of the Board" in page and "Majority decision of the Board" in page  # both versions


def test_opening_a_meeting_without_the_chair_shows_para_36(meeting, people, client_for):
    c = client_for(people["alliance-manager"])
    response = c.post(reverse("board-meeting-open", args=[meeting.pk]), follow=True)
    assert "The meeting cannot go ahead without the SRO or the SRO&#x27;s delegate: rearrange it (para 36)." in (
        response.content.decode())
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"


def test_papers_of_a_meeting_download_for_board_members(paper, people, client_for):
    response = client_for(people["wsp-rep"]).get(reverse("board-paper", args=[paper.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_minutes_download_as_pdf_with_the_decisions_and_votes(table, vote, meeting, people, client_for, board):
    row = DecisionType.objects.get(alliance=board, code="design-requirements")
    board_services.attendance_record(actor=people["alliance-manager"], meeting=meeting, person=people["sro"], status="present")
    board_services.meeting_open(actor=people["sro"], meeting=meeting)
    decision = board_services.decision_table(actor=people["sro"], alliance=board, title="Adopt design standard DS-1",
                                       decision_type=row, meeting=meeting)
    vote(decision, "wsp-rep", "for")
    board_services.meeting_end(actor=people["sro"], meeting=meeting)
    response = client_for(people["jacobs-rep"]).get(reverse("board-minutes-pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"Adopt design standard DS-1" in response.content  # uncompressed text: searchable and testable
    assert client_for(people["wsp-staff"]).get(reverse("board-minutes-pdf", args=[meeting.pk])).status_code == 403


def test_a_representative_sends_their_delegate_to_a_meeting(meeting, people, client_for):
    response = client_for(people["wsp-rep"]).post(reverse("board-meeting-delegate", args=[meeting.pk]),
                                                  {"delegate": people["wsp-delegate"].pk}, follow=True)
    assert "may now vote for your organisation at this meeting" in response.content.decode()
    assert meeting.delegations.get().delegate == people["wsp-delegate"]
    refused = client_for(people["wsp-rep"]).post(reverse("board-meeting-delegate", args=[meeting.pk]),
                                                 {"delegate": people["costain-delegate"].pk}, follow=True)
    assert "Choose your delegate." in refused.content.decode()
    assert meeting.delegations.count() == 1
