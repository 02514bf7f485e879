"""Optimisation business cases (paras 90-94, 101), minor post-allocation changes (paras 99-100) and the
client taking Lot 1 elements (para 102): every step and every refusal, which changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from alliance.models import Notification, Organisation
from allocation.demo import seed_optimisation
from allocation.models import (
    BusinessCaseStatus,
    MinorChange,
    MinorChangeStatus,
    OptimisationBusinessCase,
    OptimisationStage,
    PartnerAgreement,
    Scheme,
    SchemeAllocation,
)
from allocation.selectors.business_cases import business_case_timeline
from allocation.selectors.minor_changes import minor_change_timeline
from allocation.services.business_cases import (
    ERR_CASE_ACROSS_NEEDS_TWO_LOTS,
    ERR_CASE_ALLOCATION_MOVED,
    ERR_CASE_CRITERIA_NOT_MET,
    ERR_CASE_DUPLICATE_LINE,
    ERR_CASE_IN_OPEN_CASE,
    ERR_CASE_LOT,
    ERR_CASE_LUMP_SUM_REQUIRED,
    ERR_CASE_NO_CHANGES,
    ERR_CASE_NOT_ALLOCATED,
    ERR_CASE_NOT_WITHDRAWER,
    ERR_CASE_PARTNER_NOT_OF_LOT,
    ERR_CASE_POST_AWARD_NOT_AWARDED,
    ERR_CASE_PRE_AWARD_AWARDED,
    ERR_CASE_REASON_REQUIRED,
    ERR_CASE_SAME_PARTNER,
    ERR_CASE_SCHEME_OTHER_ALLIANCE,
    ERR_CASE_STEP,
    ERR_CASE_WITHIN_ONE_LOT,
    ProposedChange,
    business_case_client_decide,
    business_case_draft,
    business_case_edit,
    business_case_submit,
    business_case_withdraw,
)
from allocation.services.lot1 import (
    ERR_LOT1_ALREADY_CLIENT,
    ERR_LOT1_NO_SCHEMES,
    ERR_LOT1_NOT_ALLOCATED,
    ERR_LOT1_REASON_REQUIRED,
    ERR_LOT1_SCHEME_OTHER_ALLIANCE,
    lot1_client_take,
)
from allocation.services.minor_changes import (
    ERR_MINOR_AGREEMENT_MISSING,
    ERR_MINOR_DESCRIPTION_REQUIRED,
    ERR_MINOR_NOT_ALLOCATED,
    ERR_MINOR_NOT_WITHDRAWER,
    ERR_MINOR_PARTNER_REFUSED,
    ERR_MINOR_SAME_PARTNER,
    ERR_MINOR_SCHEME_OTHER_ALLIANCE,
    ERR_MINOR_STEP,
    ERR_MINOR_SUPPORTER_NOT_PARTNER,
    minor_change_agree,
    minor_change_raise,
    minor_change_table,
    minor_change_withdraw,
)
from governance.models import Decision, DecisionType
from governance.models.board import Authority, Outcome
from governance.services.board import _close, decision_table
from governance.tabling import ERR_CLOSES_ON_PAST
from tests.alliance.factories import AllianceFactory, OrganisationFactory
from tests.allocation._optimisation_fixtures import *  # noqa: F403
from tests.allocation._optimisation_fixtures import close_with

pytestmark = pytest.mark.django_db

WITHIN = OptimisationStage.PRE_AWARD_WITHIN_LOT
ACROSS = OptimisationStage.PRE_AWARD_ACROSS_LOTS
POST = OptimisationStage.POST_AWARD


def _current(scheme: Scheme, lot: int) -> str:
    return SchemeAllocation.objects.get(scheme=scheme, lot=lot).current_partner.slug


def _initial(scheme: Scheme, lot: int) -> str:
    return SchemeAllocation.objects.get(scheme=scheme, lot=lot).initial_partner.slug


def _draft(people, changes, *, stage=WITHIN, actor="alliance-manager", criteria_met=True, **fields):
    defaults = {"title": "Move P1's on-site work", "scope": "Gangs nearby finish early.", "effect_on_budget":
                Decimal("-250000"), "effect_on_time_days": -14, "effect_on_safety": "Fewer closures"}
    return business_case_draft(actor=people[actor], stage=stage, changes=changes, criteria_met=criteria_met,
                                        **{**defaults, **fields})


def _line(scheme, lot, partner):
    return ProposedChange(scheme=scheme, lot=lot, proposed_partner=partner)


def _refused(exc_info, message: str) -> None:
    assert message in " ".join(exc_info.value.messages)


# --- Drafting ---------------------------------------------------------------------------------------------


def test_a_draft_reads_each_lines_current_partner_from_the_allocation(people, orgs, schemes):
    """Para 91: the business case recommends changes against the current allocation."""
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    [line] = case.changes.all()
    assert (line.current_partner.slug, line.proposed_partner.slug, line.lot) == ("costain", "bam-msjv", 3)
    assert case.status == BusinessCaseStatus.DRAFT and case.history.count() == 1
    assert _current(schemes["P1"], 3) == "costain"  # a draft moves nothing


@pytest.mark.parametrize("username", ["sro", "costain-rep", "jacobs-staff", "client-reviewer"])
def test_only_the_alliance_manager_drafts_a_business_case(people, orgs, schemes, username):
    """Paras 91, 101: the Alliance prepares the case through its Alliance Manager."""
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])], actor=username)
    assert not OptimisationBusinessCase.objects.exists()


def test_the_proposed_partner_must_be_a_partner_of_that_lot(people, orgs, schemes):
    """Para 90: within a lot, the lot's partners share its work; a design partner cannot take on-site work."""
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["P1"], 3, orgs["wsp"])])
    _refused(refusal, ERR_CASE_PARTNER_NOT_OF_LOT.format(partner=orgs["wsp"], lot=3))
    assert not OptimisationBusinessCase.objects.exists()


