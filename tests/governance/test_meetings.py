"""Board meetings: no meeting without the chair (para 36), delegates (para 35), minutes (para 33)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from governance.models.board import DecisionType, MeetingStatus, Outcome
from governance.selectors import board as board_selectors
from governance.services import board as board_services
from tests.pdf_samples import minimal_pdf
from tests.people.conftest import docx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(board, people):
    return board_services.meeting_schedule(
        actor=people["alliance-manager"], alliance=board, title="Alliance Board", location="Room 4",
        starts_at=timezone.now() + dt.timedelta(days=1), agenda=[("Minutes", ""), ("Supply Chain Strategy", "")],
    )


def _attend(meeting, people, *usernames, status="present"):
    for username in usernames:
        board_services.attendance_record(actor=people["alliance-manager"], meeting=meeting, person=people[username],
                                   status=status)


def test_a_meeting_without_the_sro_cannot_be_opened(meeting, people):
    _attend(meeting, people, "alliance-manager", "fluor-rep", "jacobs-rep", "wsp-rep")
    _attend(meeting, people, "sro", status="apologies")
    with pytest.raises(ValidationError) as error:
        board_services.meeting_open(actor=people["alliance-manager"], meeting=meeting)
    assert error.value.messages == [board_services.ERR_NO_CHAIR]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_a_meeting_with_the_sro_present_opens(meeting, people):
    _attend(meeting, people, "sro")
    opened = board_services.meeting_open(actor=people["alliance-manager"], meeting=meeting)
    assert opened.status == MeetingStatus.IN_PROGRESS


def test_organisations_with_neither_representative_nor_delegate_are_flagged(meeting, people):
    _attend(meeting, people, "sro", "fluor-rep", "jacobs-delegate", "wsp-staff")
    _attend(meeting, people, "costain-rep", status="apologies")
    unrepresented = [o.slug for o in board_selectors.unrepresented_organisations(meeting)]
    assert unrepresented == ["wsp", "costain", "bam-msjv", "balfour-beatty"]  # client, lots 1-3, north to south


def test_rearranging_copies_the_agenda_and_decisions_at_the_old_meeting_are_not_taken(meeting, people, board):
    row = DecisionType.objects.get(alliance=board, code="design-requirements")
    decision = board_services.decision_table(actor=people["alliance-manager"], alliance=board, title="Design standard",
                                       decision_type=row, meeting=meeting)
    new = board_services.meeting_rearrange(actor=people["alliance-manager"], meeting=meeting,
                                     starts_at=timezone.now() + dt.timedelta(days=8))
    meeting.refresh_from_db()
    decision.refresh_from_db()
    assert meeting.status == MeetingStatus.REARRANGED and meeting.rearranged_to == new
    assert [i.title for i in new.agenda_items.all()] == ["Minutes", "Supply Chain Strategy"]
    assert (decision.status, decision.outcome) == ("closed", Outcome.NOT_TAKEN)


def test_meeting_decisions_are_voted_while_the_meeting_is_in_progress_and_close_when_it_ends(meeting, people, board):
    row = DecisionType.objects.get(alliance=board, code="design-requirements")
    decision = board_services.decision_table(actor=people["sro"], alliance=board, title="Design standard",
                                       decision_type=row, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        board_services.vote_cast(actor=people["wsp-rep"], decision=decision, choice="for")
    assert error.value.messages == [board_services.ERR_MEETING_NOT_IN_PROGRESS]
    _attend(meeting, people, "sro")
    board_services.meeting_open(actor=people["sro"], meeting=meeting)
    board_services.delegation_grant(actor=people["jacobs-rep"], delegate=people["jacobs-delegate"], meeting=meeting)
    for username in ["sro", "fluor-rep", "jacobs-delegate", "wsp-rep"]:
        board_services.vote_cast(actor=people[username], decision=decision, choice="for")
    board_services.meeting_end(actor=people["sro"], meeting=meeting)
    decision.refresh_from_db()
    assert (decision.status, decision.outcome, decision.votes_for) == ("closed", Outcome.APPROVED, 4)


def test_minutes_are_approved_by_the_chair_after_the_meeting_and_then_locked(meeting, people):
    _attend(meeting, people, "sro")
    board_services.meeting_open(actor=people["sro"], meeting=meeting)
    with pytest.raises(ValidationError):
        board_services.minutes_approve(actor=people["sro"], meeting=meeting)
    board_services.meeting_end(actor=people["sro"], meeting=meeting)
    board_services.minutes_update(actor=people["alliance-manager"], meeting=meeting, notes="Actions: none.")
    with pytest.raises(PermissionDenied):
        board_services.minutes_approve(actor=people["alliance-manager"], meeting=meeting)  # para 33: the chair approves
    board_services.minutes_approve(actor=people["sro"], meeting=meeting)
    with pytest.raises(ValidationError) as error:
        board_services.minutes_update(actor=people["alliance-manager"], meeting=meeting, notes="changed")
    assert error.value.messages == [board_services.ERR_MINUTES_LOCKED]
    meeting.refresh_from_db()
    assert meeting.minutes_notes == "Actions: none."


def test_only_the_alliance_manager_or_sro_schedules_meetings(board, people):
    with pytest.raises(PermissionDenied):
        board_services.meeting_schedule(actor=people["wsp-rep"], alliance=board, title="x", location="y",
                                  starts_at=timezone.now() + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("board-paper.pdf", minimal_pdf(), True),
        ("notes.pdf", b"just some text pretending to be a PDF", False),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", False),
        ("paper.docx", docx_file().read(), True),  # a real (minimal) Word file: its zip is opened and checked
        ("paper.docx", b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"\x00" * 50, False),  # not a zip
        ("paper.docx", b"PK\x03\x04" + b"\x00" * 100, False),  # a zip, but not an Office document
        ("drawing.svg", b"<svg onload=alert(1)></svg>", False),
    ],
)
def test_papers_are_checked_by_their_content(meeting, people, name, content, accepted):
    upload = SimpleUploadedFile(name, content)
    if accepted:
        paper = board_services.paper_attach(actor=people["alliance-manager"], meeting=meeting, title="Paper", upload=upload)
        assert paper.size == len(content)
    else:
        with pytest.raises(ValidationError) as error:
            board_services.paper_attach(actor=people["alliance-manager"], meeting=meeting, title="Paper", upload=upload)
        assert error.value.message_dict == {"file": [board_services.ERR_PAPER_TYPE]}
        assert not meeting.papers.exists()
