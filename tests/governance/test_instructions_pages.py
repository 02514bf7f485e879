"""Pages and API of client instructions: who sees what, each step through the browser's forms and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Obligation, Role
from governance.models.instructions import ClientInstruction, InstructionStage
from governance.services import board as board_services
from governance.services import instructions as instructions_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.governance.conftest import VOTERS
from tests.pdf_samples import minimal_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def instruction(board, people):
    return instructions_services.instruction_issue(actor=people["sro"], title="Add a gantry at J10", issued_on=dt.date(2026, 10, 1),
                                      description="Install a signal gantry.")


@pytest.fixture
def outsider_manager():
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "fluor-rep", "wsp-delegate", "client-reviewer"])
def test_the_register_and_an_instruction_are_open_to_the_board_and_client_reviewers(instruction, people, client_for,
                                                                                     username):
    c = client_for(people[username])
    assert c.get(reverse("instructions")).status_code == 200
    assert c.get(reverse("instruction", args=[instruction.pk])).status_code == 200
    assert c.get(reverse("api-instruction", args=[instruction.pk])).status_code == 200


def test_partner_staff_get_403_everywhere(instruction, people, client_for):
    c = client_for(people["wsp-staff"])
    for url in [reverse("instructions"), reverse("instructions-csv"), reverse("instruction", args=[instruction.pk]),
                reverse("api-instructions"), reverse("api-instruction", args=[instruction.pk])]:
        assert c.get(url).status_code == 403, url


def test_another_alliances_instruction_is_not_found(instruction, outsider_manager, client_for):
    c = client_for(outsider_manager)
    assert c.get(reverse("instruction", args=[instruction.pk])).status_code == 404
    assert c.get(reverse("api-instruction", args=[instruction.pk])).status_code == 404
    response = c.post(reverse("api-instruction-impact-assessment", args=[instruction.pk]), {"summary": "x"},
                      content_type="application/json")
    assert response.status_code == 404
    assert not hasattr(ClientInstruction.objects.get(pk=instruction.pk), "impact_assessment")


def test_the_register_marks_overdue_clocks_red_and_filters(instruction, people, client_for):
    instructions_services.instruction_issue(actor=people["sro"], title="Fresh one", issued_on=TODAY)
    page = client_for(people["alliance-manager"]).get(reverse("instructions")).content.decode()
    assert page.index("Add a gantry") < page.index("Fresh one")  # overdue first
    assert 'data-overdue="true"' in page and "Overdue by 25 days" in page
    filtered = client_for(people["alliance-manager"]).get(reverse("instructions"), {"overdue": "false"})
    assert "Add a gantry" not in filtered.content.decode() and "Fresh one" in filtered.content.decode()


def test_the_register_exports_csv_with_the_filters(instruction, people, client_for):
    response = client_for(people["alliance-manager"]).get(reverse("instructions-csv"), {"overdue": "true"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["reference", "title", "issued on"]
    assert rows[1][0] == "CI-001" and rows[1][5] == "Impact assessment and recommendation" and rows[1][8] == "yes"
    assert len(rows) == 2


def test_the_sro_issues_from_the_form_with_a_document(board, people, client_for):
    response = client_for(people["sro"]).post(reverse("instruction-new"), {
        "title": "Ministerial: speed limit signs", "issued_on": "2026-11-23", "ministerial": "on",
        "document": SimpleUploadedFile("letter.pdf", minimal_pdf()),
    })
    instruction = ClientInstruction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("instruction", args=[instruction.pk])
    assert instruction.ministerial and instruction.documents.count() == 1
    clock = Obligation.objects.get(subject_id=instruction.pk)
    assert clock.due_date == dt.date(2026, 12, 7)


def test_issuing_with_a_text_file_is_refused_and_issues_nothing(board, people, client_for):
    response = client_for(people["sro"]).post(reverse("instruction-new"), {
        "title": "x", "issued_on": "2026-11-23", "document": SimpleUploadedFile("letter.pdf", b"not a pdf"),
    })
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    assert not ClientInstruction.objects.exists() and not Obligation.objects.filter(kind="impact_assessment").exists()


def test_only_the_sro_may_open_the_issue_form(board, people, client_for):
    assert client_for(people["alliance-manager"]).get(reverse("instruction-new")).status_code == 403
    assert client_for(people["sro"]).get(reverse("instruction-new")).status_code == 200


def test_the_page_offers_each_person_only_their_step(instruction, people, client_for):
    manager = client_for(people["alliance-manager"]).get(reverse("instruction", args=[instruction.pk])).content.decode()
    assert 'data-testid="assessment-form"' in manager and "Withdraw" not in manager
    sro = client_for(people["sro"]).get(reverse("instruction", args=[instruction.pk])).content.decode()
    assert 'data-testid="assessment-form"' not in sro and "Withdraw the proposed instruction" in sro
    rep = client_for(people["fluor-rep"]).get(reverse("instruction", args=[instruction.pk])).content.decode()
    assert 'data-testid="assessment-form"' not in rep and "Withdraw the proposed instruction" not in rep


def test_a_partner_posting_the_assessment_gets_403_and_nothing_changes(instruction, people, client_for):
    response = client_for(people["fluor-rep"]).post(reverse("instruction-assessment", args=[instruction.pk]),
                                                    {"summary": "Go"})
    assert response.status_code == 403
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.PROPOSED


def test_the_whole_path_through_the_pages(instruction, people, client_for):
    manager, sro = client_for(people["alliance-manager"]), client_for(people["sro"])
    response = manager.post(reverse("instruction-assessment", args=[instruction.pk]), {
        "summary": "Recommend proceeding.", "cost_effect": "-2500.50", "time_effect_days": "3",
    })
    assert response.status_code == 302
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.BOARD_REVIEW and str(instruction.impact_assessment.cost_effect) == "-2500.50"
    page = manager.get(reverse("instruction", args=[instruction.pk])).content.decode()
    assert "Done 25 days late" in page  # the assessment was due 29 Oct, submitted 23 Nov
    assert "\u2212£2,500.50 (a saving)" in page
    for username in VOTERS:
        board_services.vote_cast(actor=people[username], decision=instruction.decision, choice="for")
    board_services.decision_close(actor=people["sro"], decision=instruction.decision)
    response = sro.post(reverse("instruction-client-decision", args=[instruction.pk]), {"accept": "no"})
    assert response.status_code == 400 and "Enter the reason" in response.content.decode()
    assert sro.post(reverse("instruction-client-decision", args=[instruction.pk]), {"accept": "yes"}).status_code == 302
    assert manager.post(reverse("instruction-instruct", args=[instruction.pk]),
                        {"instruction_text": "Proceed."}).status_code == 302
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.INSTRUCTED
    page = manager.get(reverse("instruction", args=[instruction.pk])).content.decode()
    assert "Proceed." in page and "The Alliance is instructed" in page


def test_a_step_out_of_order_on_the_page_shows_why(instruction, people, client_for):
    response = client_for(people["sro"]).post(reverse("instruction-client-decision", args=[instruction.pk]),
                                              {"accept": "yes"})
    assert response.status_code == 400
    assert "once the Board has approved the recommendation" in response.content.decode()


def test_documents_are_downloaded_by_viewers_only(instruction, people, client_for, outsider_manager):
    document = instructions_services.instruction_document_attach(
        actor=people["sro"], instruction=instruction, upload=SimpleUploadedFile("brief.pdf", minimal_pdf()))
    url = reverse("instruction-document", args=[document.pk])
    response = client_for(people["fluor-rep"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for(people["fluor-staff"]).get(url).status_code == 403
    assert client_for(outsider_manager).get(url).status_code == 404


# --- The API contract (issue 4) -----------------------------------------------------------------------------


def test_api_issue_returns_201_with_the_clock(board, people, client_for):
    response = client_for(people["sro"]).post(reverse("api-instructions"), {
        "title": "Widen the hard shoulder", "description": "J12-J13", "issued_on": "2026-11-20", "ministerial": False,
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["stage"] == "proposed" and isinstance(body["id"], int)
    [clock] = body["clocks"]
    assert clock["name"] == "Impact assessment and recommendation"
    assert (clock["started_on"], clock["due_on"], clock["met_on"]) == ("2026-11-20", "2026-12-18", None)


def test_api_impact_assessment_adds_the_boards_clock(instruction, people, client_for):
    response = client_for(people["alliance-manager"]).post(
        reverse("api-instruction-impact-assessment", args=[instruction.pk]), {"summary": "Recommend proceeding."},
        content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["stage"] == "board_review" and body["decision"] is not None
    assert [c["name"] for c in body["clocks"]] == ["Impact assessment and recommendation",
                                                   "Board review of the recommendation"]
    assert body["clocks"][0]["met_on"] == "2026-11-23" and body["clocks"][0]["late_by_days"] == 25
    assert body["clocks"][1]["due_on"] == "2026-12-21"


def test_api_overdue_filter(instruction, people, client_for):
    instructions_services.instruction_issue(actor=people["sro"], title="Fresh", issued_on=TODAY)
    body = client_for(people["alliance-manager"]).get(reverse("api-instructions"), {"overdue": "true"}).json()
    assert [r["id"] for r in body["results"]] == [instruction.pk]


def test_api_refusals_say_why_and_change_nothing(instruction, people, client_for):
    response = client_for(people["alliance-manager"]).post(reverse("api-instructions"), {
        "title": "x", "issued_on": "2026-11-20"}, content_type="application/json")
    assert response.status_code == 403 and "Only the SRO" in response.json()["detail"]
    response = client_for(people["sro"]).post(reverse("api-instructions"), {
        "title": "x", "issued_on": "2027-01-01"}, content_type="application/json")
    assert response.status_code == 400 and "future" in str(response.json())
    response = client_for(people["sro"]).post(reverse("api-instruction-client-decision", args=[instruction.pk]),
                                              {"accept": True}, content_type="application/json")
    assert response.status_code == 400
    assert ClientInstruction.objects.count() == 1
    assert ClientInstruction.objects.get().stage == InstructionStage.PROPOSED


def test_whats_due_shows_the_overdue_clock_and_its_page_links_to_the_instruction(instruction, people, client_for):
    c = client_for(people["alliance-manager"])
    due = c.get(reverse("whats-due")).content.decode()
    assert "Impact assessment and recommendation on CI-001" in due and "Overdue by 25 days" in due
    clock = Obligation.objects.get(subject_id=instruction.pk, kind="impact_assessment")
    page = c.get(reverse("obligation-detail", args=[clock.pk])).content.decode()
    assert f'href="{reverse("instruction", args=[instruction.pk])}"' in page


@pytest.mark.parametrize("url_name", ["instructions", "api-instructions"])
def test_the_register_reads_in_a_constant_number_of_queries(board, people, client_for, url_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(people["alliance-manager"])

    def queries() -> int:
        c.get(reverse(url_name))
        with CaptureQueriesContext(connection) as captured:
            assert c.get(reverse(url_name)).status_code == 200
        return len(captured)

    first = instructions_services.instruction_issue(actor=people["sro"], title="One", issued_on=dt.date(2026, 10, 1))
    instructions_services.impact_assessment_submit(actor=people["alliance-manager"], instruction=first, summary="Go")
    few = queries()
    for n in range(5):
        instructions_services.instruction_issue(actor=people["sro"], title=f"More {n}", issued_on=TODAY, ministerial=n % 2 == 0)
    assert queries() == few


def test_documents_are_attached_from_the_page_and_bad_files_refused(instruction, people, client_for):
    c = client_for(people["alliance-manager"])
    url = reverse("instruction-document-attach", args=[instruction.pk])
    response = c.post(url, {"document": SimpleUploadedFile("notes.docx", b"just text")})
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    assert not instruction.documents.exists()
    assert c.post(url, {"document": SimpleUploadedFile("a.pdf", minimal_pdf())}).status_code == 302
    assert instruction.documents.get().kind == "assessment"  # the Alliance Manager's is the assessment's
    assert client_for(people["fluor-rep"]).post(url, {"document": SimpleUploadedFile(
        "b.pdf", minimal_pdf())}).status_code == 403
    assert instruction.documents.count() == 1