def test_the_client_may_be_proposed_for_lot_1_only(people, orgs, schemes):
    """Para 102: the client may become Responsible Partner for Lot 1 elements, and for nothing else."""
    client = orgs["national-highways"]
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["P1"], 2, client)])
    _refused(refusal, ERR_CASE_PARTNER_NOT_OF_LOT.format(partner=client, lot=2))
    case = _draft(people, [_line(schemes["P1"], 1, client)])
    assert case.changes.get().proposed_partner == client


def test_the_proposed_partner_must_differ_from_the_current_one(people, orgs, schemes):
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["P1"], 3, orgs["costain"])])
    _refused(refusal, ERR_CASE_SAME_PARTNER.format(partner=orgs["costain"], lot=3, code="P1"))
    assert not OptimisationBusinessCase.objects.exists()


@pytest.mark.parametrize("stage", [WITHIN, ACROSS])
def test_a_pre_award_case_covers_proposed_schemes_only(people, orgs, schemes, stage):
    """Para 90: pre-award optimisation reviews the initial allocation before Scheme Orders (para 94)."""
    changes = [_line(schemes["A1"], 3, orgs["costain"])]
    if stage == ACROSS:
        changes.append(_line(schemes["P1"], 2, orgs["wsp"]))
    with pytest.raises(ValidationError) as refusal:
        _draft(people, changes, stage=stage)
    _refused(refusal, ERR_CASE_PRE_AWARD_AWARDED.format(code="A1"))
    assert not OptimisationBusinessCase.objects.exists()


def test_a_post_award_major_change_covers_awarded_schemes_only(people, orgs, schemes):
    """Para 101: a major change after award follows the business case route."""
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])], stage=POST, lump_sum_fee_change=Decimal("1"))
    _refused(refusal, ERR_CASE_POST_AWARD_NOT_AWARDED.format(code="P1"))
    case = _draft(people, [_line(schemes["A1"], 3, orgs["costain"])], stage=POST, lump_sum_fee_change=Decimal("-5000"))
    assert case.stage == POST


def test_a_post_award_major_change_states_the_lump_sum_fee_change(people, orgs, schemes):
    """Para 101: "together with the proposed change to the Lump Sum fees"."""
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["A1"], 3, orgs["costain"])], stage=POST)
    assert refusal.value.message_dict["lump_sum_fee_change"] == [ERR_CASE_LUMP_SUM_REQUIRED]
    assert not OptimisationBusinessCase.objects.exists()


def test_a_scheme_of_another_alliance_is_refused(people, orgs, schemes):
    other = AllianceFactory()
    foreign = Scheme(pk=10**6, alliance=other, code="X1", status="proposed")
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(foreign, 3, orgs["bam-msjv"])])
    _refused(refusal, ERR_CASE_SCHEME_OTHER_ALLIANCE)
    assert not OptimisationBusinessCase.objects.exists()


