"""Production Hub resourcing (paras 63-71): the PMP's core resources, calls for CVs, the portfolio, the client's
presence; the pages with an allowed persona, a wrong role (403) and another organisation (404)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Obligation, ObligationKind, ObligationStatus, Person, Role
from governance.services import board as gov
from people.models import (
    Appointment,
    Nomination,
    NominationStatus,
    PortfolioStatus,
    ProposalStatus,
    ResourcingProposal,
)
from people.services import hub, key_persons
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.conftest import TODAY
from tests.people.conftest import PARTNERS, VOTERS, docx_file, pdf_file

pytestmark = pytest.mark.django_db


# --- Helpers ----------------------------------------------------------------------------------------------
def _board(people, decision, choice: str = "for") -> None:
    """Every voting member votes the same way and the Alliance Manager closes: the outcome handler runs."""
    for voter in VOTERS:
        gov.vote_cast(actor=people[voter], decision=decision, choice=choice)
    gov.decision_close(actor=people["alliance-manager"], decision=decision)


def _request(people, title: str = "Alliance Start Date", **kwargs) -> ResourcingProposal:
    am = people["alliance-manager"]
    return hub.proposal_request(actor=am, alliance=am.organisation.alliance, title=title, **kwargs)


def _candidate(people, proposal, hub_service, name: str = "Ada Lovelace", who: str = "fluor-staff") -> Nomination:
    return hub.proposal_candidate_add(actor=people[who], proposal=proposal, hub_service=hub_service,
                                           person_name=name, statement="", cv=pdf_file())


def _submitted(people, service) -> ResourcingProposal:
    proposal = _request(people)
    _candidate(people, proposal, service("programme-management"))
    return hub.proposal_submit(actor=people["fluor-staff"], proposal=proposal)


def _call(people, service, *, days: int = 14, codes=("risk-management", "change-management")):
    am = people["alliance-manager"]
    return hub.call_issue(actor=am, alliance=am.organisation.alliance, title="Remaining PMO roles",
                               roles="Risk manager, change analyst", services=[service(c) for c in codes],
                               closes_on=TODAY + dt.timedelta(days=days))


def _cv(people, call, service, who: str, name: str, code: str = "risk-management") -> Nomination:
    return hub.call_cv_submit(actor=people[who], call=call, hub_service=service(code), person_name=name,
                                   statement="", cv=pdf_file())


def _after_close(call):
    return time_machine.travel(dt.datetime.combine(call.closes_on + dt.timedelta(days=1), dt.time(10),
                                                   tzinfo=dt.UTC), tick=False)


def _obligations(kind: str, subject):
    """The obligations a record opened (the demo core has dated obligations of the same kinds, with no subject)."""
    return Obligation.objects.filter(kind=kind, subject_type=ContentType.objects.get_for_model(subject),
                                     subject_id=subject.pk)


def _messages(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def outsider():
    """The Alliance Manager of another alliance."""
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


# --- Core resources from the PMP (paras 65-66) ----------------------------------------------------------------
def test_first_round_is_due_three_months_after_the_alliance_start_date_para_66(people):
    proposal = _request(people)
    assert proposal.due_date == dt.date(2026, 10, 23)  # start 23 Jul 2026 + 3 months
    assert proposal.organisation.slug == "fluor"
    obligation = _obligations(ObligationKind.PMP_CORE_RESOURCES, proposal).get()
    assert obligation.responsible_organisation.slug == "fluor"
    assert obligation.due_date == dt.date(2026, 10, 23)
    assert obligation.status == ObligationStatus.OPEN


def test_a_later_round_is_due_three_months_from_today_para_66(people, service):
    _board(people, hub.proposal_approve(actor=people["alliance-manager"], proposal=_submitted(people, service)))
    assert _request(people, "Package 3").due_date == dt.date(2027, 2, 23)


def test_a_second_round_while_one_is_open_is_refused(people, client_for):
    _request(people)
    response = client_for(people["alliance-manager"]).post(reverse("people-proposal-request"), {"title": "Package 2"})
    assert response.status_code == 400
    assert "is still open" in _messages(response)
    assert ResourcingProposal.objects.count() == 1


def test_the_board_approving_deploys_the_core_candidates_and_meets_the_clock_para_66(people, service, client_for):
    am, pmp = client_for(people["alliance-manager"]), client_for(people["fluor-staff"])
    response = am.post(reverse("people-proposal-request"), {"title": "Alliance Start Date"})
    proposal = ResourcingProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("people-proposal", args=[proposal.pk])
    url = reverse("people-proposal", args=[proposal.pk])
    assert "Choose the services" in _messages(pmp.get(url))
    pm, cm = service("programme-management"), service("cost-management")
    assert pmp.post(reverse("people-proposal-services", args=[proposal.pk]),
                    {"services": [pm.pk, cm.pk], "note": "Two core services"}).status_code == 302
    for hub_service, name, cv in [(pm, "Ada Lovelace", pdf_file()), (cm, "Alan Turing", docx_file())]:
        response = pmp.post(reverse("people-proposal-candidate", args=[proposal.pk]),
                            {"hub_service": hub_service.pk, "person_name": name, "statement": "Fits", "cv": cv})
        assert response.status_code == 302, _messages(response)
    assert pmp.post(reverse("people-proposal-submit", args=[proposal.pk])).status_code == 302
    page = _messages(am.get(url))
    assert "With the Alliance Manager" in page and "Approve and send to the Board" in page
    assert am.post(reverse("people-proposal-approve", args=[proposal.pk]), {"closes_on": ""}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITH_BOARD
    assert reverse("board-decision", args=[proposal.decision_id]) in _messages(am.get(url))
    # The Board's voting members read the CVs of what they decide.
    candidate = proposal.candidates.first()
    assert client_for(people["wsp-rep"]).get(reverse("people-cv", args=[candidate.pk])).status_code == 200
    _board(people, proposal.decision)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    deployed = Appointment.objects.filter(hub_service__isnull=False).order_by("person_name")
    assert [(a.person_name, a.hub_service.code, a.organisation.slug) for a in deployed] == [
        ("Ada Lovelace", "programme-management", "fluor"), ("Alan Turing", "cost-management", "fluor")]
    assert set(proposal.candidates.values_list("status", flat=True)) == {NominationStatus.APPOINTED}
    obligation = _obligations(ObligationKind.PMP_CORE_RESOURCES, proposal).get()
    assert obligation.status == ObligationStatus.MET
    assert "Ada Lovelace" in _messages(client_for(people["costain-staff"]).get(reverse("people-hub")))


def test_only_the_pmp_edits_its_proposal_para_65(people, service, client_for):
    proposal = _request(people)
    with pytest.raises(PermissionDenied):
        hub.proposal_services_set(actor=people["wsp-staff"], proposal=proposal, services=[])
    with pytest.raises(PermissionDenied):
        _candidate(people, proposal, service("programme-management"), who="wsp-staff")
    # Another partner may not even see the round: 404.
    wsp = client_for(people["wsp-staff"])
    assert wsp.get(reverse("people-proposal", args=[proposal.pk])).status_code == 404
    assert wsp.post(reverse("people-proposal-services", args=[proposal.pk]), {"note": "x"}).status_code == 404
    # The Alliance Manager sees it but does not write the PMP's proposal: 403.
    am = client_for(people["alliance-manager"])
    assert am.post(reverse("people-proposal-services", args=[proposal.pk]), {"note": "x"}).status_code == 403
    assert am.post(reverse("people-proposal-submit", args=[proposal.pk])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.note == "" and proposal.status == ProposalStatus.REQUESTED


def test_submit_is_refused_without_a_cv_for_each_service_para_65(people, service, client_for):
    proposal = _request(people)
    pmp = client_for(people["fluor-rep"])
    response = pmp.post(reverse("people-proposal-submit", args=[proposal.pk]))
    assert response.status_code == 400 and hub.ERR_PROPOSAL_INCOMPLETE in _messages(response)
    hub.proposal_services_set(actor=people["fluor-rep"], proposal=proposal,
                                   services=[service("programme-management"), service("risk-management")])
    _candidate(people, proposal, service("programme-management"))
    response = pmp.post(reverse("people-proposal-submit", args=[proposal.pk]))
    assert response.status_code == 400 and hub.ERR_PROPOSAL_INCOMPLETE in _messages(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REQUESTED
    _candidate(people, proposal, service("risk-management"), name="Grace Hopper")
    assert pmp.post(reverse("people-proposal-submit", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_a_cv_that_is_not_a_pdf_or_docx_is_refused_and_nothing_is_saved(people, service, client_for):
    proposal = _request(people)
    response = client_for(people["fluor-staff"]).post(
        reverse("people-proposal-candidate", args=[proposal.pk]),
        {"hub_service": service("programme-management").pk, "person_name": "X",
         "cv": SimpleUploadedFile("cv.pdf", b"not a PDF at all", content_type="application/pdf")})
    assert response.status_code == 400
    assert Nomination.objects.count() == 0


def test_the_alliance_manager_returns_a_proposal_only_with_comments_para_66(people, service, client_for):
    proposal = _submitted(people, service)
    am = client_for(people["alliance-manager"])
    response = am.post(reverse("people-proposal-return", args=[proposal.pk]), {"comments": "  "})
    assert response.status_code == 400 and hub.ERR_PROPOSAL_COMMENTS in _messages(response)
    with pytest.raises(ValidationError) as refusal:
        hub.proposal_return(actor=people["alliance-manager"], proposal=proposal, comments="")
    assert hub.ERR_PROPOSAL_COMMENTS in refusal.value.messages
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    response = am.post(reverse("people-proposal-return", args=[proposal.pk]), {"comments": "Add cost management."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED and proposal.comments == "Add cost management."
    page = _messages(client_for(people["fluor-staff"]).get(reverse("people-proposal", args=[proposal.pk])))
    assert "Add cost management." in page and "Returned with comments" in page and "Submit the proposal" in page


def test_the_pmp_cannot_approve_or_return_its_own_proposal(people, service, client_for):
    proposal = _submitted(people, service)
    pmp = client_for(people["fluor-rep"])
    assert pmp.post(reverse("people-proposal-approve", args=[proposal.pk]), {}).status_code == 403
    assert pmp.post(reverse("people-proposal-return", args=[proposal.pk]), {"comments": "x"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED and proposal.decision_id is None


def test_the_board_rejecting_returns_the_proposal_to_the_pmp_para_66(people, service):
    proposal = _submitted(people, service)
    _board(people, hub.proposal_approve(actor=people["alliance-manager"], proposal=proposal), "against")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    assert "Not approved by the Board" in proposal.comments
    assert not Appointment.objects.exists()
    assert _obligations(ObligationKind.PMP_CORE_RESOURCES, proposal).get().status == ObligationStatus.OPEN
    # The PMP revises and resubmits.
    hub.proposal_submit(actor=people["fluor-staff"], proposal=proposal)


def test_a_cv_for_a_service_taken_out_of_the_proposal_is_not_deployed(people, service):
    proposal = _request(people)
    _candidate(people, proposal, service("programme-management"))
    _candidate(people, proposal, service("risk-management"), name="Dropped")
    hub.proposal_services_set(actor=people["fluor-staff"], proposal=proposal,
                                   services=[service("programme-management")])
    hub.proposal_submit(actor=people["fluor-staff"], proposal=proposal)
    _board(people, hub.proposal_approve(actor=people["alliance-manager"], proposal=proposal))
    assert list(Appointment.objects.values_list("person_name", flat=True)) == ["Ada Lovelace"]
    assert Nomination.objects.get(person_name="Dropped").status == NominationStatus.NOT_APPOINTED


# --- Calls for CVs (para 67) ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("days", "accepted"), [(13, False), (14, True), (28, True), (29, False)])
def test_a_call_gives_partners_two_to_four_weeks_para_67(people, service, client_for, days, accepted):
    response = client_for(people["alliance-manager"]).post(reverse("people-call-issue"), {
        "title": "Remaining roles", "roles": "Risk manager", "services": [service("risk-management").pk],
        "opens_on": TODAY.isoformat(), "closes_on": (TODAY + dt.timedelta(days=days)).isoformat(),
    })
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 400
        assert hub.ERR_CALL_WINDOW in _messages(response)
        assert not Obligation.objects.filter(kind=ObligationKind.CV_CALL, subject_id__isnull=False).exists()


def test_a_call_opens_an_obligation_for_each_partner_met_by_its_first_cv_para_67(people, service, client_for):
    call = _call(people, service)
    obligations = _obligations(ObligationKind.CV_CALL, call)
    assert sorted(obligations.values_list("responsible_organisation__slug", flat=True)) == sorted(PARTNERS)
    assert {o.due_date for o in obligations} == {call.closes_on}
    response = client_for(people["wsp-staff"]).post(reverse("people-call-cv", args=[call.pk]), {
        "hub_service": service("risk-management").pk, "person_name": "Mary Jackson", "statement": "", "cv": pdf_file()})
    assert response.status_code == 302, _messages(response)
    met = obligations.filter(status=ObligationStatus.MET)
    assert list(met.values_list("responsible_organisation__slug", flat=True)) == ["wsp"]
    assert obligations.filter(status=ObligationStatus.OPEN).count() == 5
    # The PMP answers the call too (para 67).
    _cv(people, call, service, "fluor-delegate", "Katherine Johnson")
    assert obligations.filter(status=ObligationStatus.MET).count() == 2


def test_a_cv_for_a_service_outside_the_call_is_refused(people, service, client_for):
    call = _call(people, service)
    response = client_for(people["wsp-staff"]).post(reverse("people-call-cv", args=[call.pk]), {
        "hub_service": service("cost-management").pk, "person_name": "X", "cv": pdf_file()})
    assert response.status_code == 400 and hub.ERR_CALL_SERVICE in _messages(response)
    with pytest.raises(ValidationError):
        _cv(people, call, service, "wsp-staff", "X", code="cost-management")
    assert not Nomination.objects.exists()


def test_a_cv_after_the_call_closes_is_refused_para_67(people, service, client_for):
    call = _call(people, service)
    with _after_close(call):
        response = client_for(people["wsp-staff"]).post(reverse("people-call-cv", args=[call.pk]), {
            "hub_service": service("risk-management").pk, "person_name": "Late", "cv": pdf_file()})
        assert response.status_code == 400
        assert "CVs can no longer be submitted" in _messages(response)
        assert "Closed" in _messages(client_for(people["wsp-staff"]).get(reverse("people-call", args=[call.pk])))
    assert not Nomination.objects.exists()


def test_a_cv_before_the_call_opens_is_refused_para_67(people, service):
    am = people["alliance-manager"]
    call = hub.call_issue(actor=am, alliance=am.organisation.alliance, title="Later", roles="Risk",
                               services=[service("risk-management")], opens_on=TODAY + dt.timedelta(days=7),
                               closes_on=TODAY + dt.timedelta(days=21))
    with pytest.raises(ValidationError) as refusal:
        _cv(people, call, service, "wsp-staff", "Early")
    assert "opens on 30 Nov 2026" in refusal.value.messages[0]


def test_only_partners_submit_cvs_in_a_call(people, service, client_for):
    call = _call(people, service)
    response = client_for(people["client-reviewer"]).post(reverse("people-call-cv", args=[call.pk]), {
        "hub_service": service("risk-management").pk, "person_name": "X", "cv": pdf_file()})
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_another_partners_cv_is_404_to_a_third_partner(people, service, client_for):
    call = _call(people, service)
    cv = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    assert client_for(people["costain-staff"]).get(reverse("people-cv", args=[cv.pk])).status_code == 404
    assert client_for(people["costain-rep"]).get(reverse("people-cv", args=[cv.pk])).status_code == 404
    assert client_for(people["wsp-delegate"]).get(reverse("people-cv", args=[cv.pk])).status_code == 200
    assert client_for(people["alliance-manager"]).get(reverse("people-cv", args=[cv.pk])).status_code == 200
    assert "Mary Jackson" not in _messages(client_for(people["costain-staff"]).get(reverse("people-call", args=[call.pk])))
    assert "Mary Jackson" in _messages(client_for(people["wsp-staff"]).get(reverse("people-call", args=[call.pk])))


# --- The portfolio (paras 68-70) ------------------------------------------------------------------------------
def test_a_recommendation_before_the_call_closes_is_refused_para_68(people, service, client_for):
    call = _call(people, service)
    cv = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    response = client_for(people["alliance-manager"]).post(reverse("people-call-recommend", args=[call.pk]),
                                                           {"candidates": [cv.pk], "summary": "Balanced"})
    assert response.status_code == 400 and "partners still have time" in _messages(response)
    assert not call.recommendations.exists()


def test_only_shortlisted_candidates_of_the_call_can_be_recommended_para_68(people, service, client_for):
    call, other_call = _call(people, service), _call(people, service, codes=("risk-management",))
    shortlisted = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    submitted = _cv(people, call, service, "costain-staff", "Dorothy Vaughan")
    elsewhere = _cv(people, other_call, service, "jacobs-staff", "Christine Darden")
    for cv in (shortlisted, elsewhere):
        key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    with _after_close(call):
        am = client_for(people["alliance-manager"])  # signed in on the day: the session would have expired
        response = am.post(reverse("people-call-recommend", args=[call.pk]),
                           {"candidates": [shortlisted.pk, submitted.pk], "summary": "Balanced"})
        assert response.status_code == 400
        assert "Only shortlisted candidates of this call can be recommended: Dorothy Vaughan" in _messages(response)
        with pytest.raises(ValidationError):
            hub.portfolio_recommend(actor=people["alliance-manager"], call=call,
                                         candidates=[shortlisted, elsewhere], summary="Balanced")
        assert not call.recommendations.exists()
        response = am.post(reverse("people-call-recommend", args=[call.pk]),
                           {"candidates": [shortlisted.pk], "summary": "Balanced"})
        assert response.status_code == 302
        assert call.recommendations.get().status == PortfolioStatus.WITH_BOARD
        page = _messages(am.get(reverse("people-call", args=[call.pk])))
        assert "Mary Jackson (recommended)" in page


def test_board_approval_deploys_the_portfolio_and_closes_the_others_para_70(people, service):
    call = _call(people, service)
    chosen = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    passed_over = _cv(people, call, service, "costain-staff", "Dorothy Vaughan")
    never_shortlisted = _cv(people, call, service, "jacobs-staff", "Christine Darden", code="change-management")
    for cv in (chosen, passed_over):
        key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    with _after_close(call):
        recommendation = hub.portfolio_recommend(actor=people["alliance-manager"], call=call, candidates=[chosen],
                                                      summary="One risk manager from WSP")
        _board(people, recommendation.decision)
    recommendation.refresh_from_db()
    assert recommendation.status == PortfolioStatus.APPROVED
    appointment = Appointment.objects.get()
    assert (appointment.person_name, appointment.hub_service.code, appointment.organisation.slug) == (
        "Mary Jackson", "risk-management", "wsp")
    for cv, status in [(chosen, NominationStatus.APPOINTED), (passed_over, NominationStatus.NOT_APPOINTED),
                       (never_shortlisted, NominationStatus.NOT_APPOINTED)]:
        cv.refresh_from_db()
        assert cv.status == status, cv.person_name


def test_board_rejection_comes_back_with_comments_para_69(people, service, client_for):
    call = _call(people, service)
    first = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    second = _cv(people, call, service, "costain-staff", "Dorothy Vaughan")
    for cv in (first, second):
        key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    with _after_close(call):
        am = client_for(people["alliance-manager"])
        rejected = hub.portfolio_recommend(actor=people["alliance-manager"], call=call, candidates=[first],
                                                summary="WSP only")
        _board(people, rejected.decision, "against")
        rejected.refresh_from_db()
        assert rejected.status == PortfolioStatus.REJECTED
        url = reverse("people-recommendation-comments", args=[rejected.pk])
        assert "Record the Board's comments" in _messages(am.get(reverse("people-call", args=[call.pk])))
        response = am.post(url, {"comments": ""})
        assert response.status_code == 400
        assert client_for(people["wsp-rep"]).post(url, {"comments": "x"}).status_code == 403
        response = am.post(url, {"comments": "Spread the roles across partners."})
        assert response.status_code == 302 and response["Location"] == reverse("people-call", args=[call.pk])
        rejected.refresh_from_db()
        assert rejected.board_comments == "Spread the roles across partners."
        # A new recommendation; the candidate of the rejected one who is left out is closed on approval.
        approved = hub.portfolio_recommend(actor=people["alliance-manager"], call=call, candidates=[second],
                                                summary="Costain")
        _board(people, approved.decision)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (NominationStatus.NOT_APPOINTED, NominationStatus.APPOINTED)


# --- The client's presence (paras 46, 64) ---------------------------------------------------------------------
def test_the_client_is_present_only_in_the_services_para_46_names(people, service, client_for):
    with pytest.raises(ValidationError) as refusal:
        hub.client_presence_deploy(actor=people["alliance-manager"], hub_service=service("commercial-management"),
                                        person_name="Client person")
    assert hub.ERR_PRESENCE_SERVICE in refusal.value.messages
    am = client_for(people["alliance-manager"])
    response = am.post(reverse("people-presence"), {"hub_service": service("commercial-management").pk,
                                                    "person_name": "Client person"})
    assert response.status_code == 400 and hub.ERR_PRESENCE_SERVICE in _messages(response)
    assert not Appointment.objects.exists()
    response = am.post(reverse("people-presence"), {"hub_service": service("risk-management").pk,
                                                    "person_name": "Client person"})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.organisation.kind == "client" and appointment.hub_service.code == "risk-management"
    assert "Client person" in _messages(am.get(reverse("people-presence")))
    overview = _messages(am.get(reverse("people-hub")))
    assert "Client person" in overview and "Client presence" in overview


# --- Pages: allowed persona, wrong role (403), another organisation (404) -------------------------------------
@pytest.mark.parametrize("username", ["alliance-manager", "sro", "client-reviewer", "fluor-staff", "wsp-rep"])
def test_the_overview_is_open_to_every_member(people, service, client_for, username):
    _request(people, "Round one")
    _call(people, service)
    response = client_for(people[username]).get(reverse("people-hub"))
    assert response.status_code == 200
    page = _messages(response)
    assert "Remaining PMO roles" in page
    assert ("Round one" in page) == (username in ("alliance-manager", "fluor-staff"))
    assert ("Issue a call for CVs" in page) == (username == "alliance-manager")


def test_the_pages_are_403_to_someone_of_no_member_organisation(smp, client_for):
    nobody = Person.objects.create_user(username="nobody", password="x")  # noqa: S106
    c = client_for(nobody)
    for name in ["people-hub", "people-proposal-request", "people-call-issue", "people-presence"]:
        assert c.get(reverse(name)).status_code == 403, name


@pytest.mark.parametrize("name", ["people-proposal-request", "people-call-issue", "people-presence"])
def test_the_alliance_managers_pages_are_403_to_other_roles(people, client_for, name):
    assert client_for(people["alliance-manager"]).get(reverse(name)).status_code == 200
    for username in ["sro", "fluor-rep", "wsp-staff", "client-reviewer"]:
        assert client_for(people[username]).get(reverse(name)).status_code == 403, username


def test_the_proposal_page_is_for_the_pmp_the_manager_and_the_board_once_it_decides(people, service, client_for,
                                                                                   outsider):
    proposal = _submitted(people, service)
    url = reverse("people-proposal", args=[proposal.pk])
    for username in ["alliance-manager", "fluor-staff"]:
        assert client_for(people[username]).get(url).status_code == 200, username
    for username in ["wsp-rep", "costain-staff", "client-reviewer"]:
        assert client_for(people[username]).get(url).status_code == 404, username
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(reverse("people-proposal-return", args=[proposal.pk]),
                                     {"comments": "x"}).status_code == 404
    hub.proposal_approve(actor=people["alliance-manager"], proposal=proposal)
    page = client_for(people["wsp-rep"]).get(url)
    assert page.status_code == 200 and "With the Board" in _messages(page)
    assert "Download" in _messages(page)  # the Board's voting members read the CVs they decide on
    assert client_for(people["wsp-staff"]).get(url).status_code == 404


def test_the_call_page_is_open_to_members_and_404_to_another_alliance(people, service, client_for, outsider):
    call = _call(people, service)
    url = reverse("people-call", args=[call.pk])
    page = client_for(people["wsp-staff"]).get(url)
    assert page.status_code == 200 and "Submit a CV" in _messages(page) and "14 days left" in _messages(page)
    page = client_for(people["client-reviewer"]).get(url)
    assert page.status_code == 200 and "Submit a CV" not in _messages(page)
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).post(reverse("people-call-cv", args=[call.pk]), {}).status_code == 404
    assert client_for(outsider).post(reverse("people-call-recommend", args=[call.pk]), {}).status_code == 404


def test_only_the_alliance_manager_recommends_a_portfolio(people, service, client_for):
    call = _call(people, service)
    cv = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    with _after_close(call):
        response = client_for(people["sro"]).post(reverse("people-call-recommend", args=[call.pk]),
                                                  {"candidates": [cv.pk], "summary": "x"})
        assert response.status_code == 403
        response = client_for(people["wsp-rep"]).post(reverse("people-call-recommend", args=[call.pk]),
                                                      {"candidates": [cv.pk], "summary": "x"})
        assert response.status_code == 403
    assert not call.recommendations.exists()


def test_comments_on_another_alliances_recommendation_are_404(people, service, client_for, outsider):
    call = _call(people, service)
    cv = _cv(people, call, service, "wsp-staff", "Mary Jackson")
    key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=cv)
    with _after_close(call):
        recommendation = hub.portfolio_recommend(actor=people["alliance-manager"], call=call, candidates=[cv],
                                                      summary="x")
    response = client_for(outsider).post(reverse("people-recommendation-comments", args=[recommendation.pk]),
                                         {"comments": "x"})
    assert response.status_code == 404


def test_a_production_hub_person_leaving_is_recorded_from_the_chart_and_drops_off_it(people, service, client_for):
    """Para 71: a Production Hub role falls vacant when its person leaves; the Alliance Manager records it on
    the organisation chart, and once the day has passed the person is no longer shown as deployed."""
    presence = hub.client_presence_deploy(actor=people["alliance-manager"], hub_service=service("risk-management"),
                                               person_name="Vikram Rao")
    manager = client_for(people["alliance-manager"])
    chart = manager.get(reverse("people-chart"))
    assert "Record that Vikram Rao leaves" in chart.content.decode()
    assert "Record that Vikram Rao leaves" not in client_for(people["wsp-staff"]).get(reverse("people-chart")).content.decode()
    assert client_for(people["wsp-staff"]).post(
        reverse("people-appointment-leave", args=[presence.pk]), {"leaving_on": "2026-11-30"}).status_code == 403
    response = manager.post(reverse("people-appointment-leave", args=[presence.pk]),
                            {"leaving_on": "2026-11-30", "reason": "Retiring"})
    assert response.status_code == 302 and response["Location"] == reverse("people-chart")
    presence.refresh_from_db()
    assert str(presence.leaving_on) == "2026-11-30"
    assert "leaving on 30 Nov 2026" in manager.get(reverse("people-chart")).content.decode()
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)):
        later = client_for(people["alliance-manager"]).get(reverse("people-chart")).content.decode()
    assert "Vikram Rao" not in later
