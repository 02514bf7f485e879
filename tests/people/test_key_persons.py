"""The Alliance key person selection (paras 48-60), through the services called directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import Obligation, ObligationKind, ObligationStatus
from governance.models import Decision
from governance.models.board import DecisionStatus, Outcome
from governance.services import board as gov
from people import selectors
from people.catalogue import KEY_PERSON_ROLES
from people.models import (
    Appointment,
    CandidateRequest,
    Interview,
    KeyPersonRole,
    Nomination,
    NominationStatus,
    Selection,
)
from people.services import key_persons
from people.services.key_persons import (
    ERR_APPOINTMENT_LEAVING,
    ERR_HANDOVER_NONE,
    ERR_INTERVIEW_FUTURE,
    ERR_NOMINATION_ALREADY_PROPOSED,
    ERR_NOMINATION_COMMENTS,
    ERR_NOMINATION_NEEDS_AM,
    ERR_NOMINATION_NEEDS_BOARD,
    ERR_NOMINATION_NOT_AM,
    ERR_NOMINATION_NOT_FULL_TIME,
    ERR_NOMINATION_NOT_NOMINATOR,
    ERR_NOMINATION_ROLE_NOT_OPEN,
    ERR_NOMINATION_STEP,
    ERR_REFERRAL_NOT_PAN,
    ERR_REQUEST_DUE,
)
from tests.people.conftest import VOTERS, pdf_file

pytestmark = pytest.mark.django_db

FUNCTION_ROLE_CODES = [code for code, _, lot, _, _ in KEY_PERSON_ROLES if lot is not None]
PARTNER_SPECIFIC_CODES = {"head-of-ded", "head-of-osad", "production-hub-director", "lead-production-planning",
                          "head-of-production-management", "lead-transport-logistics"}


# --- helpers ----------------------------------------------------------------------------------------------
def _nominate(people, role, username: str, code: str, name: str = "Alex Morgan") -> Nomination:
    return key_persons.nomination_submit(actor=people[username], role=role(code), person_name=name,
                                      statement="Twenty years in the field.", full_time=True, cv=pdf_file())


def _board_decides(people, decision: Decision, choice: str) -> Decision:
    for username in VOTERS:
        gov.vote_cast(actor=people[username], decision=decision, choice=choice)
    return gov.decision_close(actor=people["alliance-manager"], decision=decision)


def _appoint_by_board(people, nomination: Nomination) -> Appointment:
    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    _board_decides(people, decision, "for")
    return Appointment.objects.get(nomination=nomination)


def _obligations(kind: str, subject):
    return Obligation.objects.filter(kind=kind, subject_type=ContentType.objects.get_for_model(subject),
                                     subject_id=subject.pk)


def _messages(excinfo) -> list[str]:
    return excinfo.value.messages


def _refused(excinfo, message: str) -> bool:
    return message in _messages(excinfo)


# --- The catalogue (paras 49-51) ----------------------------------------------------------------------------
def test_catalogue_has_the_twelve_function_roles_of_para_49_and_six_pan_alliance_roles_of_para_51(catalogue):
    roles = list(KeyPersonRole.objects.filter(alliance=catalogue))
    function_roles = [r for r in roles if r.lot_id is not None]
    pan = [r for r in roles if r.selection == Selection.PAN_ALLIANCE]
    assert len(function_roles) == 12
    assert {r.code for r in function_roles} == set(FUNCTION_ROLE_CODES)
    assert len(pan) == 6 and all(r.lot_id is None for r in pan)
    # Four per function (para 49): Lot 1 Production Hub, Lot 2 Design, Lot 3 On-site Assembly.
    for number in (1, 2, 3):
        assert len([r for r in function_roles if r.lot.number == number]) == 4


def test_asterisked_roles_of_para_49_are_partner_specific_para_50(catalogue):
    roles = {r.code: r for r in KeyPersonRole.objects.filter(alliance=catalogue)}
    assert {c for c, r in roles.items() if r.selection == Selection.PARTNER_SPECIFIC} == PARTNER_SPECIFIC_CODES
    others = set(FUNCTION_ROLE_CODES) - PARTNER_SPECIFIC_CODES
    assert all(roles[c].selection == Selection.LOT_SPECIFIC for c in others)
    assert roles["ded-director"].lot.number == 2 and roles["osad-director"].lot.number == 3


# --- Who may nominate for what (para 57) --------------------------------------------------------------------
def test_partner_staff_may_nominate_for_its_lots_lot_specific_role_para_57(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.organisation.slug == "wsp" and nomination.post_organisation_id is None


def test_partner_staff_may_nominate_for_its_own_partner_specific_post_para_57(people, role, organisation):
    nomination = _nominate(people, role, "wsp-staff", "head-of-ded")
    assert nomination.post_organisation == organisation("wsp")


@pytest.mark.parametrize("code", ["osad-director", "production-hub-director"])
def test_partner_cannot_nominate_for_another_lots_roles_para_57(people, role, code):
    with pytest.raises(ValidationError) as refusal:
        _nominate(people, role, "wsp-staff", code)
    assert _refused(refusal, ERR_NOMINATION_ROLE_NOT_OPEN)
    assert not Nomination.objects.exists()


def test_client_may_nominate_for_lot_specific_and_pan_roles_not_partner_specific_para_57(people, role):
    assert _nominate(people, role, "sro", "ded-director").organisation.slug == "national-highways"
    _nominate(people, role, "sro", "head-of-finance")
    with pytest.raises(ValidationError) as refusal:
        _nominate(people, role, "sro", "head-of-ded")
    assert _refused(refusal, ERR_NOMINATION_ROLE_NOT_OPEN)
    assert Nomination.objects.count() == 2


def test_any_partner_may_nominate_for_a_pan_alliance_role_para_57(people, role):
    for username in ("fluor-staff", "wsp-rep", "balfour-beatty-delegate"):
        _nominate(people, role, username, "head-of-supply-chain")
    assert Nomination.objects.filter(role__code="head-of-supply-chain").count() == 3


def test_client_reviewer_cannot_nominate(people, role):
    with pytest.raises(PermissionDenied) as refusal:
        _nominate(people, role, "client-reviewer", "ded-director")
    assert str(refusal.value) == ERR_NOMINATION_NOT_NOMINATOR
    assert not Nomination.objects.exists()


# --- Full time (para 55) ------------------------------------------------------------------------------------
def test_nominee_not_available_full_time_is_refused_para_55(people, role, settings):
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_submit(actor=people["wsp-staff"], role=role("ded-director"), person_name="Part Timer",
                                   full_time=False, cv=pdf_file())
    assert _refused(refusal, ERR_NOMINATION_NOT_FULL_TIME)
    assert not Nomination.objects.exists()
    root = settings.PRIVATE_FILES_ROOT
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


# --- Quotas (paras 48-52) -----------------------------------------------------------------------------------
def test_quota_needs_four_function_roles_and_two_pan_alliance_paras_48_to_52(people, role, organisation, catalogue):
    for code in ("ded-director", "head-of-ded", "lead-digital-design"):
        _nominate(people, role, "wsp-staff", code)
    _nominate(people, role, "wsp-staff", "head-of-finance")
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert (quota.function_nominated, quota.pan_nominated, quota.met) == (3, 1, False)
    assert quota.missing_roles == ["Lead for Product Development and Standardisation"]

    _nominate(people, role, "wsp-staff", "lead-product-development")
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert (quota.function_nominated, quota.pan_nominated, quota.met) == (4, 1, False)

    _nominate(people, role, "wsp-staff", "head-of-commercial")
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert (quota.function_nominated, quota.pan_nominated, quota.met) == (4, 2, True)
    # Another partner's count is its own.
    [jacobs] = selectors.quotas(catalogue.pk, organisation("jacobs").pk)
    assert (jacobs.function_nominated, jacobs.pan_nominated, jacobs.met) == (0, 0, False)


def test_withdrawn_and_replaced_nominations_do_not_count_towards_quota_paras_48_to_52(people, role, organisation,
                                                                                     catalogue):
    first = _nominate(people, role, "wsp-staff", "head-of-finance")
    second = _nominate(people, role, "wsp-staff", "head-of-commercial")
    key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=first)
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert quota.pan_nominated == 1
    replacement = key_persons.nomination_replace(actor=people["wsp-staff"], nomination=second, person_name="Sam Other",
                                              full_time=True, cv=pdf_file())
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert quota.pan_nominated == 1  # the replacement counts, the replaced one does not
    key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=replacement)
    [quota] = selectors.quotas(catalogue.pk, organisation("wsp").pk)
    assert quota.pan_nominated == 0


# --- Withdraw and replace until decided -----------------------------------------------------------------------
def test_nomination_can_be_withdrawn_and_replaced_until_decided(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    replacement = key_persons.nomination_replace(actor=people["wsp-rep"], nomination=nomination, person_name="Jo Next",
                                              full_time=True, cv=pdf_file())
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REPLACED and nomination.decided_at is not None
    assert replacement.replaces == nomination and replacement.status == NominationStatus.SUBMITTED
    key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=replacement)
    withdrawn = key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=replacement)
    assert withdrawn.status == NominationStatus.WITHDRAWN


def test_proposed_nomination_cannot_be_withdrawn_or_replaced(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=nomination)
    assert _messages(refusal) == [ERR_NOMINATION_STEP.format(status="before the Board", action="withdrawn")]
    with pytest.raises(ValidationError):
        key_persons.nomination_replace(actor=people["wsp-staff"], nomination=nomination, person_name="Jo Next",
                                    full_time=True, cv=pdf_file())
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PROPOSED
    assert Nomination.objects.count() == 1


def test_appointed_nomination_cannot_be_withdrawn(people, role):
    nomination = _nominate(people, role, "wsp-staff", "head-of-ded")
    key_persons.nomination_approve(actor=people["alliance-manager"], nomination=nomination)
    with pytest.raises(ValidationError):
        key_persons.nomination_withdraw(actor=people["wsp-staff"], nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPOINTED


def test_another_partner_cannot_withdraw_a_nomination(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    with pytest.raises(PermissionDenied):
        key_persons.nomination_withdraw(actor=people["jacobs-staff"], nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


# --- The Alliance Manager's steps (paras 56-59) ---------------------------------------------------------------
@pytest.mark.parametrize("step", ["shortlist", "reject", "interview", "approve", "propose"])
def test_alliance_manager_steps_are_refused_to_partner_staff_paras_56_to_59(people, role, step):
    nomination = _nominate(people, role, "wsp-staff", "head-of-ded" if step == "approve" else "ded-director")
    actor = people["wsp-staff"]
    calls = {
        "shortlist": lambda: key_persons.nomination_shortlist(actor=actor, nomination=nomination),
        "reject": lambda: key_persons.nomination_reject(actor=actor, nomination=nomination, comments="No"),
        "interview": lambda: key_persons.interview_record(actor=actor, nomination=nomination,
                                                       held_on=dt.date(2026, 11, 20), panel="AM", outcome="suitable"),
        "approve": lambda: key_persons.nomination_approve(actor=actor, nomination=nomination),
        "propose": lambda: key_persons.nomination_propose(actor=actor, nomination=nomination),
    }
    with pytest.raises(PermissionDenied) as refusal:
        calls[step]()
    assert str(refusal.value) == ERR_NOMINATION_NOT_AM
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert not Interview.objects.exists() and not Appointment.objects.exists() and not Decision.objects.exists()


def test_alliance_manager_steps_are_refused_for_other_roles_candidates_leave_refer(people, role, organisation):
    for actor in (people["wsp-staff"], people["sro"]):
        with pytest.raises(PermissionDenied):
            key_persons.candidates_request(actor=actor, role=role("ded-director"), message="More please",
                                        due_date=dt.date(2026, 12, 14))
        with pytest.raises(PermissionDenied):
            key_persons.role_refer_to_board(actor=actor, role=role("head-of-finance"), person_name="X",
                                         organisation=organisation("wsp"))
    assert not CandidateRequest.objects.exists() and not Nomination.objects.exists()


def test_alliance_manager_shortlists_a_nomination_para_56(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    shortlisted = key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=nomination)
    assert shortlisted.status == NominationStatus.SHORTLISTED
    with pytest.raises(ValidationError):  # shortlisting twice is a step out of order
        key_persons.nomination_shortlist(actor=people["alliance-manager"], nomination=nomination)


def test_rejection_needs_comments_for_the_partner_para_58(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_reject(actor=people["alliance-manager"], nomination=nomination, comments="  ")
    assert _refused(refusal, ERR_NOMINATION_COMMENTS)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED and nomination.comments == ""
    rejected = key_persons.nomination_reject(actor=people["alliance-manager"], nomination=nomination,
                                          comments="Not enough delivery experience.")
    assert rejected.status == NominationStatus.REJECTED and rejected.comments == "Not enough delivery experience."
    assert rejected.decided_at is not None


def test_interview_is_recorded_once_held_not_in_the_future_para_56(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    with pytest.raises(ValidationError) as refusal:
        key_persons.interview_record(actor=people["alliance-manager"], nomination=nomination,
                                  held_on=dt.date(2026, 11, 24), panel="AM, SRO", outcome="suitable")
    assert _refused(refusal, ERR_INTERVIEW_FUTURE)
    assert not Interview.objects.exists()
    interview = key_persons.interview_record(actor=people["alliance-manager"], nomination=nomination,
                                          held_on=dt.date(2026, 11, 23), panel="AM, SRO", outcome="suitable")
    assert interview.nomination == nomination and Interview.objects.count() == 1


# --- Partner-specific roles: the Alliance Manager approves (paras 50, 57) ------------------------------------
def test_alliance_manager_approval_appoints_to_a_partner_specific_post_paras_50_57(people, role, organisation):
    chosen = _nominate(people, role, "wsp-staff", "head-of-ded", "Chosen One")
    other = _nominate(people, role, "wsp-rep", "head-of-ded", "Runner Up")
    jacobs = _nominate(people, role, "jacobs-staff", "head-of-ded", "Jacobs Head")
    appointment = key_persons.nomination_approve(actor=people["alliance-manager"], nomination=chosen)
    assert appointment.person_name == "Chosen One" and appointment.post_organisation == organisation("wsp")
    assert appointment.organisation == organisation("wsp") and appointment.started_on == dt.date(2026, 11, 23)
    chosen.refresh_from_db()
    other.refresh_from_db()
    jacobs.refresh_from_db()
    assert chosen.status == NominationStatus.APPOINTED
    assert other.status == NominationStatus.NOT_APPOINTED and other.decided_at is not None
    assert jacobs.status == NominationStatus.SUBMITTED  # Jacobs' post is another post
    assert selectors.post_holder(role("head-of-ded").pk, organisation("wsp").pk) == appointment


def test_partner_specific_nomination_cannot_be_proposed_to_the_board_paras_50_57(people, role):
    nomination = _nominate(people, role, "wsp-staff", "head-of-ded")
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    assert _refused(refusal, ERR_NOMINATION_NEEDS_AM)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED and not Decision.objects.exists()


def test_lot_specific_nomination_cannot_be_approved_by_the_alliance_manager_alone_para_59(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_approve(actor=people["alliance-manager"], nomination=nomination)
    assert _refused(refusal, ERR_NOMINATION_NEEDS_BOARD)
    assert not Appointment.objects.exists()


# --- Lot-specific and pan-alliance roles: the Board approves (para 59) ----------------------------------------
def test_proposal_tables_a_key_person_appointment_decision_and_board_approval_appoints_para_59(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director", "Dana Director")
    rival = _nominate(people, role, "jacobs-staff", "ded-director", "Rival Candidate")
    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    assert decision.decision_type.code == "key-person-appointment"
    assert decision.status == DecisionStatus.OPEN and decision.subject == nomination
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.PROPOSED and nomination.decision == decision
    assert not Appointment.objects.exists()

    closed = _board_decides(people, decision, "for")
    assert closed.outcome == Outcome.APPROVED
    nomination.refresh_from_db()
    rival.refresh_from_db()
    assert nomination.status == NominationStatus.APPOINTED
    appointment = Appointment.objects.get()
    assert appointment.nomination == nomination and appointment.person_name == "Dana Director"
    assert appointment.role == role("ded-director") and appointment.post_organisation_id is None
    assert rival.status == NominationStatus.NOT_APPOINTED


def test_board_rejection_leaves_the_post_vacant_para_59(people, role):
    nomination = _nominate(people, role, "wsp-staff", "ded-director")
    decision = key_persons.nomination_propose(actor=people["alliance-manager"], nomination=nomination)
    closed = _board_decides(people, decision, "against")
    assert closed.outcome == Outcome.REJECTED
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOT_APPOINTED and nomination.decided_at is not None
    assert not Appointment.objects.exists()
    assert selectors.post_holder(role("ded-director").pk, None) is None
    # The post stays open: another nomination can be made and proposed.
    again = _nominate(people, role, "jacobs-staff", "ded-director", "Second Try")
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=again)


def test_second_proposal_for_a_post_before_the_board_is_refused_para_59(people, role):
    first = _nominate(people, role, "wsp-staff", "ded-director", "First Person")
    second = _nominate(people, role, "jacobs-staff", "ded-director", "Second Person")
    key_persons.nomination_propose(actor=people["alliance-manager"], nomination=first)
    with pytest.raises(ValidationError) as refusal:
        key_persons.nomination_propose(actor=people["alliance-manager"], nomination=second)
    assert _refused(refusal, ERR_NOMINATION_ALREADY_PROPOSED.format(name="First Person"))
    second.refresh_from_db()
    assert second.status == NominationStatus.SUBMITTED and Decision.objects.count() == 1


def test_nominating_for_a_filled_post_is_refused_para_60(people, role):
    holder = _nominate(people, role, "wsp-staff", "ded-director", "Held By")
    _appoint_by_board(people, holder)
    with pytest.raises(ValidationError) as refusal:
        _nominate(people, role, "jacobs-staff", "ded-director", "Too Late")
    assert "This post is held by Held By" in _messages(refusal)[0]
    assert Nomination.objects.count() == 1


def test_nominating_for_a_filled_partner_specific_post_is_refused_but_another_partners_post_is_open(people, role):
    key_persons.nomination_approve(actor=people["alliance-manager"],
                                nomination=_nominate(people, role, "wsp-staff", "head-of-ded", "Wsp Head"))
    with pytest.raises(ValidationError):
        _nominate(people, role, "wsp-rep", "head-of-ded", "Another")
    _nominate(people, role, "jacobs-staff", "head-of-ded", "Jacobs Head")
    assert Nomination.objects.count() == 2


# --- Alternative candidates (para 58) -----------------------------------------------------------------------
def test_candidates_request_opens_an_obligation_per_eligible_partner_met_when_it_nominates_para_58(people, role):
    request = key_persons.candidates_request(actor=people["alliance-manager"], role=role("ded-director"),
                                          message="Someone with programme experience", due_date=dt.date(2026, 12, 14))
    obligations = _obligations(ObligationKind.KEY_PERSON_CANDIDATES, request)
    assert sorted(o.responsible_organisation.slug for o in obligations) == ["jacobs", "wsp"]
    assert all(o.due_date == dt.date(2026, 12, 14) and o.subject == request and o.paragraph == "para 58"
               for o in obligations)
    _nominate(people, role, "wsp-staff", "ded-director")
    by_org = {o.responsible_organisation.slug: o.status for o in obligations.all()}
    assert by_org == {"wsp": ObligationStatus.MET, "jacobs": ObligationStatus.OPEN}


def test_candidates_request_needs_a_future_due_date_para_58(people, role):
    before = Obligation.objects.count()
    with pytest.raises(ValidationError) as refusal:
        key_persons.candidates_request(actor=people["alliance-manager"], role=role("ded-director"),
                                    message="More please", due_date=dt.date(2026, 11, 23))
    assert _refused(refusal, ERR_REQUEST_DUE)
    assert not CandidateRequest.objects.exists() and Obligation.objects.count() == before


# --- A key person leaves (para 60) -------------------------------------------------------------------------
def test_departure_then_successor_opens_a_one_month_handover_for_the_outgoing_organisation_para_60(people, role,
                                                                                                   organisation):
    outgoing = _appoint_by_board(people, _nominate(people, role, "jacobs-staff", "ded-director", "Outgoing Person"))
    left = key_persons.appointment_leave(actor=people["alliance-manager"], appointment=outgoing,
                                      leaving_on=dt.date(2026, 11, 30), reason="Moving to another project")
    assert left.leaving_on == dt.date(2026, 11, 30)
    with pytest.raises(ValidationError) as refusal:
        key_persons.appointment_leave(actor=people["alliance-manager"], appointment=outgoing,
                                   leaving_on=dt.date(2026, 12, 1))
    assert _refused(refusal, ERR_APPOINTMENT_LEAVING)

    successor = _appoint_by_board(people, _nominate(people, role, "wsp-staff", "ded-director", "Incoming Person"))
    assert successor.predecessor == outgoing and successor.started_on == dt.date(2026, 11, 23)
    handover = _obligations(ObligationKind.KEY_PERSON_HANDOVER, successor).get()
    assert handover.due_date == dt.date(2026, 12, 23)
    assert handover.responsible_organisation == organisation("jacobs")
    assert handover.subject == successor and handover.status == ObligationStatus.OPEN

    key_persons.handover_complete(actor=people["alliance-manager"], appointment=successor)
    handover.refresh_from_db()
    successor.refresh_from_db()
    assert handover.status == ObligationStatus.MET
    assert successor.handover_completed_on == dt.date(2026, 11, 23)
    with pytest.raises(ValidationError) as refusal:
        key_persons.handover_complete(actor=people["alliance-manager"], appointment=successor)
    assert _refused(refusal, ERR_HANDOVER_NONE)


def test_first_appointment_has_no_handover_para_60(people, role):
    appointment = key_persons.nomination_approve(
        actor=people["alliance-manager"], nomination=_nominate(people, role, "wsp-staff", "head-of-ded"))
    assert appointment.predecessor is None
    assert not _obligations(ObligationKind.KEY_PERSON_HANDOVER, appointment).exists()
    with pytest.raises(ValidationError):
        key_persons.handover_complete(actor=people["alliance-manager"], appointment=appointment)


def test_departure_is_recorded_by_the_alliance_manager_only_para_60(people, role):
    appointment = key_persons.nomination_approve(
        actor=people["alliance-manager"], nomination=_nominate(people, role, "wsp-staff", "head-of-ded"))
    with pytest.raises(PermissionDenied):
        key_persons.appointment_leave(actor=people["wsp-rep"], appointment=appointment, leaving_on=dt.date(2026, 12, 1))
    appointment.refresh_from_db()
    assert appointment.leaving_on is None


# --- Unfilled pan-alliance roles go to the Board (para 54) --------------------------------------------------
def test_unfilled_pan_alliance_role_is_referred_to_the_board_para_54(people, role, organisation):
    decision = key_persons.role_refer_to_board(actor=people["alliance-manager"], role=role("head-of-finance"),
                                            person_name="Fin Lead", organisation=organisation("costain"))
    nomination = Nomination.objects.get()
    assert nomination.board_referral and nomination.status == NominationStatus.PROPOSED
    assert decision.decision_type.code == "key-person-appointment" and nomination.decision == decision
    _board_decides(people, decision, "for")
    appointment = Appointment.objects.get()
    assert appointment.person_name == "Fin Lead" and appointment.organisation == organisation("costain")


@pytest.mark.parametrize("code", ["ded-director", "head-of-ded"])
def test_referral_to_the_board_is_only_for_a_pan_alliance_role_para_54(people, role, organisation, code):
    with pytest.raises(ValidationError) as refusal:
        key_persons.role_refer_to_board(actor=people["alliance-manager"], role=role(code), person_name="X",
                                     organisation=organisation("wsp"))
    assert _refused(refusal, ERR_REFERRAL_NOT_PAN)
    assert not Nomination.objects.exists() and not Decision.objects.exists()


def test_referral_to_the_board_is_refused_for_a_held_pan_alliance_role_para_54(people, role, organisation):
    _appoint_by_board(people, _nominate(people, role, "wsp-staff", "head-of-finance"))
    with pytest.raises(ValidationError) as refusal:
        key_persons.role_refer_to_board(actor=people["alliance-manager"], role=role("head-of-finance"),
                                     person_name="X", organisation=organisation("costain"))
    assert _refused(refusal, ERR_REFERRAL_NOT_PAN)
    assert Nomination.objects.count() == 1 and Decision.objects.count() == 1