def test_an_unallocated_scheme_or_a_wrong_lot_is_refused(people, orgs, schemes):
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["U1"], 3, orgs["bam-msjv"])])
    _refused(refusal, ERR_CASE_NOT_ALLOCATED.format(code="U1", lot=3))
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [_line(schemes["P1"], 4, orgs["bam-msjv"])])
    _refused(refusal, ERR_CASE_LOT)
    assert not OptimisationBusinessCase.objects.exists()


def test_within_lot_changes_one_lot_and_across_lots_two_or_more(people, orgs, schemes):
    """Para 90: the two stages of review, within a lot and across lots."""
    two_lots = [_line(schemes["P1"], 3, orgs["bam-msjv"]), _line(schemes["P2"], 2, orgs["jacobs"])]
    with pytest.raises(ValidationError) as refusal:
        _draft(people, two_lots, stage=WITHIN)
    _refused(refusal, ERR_CASE_WITHIN_ONE_LOT.format(lots="2 and 3"))
    with pytest.raises(ValidationError) as refusal:
        _draft(people, two_lots[:1], stage=ACROSS)
    _refused(refusal, ERR_CASE_ACROSS_NEEDS_TWO_LOTS.format(lots=3))
    assert not OptimisationBusinessCase.objects.exists()
    assert _draft(people, two_lots, stage=ACROSS).changes.count() == 2


def test_a_case_needs_lines_named_once_a_title_and_a_scope(people, orgs, schemes):
    line = _line(schemes["P1"], 3, orgs["bam-msjv"])
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [line, line])
    _refused(refusal, ERR_CASE_DUPLICATE_LINE.format(lot=3, code="P1"))
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [])
    _refused(refusal, ERR_CASE_NO_CHANGES)
    with pytest.raises(ValidationError) as refusal:
        _draft(people, [line], title=" ", scope="")
    assert set(refusal.value.message_dict) == {"title", "scope"}
    assert not OptimisationBusinessCase.objects.exists()


def test_a_draft_is_edited_and_its_lines_replaced(people, orgs, schemes):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])], criteria_met=False)
    business_case_edit(actor=people["alliance-manager"], business_case=case, title="Move P2 instead",
                                stage=WITHIN, scope="Better", changes=[_line(schemes["P2"], 3, orgs["bam-msjv"])],
                                criteria_met=True, risks="Few")
    case.refresh_from_db()
    [line] = case.changes.all()
    assert (case.title, case.criteria_met, case.risks, line.scheme.code, line.current_partner.slug) == (
        "Move P2 instead", True, "Few", "P2", "balfour-beatty")
    assert case.history.count() == 2


def test_editing_is_refused_once_submitted_and_for_other_roles(people, orgs, schemes):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    fields = {"title": "Changed", "stage": WITHIN, "scope": "x", "changes": [_line(schemes["P2"], 3, orgs["costain"])]}
    with pytest.raises(PermissionDenied):
        business_case_edit(actor=people["sro"], business_case=case, **fields)
    business_case_submit(actor=people["alliance-manager"], business_case=case)
    with pytest.raises(ValidationError) as refusal:
        business_case_edit(actor=people["alliance-manager"], business_case=case, **fields)
    _refused(refusal, ERR_CASE_STEP.format(status="with the Board", action="edited"))
    case.refresh_from_db()
    assert case.title == "Move P1's on-site work" and case.changes.get().scheme.code == "P1"


# --- The three conditions of para 92 ----------------------------------------------------------------------


def test_submitting_is_refused_until_the_criteria_are_met(people, orgs, schemes):
    """Para 92, first bullet: the optimisation must accord with the pre-determined criteria."""
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])], criteria_met=False)
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=case)
    assert refusal.value.message_dict["criteria_met"] == [ERR_CASE_CRITERIA_NOT_MET]
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT and case.decision is None and not Decision.objects.exists()


def test_submitting_tables_a_majority_decision_of_the_matrix_type(people, orgs, schemes):
    """Para 92, second bullet: the Board approves; the Decision Matrix's "optimisation-business-case"."""
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    with pytest.raises(PermissionDenied):
        business_case_submit(actor=people["sro"], business_case=case)
    business_case_submit(actor=people["alliance-manager"], business_case=case,
                                  closes_on=dt.date(2026, 12, 1))
    case.refresh_from_db()
    decision = case.decision
    assert case.status == BusinessCaseStatus.WITH_BOARD
    assert (decision.decision_type.code, decision.authority, decision.subject_id) == (
        "optimisation-business-case", Authority.MAJORITY, case.pk)
    assert "P1 Lot 3: Costain → BAM Nuttall / Morgan Sindall JV" in decision.description
    assert decision.closes_at.date() == dt.date(2026, 12, 1)
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=case)
    _refused(refusal, ERR_CASE_STEP.format(status="with the Board", action="submitted to the Board"))


def test_the_boards_closing_day_must_be_after_today(people, orgs, schemes):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=case,
                                      closes_on=dt.date(2026, 11, 23))
    assert refusal.value.message_dict["closes_on"] == [ERR_CLOSES_ON_PAST]
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT


def _with_board(people, orgs, schemes, **fields):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"]), _line(schemes["P1"], 1, orgs["national-highways"])],
                  stage=ACROSS, **fields)
    return business_case_submit(actor=people["alliance-manager"], business_case=case)


def test_an_approved_case_changes_the_current_partner_never_the_initial_one(people, orgs, schemes):
    """Para 92: criteria, Board, client. Para 87, last bullet: tolerance keeps the initial allocation."""
    case = _with_board(people, orgs, schemes)
    close_with(case.decision, people, "for")
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_CLIENT
    assert _current(schemes["P1"], 3) == "costain"  # the Board alone moves nothing
    assert Notification.objects.filter(recipient=people["sro"], title__contains=case.title).exists()
    for username in ("alliance-manager", "costain-rep"):
        with pytest.raises(PermissionDenied, match="Only the SRO"):
            business_case_client_decide(actor=people[username], business_case=case, approve=True)
    business_case_client_decide(actor=people["sro"], business_case=case, approve=True)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.APPROVED and case.client_decided_by == people["sro"]
    assert (_current(schemes["P1"], 3), _initial(schemes["P1"], 3)) == ("bam-msjv", "costain")
    assert (_current(schemes["P1"], 1), _initial(schemes["P1"], 1)) == ("national-highways", "fluor")
    allocation = SchemeAllocation.objects.get(scheme=schemes["P1"], lot=3)
    latest = allocation.history.latest()
    assert latest.history_user == people["sro"] and "para 92" in latest.history_change_reason
    assert "from Costain" in latest.history_change_reason
    assert allocation.history.count() == 2  # created, then moved: kept in history


def test_a_board_rejection_leaves_the_initial_allocation_standing(people, orgs, schemes):
    """Para 93: the Board not approving, the change is not approved and the initial allocation stands."""
    case = _with_board(people, orgs, schemes)
    decision = close_with(case.decision, people, "for", against=("sro", "fluor-rep", "jacobs-rep", "wsp-rep"))
    assert decision.outcome == Outcome.REJECTED
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.REJECTED
    assert "para 93" in case.history.latest().history_change_reason
    with pytest.raises(ValidationError) as refusal:
        business_case_client_decide(actor=people["sro"], business_case=case, approve=True)
    _refused(refusal, ERR_CASE_STEP.format(status="not approved: the initial allocation stands",
                                                    action="approved by the client"))
    assert _current(schemes["P1"], 3) == "costain" and _current(schemes["P1"], 1) == "fluor"


def test_a_board_decision_not_taken_leaves_the_initial_allocation_standing(people, orgs, schemes):
    """Para 93: without the Board's approval the initial allocation stands."""
    case = _with_board(people, orgs, schemes)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().select_related("decision_type").get(pk=case.decision_id)
        _close(decision, actor=people["sro"], outcome=Outcome.NOT_TAKEN)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.REJECTED and _current(schemes["P1"], 3) == "costain"


def test_a_client_rejection_needs_a_reason_and_leaves_the_initial_allocation(people, orgs, schemes):
    """Para 92, third bullet, and para 93."""
    case = _with_board(people, orgs, schemes)
    close_with(case.decision, people, "for")
    with pytest.raises(ValidationError) as refusal:
        business_case_client_decide(actor=people["sro"], business_case=case, approve=False)
    assert refusal.value.message_dict["reason"] == [ERR_CASE_REASON_REQUIRED]
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_CLIENT
    business_case_client_decide(actor=people["sro"], business_case=case, approve=False,
                                         reason="Not before the spring.")
    case.refresh_from_db()
    assert (case.status, case.client_reason) == (BusinessCaseStatus.REJECTED, "Not before the spring.")
    assert _current(schemes["P1"], 3) == "costain"


def test_the_client_cannot_decide_before_the_board(people, orgs, schemes):
    """Para 92: the Board approves first, then the client."""
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    with pytest.raises(ValidationError) as refusal:
        business_case_client_decide(actor=people["sro"], business_case=case, approve=True)
    _refused(refusal, ERR_CASE_STEP.format(status="draft", action="approved by the client"))
    business_case_submit(actor=people["alliance-manager"], business_case=case)
    with pytest.raises(ValidationError):
        business_case_client_decide(actor=people["sro"], business_case=case, approve=True)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_BOARD and _current(schemes["P1"], 3) == "costain"


def test_a_decision_that_is_not_the_cases_current_one_changes_nothing(people, orgs, schemes):
    case = _with_board(people, orgs, schemes)
    stray = decision_table(actor=people["alliance-manager"], alliance=case.alliance, title="Stray",
                           decision_type=DecisionType.objects.get(alliance=case.alliance,
                                                                  code="optimisation-business-case"),
                           closes_at=case.decision.closes_at, subject=case, by_workflow=True)
    close_with(stray, people, "for")
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITH_BOARD


def test_one_lot_is_in_one_open_case_and_a_stale_case_is_refused(people, orgs, schemes):
    first = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    second = _draft(people, [_line(schemes["P1"], 3, orgs["balfour-beatty"])], title="Another idea")
    business_case_submit(actor=people["alliance-manager"], business_case=first)
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=second)
    _refused(refusal, ERR_CASE_IN_OPEN_CASE.format(lot=3, code="P1", title="Move P1's on-site work"))
    first.refresh_from_db()
    close_with(first.decision, people, "for")
    business_case_client_decide(actor=people["sro"], business_case=first, approve=True)
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=second)
    _refused(refusal, ERR_CASE_ALLOCATION_MOVED.format(lot=3, code="P1", partner=orgs["costain"],
                                                                current=orgs["bam-msjv"]))
    second.refresh_from_db()
    assert second.status == BusinessCaseStatus.DRAFT and _current(schemes["P1"], 3) == "bam-msjv"


def test_another_alliances_manager_cannot_touch_the_case(people, orgs, schemes, outsider):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    with pytest.raises(PermissionDenied, match="another alliance"):
        business_case_submit(actor=outsider, business_case=case)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT


# --- Minor changes (paras 99-100) ---------------------------------------------------------------------------


# --- Withdrawing a draft ------------------------------------------------------------------------------------


def test_the_alliance_manager_withdraws_a_draft_and_nothing_moves(people, orgs, schemes):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    business_case_withdraw(actor=people["alliance-manager"], business_case=case)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.WITHDRAWN and case.decision is None
    latest = case.history.latest()
    assert (latest.history_change_reason, latest.history_user) == ("Withdrawn by the Alliance Manager",
                                                                   people["alliance-manager"])
    assert _current(schemes["P1"], 3) == "costain"
    timeline = business_case_timeline(case)
    assert timeline[-1]["label"].startswith("Withdrawn by the Alliance Manager")
    assert [step["state"] for step in timeline[1:4]] == ["skipped", "skipped", "skipped"]
    # Withdrawn is the end: it is neither edited nor submitted any more.
    with pytest.raises(ValidationError) as refusal:
        business_case_submit(actor=people["alliance-manager"], business_case=case)
    _refused(refusal, ERR_CASE_STEP.format(status="withdrawn", action="submitted to the Board"))


@pytest.mark.parametrize("username", ["sro", "costain-rep", "jacobs-rep", "wsp-staff", "client-reviewer"])
def test_only_the_alliance_manager_withdraws_a_case_or_a_minor_change(people, orgs, schemes, username):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    change = _raise(people, orgs, schemes)
    for withdraw, message in [
        (lambda: business_case_withdraw(actor=people[username], business_case=case),
         ERR_CASE_NOT_WITHDRAWER),
        (lambda: minor_change_withdraw(actor=people[username], minor_change=change),
         ERR_MINOR_NOT_WITHDRAWER),
    ]:
        with pytest.raises(PermissionDenied) as refusal:
            withdraw()
        assert str(refusal.value) == message
    case.refresh_from_db()
    change.refresh_from_db()
    assert (case.status, change.status) == (BusinessCaseStatus.DRAFT, MinorChangeStatus.PROPOSED)
    assert (case.history.count(), change.history.count()) == (1, 1)


def test_another_alliances_manager_cannot_withdraw_the_case(people, orgs, schemes, outsider):
    case = _draft(people, [_line(schemes["P1"], 3, orgs["bam-msjv"])])
    with pytest.raises(PermissionDenied):
        business_case_withdraw(actor=outsider, business_case=case)
    case.refresh_from_db()
    assert case.status == BusinessCaseStatus.DRAFT and case.history.count() == 1


def _raise(people, orgs, schemes, *, supporter="wsp", actor="alliance-manager", **fields):
    return minor_change_raise(
        actor=people[actor], scheme=fields.pop("scheme", schemes["A1"]), lot=fields.pop("lot", 2),
        supporting_partner=orgs[supporter], description=fields.pop("description", "Drainage design support"),
    )


def test_a_minor_change_names_the_current_responsible_partner(people, orgs, schemes):
    """Para 99: a partner supports the Responsible Partner, who keeps its responsibility."""
    change = _raise(people, orgs, schemes)
    assert (change.responsible_partner.slug, change.supporting_partner.slug, change.status) == (
        "jacobs", "wsp", MinorChangeStatus.PROPOSED)
    assert _current(schemes["A1"], 2) == "jacobs"
    assert Notification.objects.filter(recipient__username__in=["jacobs-rep", "wsp-rep"]).count() == 2


def test_support_may_come_from_another_lot(people, orgs, schemes):
    """Para 99: "optimisation opportunities post-allocation can be within or across lots"."""
    assert _raise(people, orgs, schemes, supporter="costain").supporting_partner.slug == "costain"


@pytest.mark.parametrize(("supporter", "message"), [
    ("jacobs", ERR_MINOR_SAME_PARTNER.format(partner="Jacobs", lot=2, code="A1")),
    ("national-highways", ERR_MINOR_SUPPORTER_NOT_PARTNER),
])
def test_the_supporting_partner_is_another_partner(people, orgs, schemes, supporter, message):
    with pytest.raises(ValidationError) as refusal:
        _raise(people, orgs, schemes, supporter=supporter)
    _refused(refusal, message)
    assert not MinorChange.objects.exists()


def test_a_minor_change_is_refused_for_bad_input_and_other_roles(people, orgs, schemes):
    with pytest.raises(PermissionDenied):
        _raise(people, orgs, schemes, actor="sro")
    with pytest.raises(ValidationError) as refusal:
        _raise(people, orgs, schemes, scheme=schemes["U1"])
    _refused(refusal, ERR_MINOR_NOT_ALLOCATED.format(code="U1", lot=2))
    with pytest.raises(ValidationError) as refusal:
        _raise(people, orgs, schemes, description=" ")
    _refused(refusal, ERR_MINOR_DESCRIPTION_REQUIRED)
    foreign = Organisation(pk=10**6, alliance=AllianceFactory(), kind="partner", slug="x")
    with pytest.raises(ValidationError) as refusal:
        minor_change_raise(actor=people["alliance-manager"], scheme=schemes["A1"], lot=2,
                                    supporting_partner=foreign, description="x")
    _refused(refusal, ERR_MINOR_SUPPORTER_NOT_PARTNER)
    other_scheme = Scheme(pk=10**6, alliance=OrganisationFactory().alliance, code="X1", status="awarded")
    with pytest.raises(ValidationError) as refusal:
        _raise(people, orgs, schemes, scheme=other_scheme)
    _refused(refusal, ERR_MINOR_SCHEME_OTHER_ALLIANCE)
    assert not MinorChange.objects.exists()


@pytest.mark.parametrize("username", ["costain-rep", "costain-delegate", "sro", "jacobs-staff", "alliance-manager"])
def test_only_an_affected_partners_representative_or_delegate_records_agreement(people, orgs, schemes, username):
    """Para 100: "with the agreement of the Partners affected": Jacobs (responsible) and WSP (supporting)."""
    change = _raise(people, orgs, schemes)
    with pytest.raises(PermissionDenied):
        minor_change_agree(actor=people[username], minor_change=change, agreed=True)
    assert not PartnerAgreement.objects.exists()


def test_tabling_waits_for_every_affected_partners_agreement(people, orgs, schemes):
    """Para 100: the Board approves "with the agreement of the Partners affected"."""
    change = _raise(people, orgs, schemes)
    minor_change_agree(actor=people["jacobs-delegate"], minor_change=change, agreed=True, note="Fine")
    with pytest.raises(ValidationError) as refusal:
        minor_change_table(actor=people["alliance-manager"], minor_change=change)
    _refused(refusal, ERR_MINOR_AGREEMENT_MISSING.format(names="WSP"))
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.PROPOSED and change.decision is None


def test_a_partners_refusal_blocks_the_board_until_it_changes_its_answer(people, orgs, schemes):
    """Para 100: without an affected partner's agreement there is no minor change."""
    change = _raise(people, orgs, schemes)
    minor_change_agree(actor=people["jacobs-rep"], minor_change=change, agreed=True)
    minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=False, note="No capacity")
    with pytest.raises(ValidationError) as refusal:
        minor_change_table(actor=people["alliance-manager"], minor_change=change)
    _refused(refusal, ERR_MINOR_PARTNER_REFUSED.format(names="WSP"))
    assert not Decision.objects.exists()
    minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=True)
    agreement = PartnerAgreement.objects.get(minor_change=change, organisation=orgs["wsp"])
    assert agreement.agreed and agreement.history.count() == 2  # both answers kept
    minor_change_table(actor=people["alliance-manager"], minor_change=change)
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.WITH_BOARD


def _agreed_and_tabled(people, orgs, schemes):
    change = _raise(people, orgs, schemes)
    minor_change_agree(actor=people["jacobs-rep"], minor_change=change, agreed=True)
    minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=True)
    with pytest.raises(PermissionDenied):
        minor_change_table(actor=people["sro"], minor_change=change)
    return minor_change_table(actor=people["alliance-manager"], minor_change=change)


def test_a_refused_minor_change_is_withdrawn_and_the_partners_told(people, orgs, schemes):
    """Para 100: a partner did not agree, so the change will not reach the Board; the Alliance Manager takes it
    back and the affected partners learn that their agreement is no longer asked."""
    change = _raise(people, orgs, schemes)
    minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=False, note="No capacity")
    minor_change_withdraw(actor=people["alliance-manager"], minor_change=change)
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.WITHDRAWN and change.decision is None
    assert change.history.latest().history_change_reason == "Withdrawn by the Alliance Manager"
    told = Notification.objects.filter(title__startswith="A minor change is withdrawn")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["jacobs-rep", "wsp-rep"]
    assert minor_change_timeline(change)[-1]["label"].startswith("Withdrawn by the Alliance Manager")
    with pytest.raises(ValidationError) as refusal:
        minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=True)
    _refused(refusal, ERR_MINOR_STEP.format(status="withdrawn", action="agreed to or refused"))
    assert not Decision.objects.exists()


def test_a_case_or_a_minor_change_with_the_board_is_not_withdrawn(people, orgs, schemes):
    """Once tabled, the Board decides (paras 92, 100): withdrawing is for a draft case or a proposed change."""
    case = _with_board(people, orgs, schemes)
    change = _agreed_and_tabled(people, orgs, schemes)
    counts = (case.history.count(), change.history.count())
    with pytest.raises(ValidationError) as refusal:
        business_case_withdraw(actor=people["alliance-manager"], business_case=case)
    _refused(refusal, ERR_CASE_STEP.format(status="with the Board", action="withdrawn"))
    with pytest.raises(ValidationError) as refusal:
        minor_change_withdraw(actor=people["alliance-manager"], minor_change=change)
    _refused(refusal, ERR_MINOR_STEP.format(status="with the Board", action="withdrawn"))
    case.refresh_from_db()
    change.refresh_from_db()
    assert (case.status, change.status) == (BusinessCaseStatus.WITH_BOARD, MinorChangeStatus.WITH_BOARD)
    assert (case.history.count(), change.history.count()) == counts
    assert case.decision.status == change.decision.status == "open"
    assert not Notification.objects.filter(title__startswith="A minor change is withdrawn").exists()


def test_unanimous_approval_instructs_the_supporting_partner(people, orgs, schemes):
    """Para 100: unanimous approval; the Board instructs the partner to support the Responsible Partner."""
    change = _agreed_and_tabled(people, orgs, schemes)
    assert (change.decision.decision_type.code, change.decision.authority) == (
        "minor-post-allocation-change", Authority.UNANIMOUS)
    with pytest.raises(ValidationError) as refusal:
        minor_change_agree(actor=people["wsp-rep"], minor_change=change, agreed=False)
    _refused(refusal, ERR_MINOR_STEP.format(status="with the Board", action="agreed to or refused"))
    close_with(change.decision, people, "for")
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.APPROVED
    assert Notification.objects.filter(recipient=people["wsp-rep"], title__startswith="The Board instructs WSP").exists()
    assert _current(schemes["A1"], 2) == "jacobs"  # no transfer of responsibility (para 99)


def test_one_vote_against_means_the_minor_change_is_not_approved(people, orgs, schemes):
    """Para 100: unanimity; a single Against rejects."""
    change = _agreed_and_tabled(people, orgs, schemes)
    decision = close_with(change.decision, people, "for", against=("balfour-beatty-rep",))
    assert decision.outcome == Outcome.REJECTED
    change.refresh_from_db()
    assert change.status == MinorChangeStatus.REJECTED
    with pytest.raises(ValidationError):
        minor_change_table(actor=people["alliance-manager"], minor_change=change)


# --- The client takes Lot 1 (para 102) ------------------------------------------------------------------------


def test_the_client_becomes_responsible_partner_for_lot_1_with_history(people, orgs, schemes):
    """Para 102: the client may instruct that it becomes the Responsible Partner for Lot 1 elements."""
    changed = lot1_client_take(actor=people["sro"], schemes=[schemes["P1"], schemes["A1"]],
                                        reason="Our own PMO takes programme controls.")
    assert len(changed) == 2
    for code in ("P1", "A1"):
        assert (_current(schemes[code], 1), _initial(schemes[code], 1)) == ("national-highways", "fluor")
    latest = SchemeAllocation.objects.get(scheme=schemes["P1"], lot=1).history.latest()
    assert latest.history_user == people["sro"]
    assert latest.history_change_reason == "The client takes Lot 1 (para 102): Our own PMO takes programme controls."
    notice = Notification.objects.get(recipient=people["fluor-rep"])
    assert notice.title == "The client becomes Responsible Partner for Lot 1 of A1, P1"
    assert Notification.objects.filter(recipient=people["alliance-manager"], title=notice.title).exists()
    assert _current(schemes["P2"], 1) == "fluor"


@pytest.mark.parametrize("username", ["alliance-manager", "fluor-rep", "client-reviewer"])
def test_only_the_sro_instructs_the_client_taking_lot_1(people, schemes, username):
    with pytest.raises(PermissionDenied, match="Only the SRO"):
        lot1_client_take(actor=people[username], schemes=[schemes["P1"]], reason="x")
    assert _current(schemes["P1"], 1) == "fluor"


def test_taking_lot_1_is_all_or_nothing_and_refuses_bad_input(people, schemes):
    lot1_client_take(actor=people["sro"], schemes=[schemes["A1"]], reason="First")
    with pytest.raises(ValidationError) as refusal:
        lot1_client_take(actor=people["sro"], schemes=[schemes["P1"], schemes["A1"]], reason="Again")
    _refused(refusal, ERR_LOT1_ALREADY_CLIENT.format(code="A1"))
    assert _current(schemes["P1"], 1) == "fluor"  # the transaction rolled back the first scheme
    for kwargs, message in [
        ({"schemes": [schemes["U1"]], "reason": "x"}, ERR_LOT1_NOT_ALLOCATED.format(code="U1")),
        ({"schemes": [], "reason": "x"}, ERR_LOT1_NO_SCHEMES),
        ({"schemes": [schemes["P1"]], "reason": " "}, ERR_LOT1_REASON_REQUIRED),
        ({"schemes": [Scheme(pk=10**6, alliance=AllianceFactory(), code="X", status="proposed")], "reason": "x"},
         ERR_LOT1_SCHEME_OTHER_ALLIANCE),
    ]:
        with pytest.raises(ValidationError) as refusal:
            lot1_client_take(actor=people["sro"], **kwargs)
        _refused(refusal, message)
    assert _current(schemes["P1"], 1) == "fluor"


# --- Demo -----------------------------------------------------------------------------------------------------


def test_the_demo_skips_without_schemes(board, people, schemes):
    Scheme.objects.all().delete()
    seed_optimisation(board)
    assert not OptimisationBusinessCase.objects.exists() and not MinorChange.objects.exists()


def test_the_demo_seeds_a_draft_case_and_a_minor_change_once(board, people, schemes):
    seed_optimisation(board)
    seed_optimisation(board)
    case = OptimisationBusinessCase.objects.get()
    assert case.status == BusinessCaseStatus.DRAFT and case.changes.get().lot == 3
    assert MinorChange.objects.get().status == MinorChangeStatus.PROPOSED
