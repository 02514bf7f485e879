"""The Decision Matrix rules (para 37, Table 8; docs/domain.md section 2), with the seven organisations."""

from __future__ import annotations

import pytest

from governance.models.board import Authority, Outcome
from governance.rules import outcome_of, tally

CLIENT = 1
PARTNERS = [2, 3, 4, 5, 6, 7]
VOTERS = {CLIENT, *PARTNERS}


def votes(*choices: str) -> dict[int, str]:
    """Choices in order: the client first, then the six partners; "-" for no vote."""
    return {org: c for org, c in zip([CLIENT, *PARTNERS], choices, strict=False) if c != "-"}


def decide(authority: str, *choices: str) -> str:
    return outcome_of(authority=authority, votes=votes(*choices), voters=VOTERS, client_id=CLIENT)


def test_majority_needs_four_of_seven_votes_for():
    assert decide(Authority.MAJORITY, "for", "for", "for", "for", "against", "against", "against") == Outcome.APPROVED


def test_majority_three_for_three_against_one_abstain_is_rejected():
    assert decide(Authority.MAJORITY, "for", "for", "for", "against", "against", "against", "abstain") == Outcome.REJECTED


def test_majority_counts_all_voting_members_not_those_present():
    # 3 For and 4 not voting: 3 of 3 present, but not more than half of the seven (docs/domain.md decision).
    assert decide(Authority.MAJORITY, "for", "for", "for", "-", "-", "-", "-") == Outcome.REJECTED
    assert decide(Authority.MAJORITY, "-", "for", "for", "for", "for", "-", "-") == Outcome.APPROVED


def test_client_veto_six_for_and_the_sro_against_is_rejected():
    assert decide(Authority.MAJORITY_CLIENT_VETO, "against", "for", "for", "for", "for", "for", "for") == Outcome.REJECTED


def test_client_veto_majority_with_the_sro_abstaining_or_absent_is_approved():
    assert decide(Authority.MAJORITY_CLIENT_VETO, "abstain", "for", "for", "for", "for", "-", "-") == Outcome.APPROVED
    assert decide(Authority.MAJORITY_CLIENT_VETO, "-", "for", "for", "for", "for", "against", "against") == Outcome.APPROVED


def test_client_veto_still_needs_a_majority():
    assert decide(Authority.MAJORITY_CLIENT_VETO, "for", "for", "for", "against", "against", "against", "-") == Outcome.REJECTED


def test_unanimous_needs_every_organisation_for():
    assert decide(Authority.UNANIMOUS, *["for"] * 7) == Outcome.APPROVED


def test_unanimous_with_one_abstention_is_rejected():
    assert decide(Authority.UNANIMOUS, "for", "for", "for", "for", "for", "for", "abstain") == Outcome.REJECTED


def test_unanimous_with_one_organisation_not_voting_is_rejected():
    assert decide(Authority.UNANIMOUS, "for", "for", "for", "for", "for", "for", "-") == Outcome.REJECTED


@pytest.mark.parametrize(("sro", "outcome"), [("for", Outcome.APPROVED), ("against", Outcome.REJECTED),
                                              ("-", Outcome.REJECTED)])
def test_client_decision_is_the_sros_alone(sro, outcome):
    # para 19: funding, allocation of work and termination are the client's; partners' votes count for nothing.
    assert outcome_of(authority=Authority.CLIENT, votes=votes(sro, *["against"] * 6 if sro == "for" else ["for"] * 6),
                      voters={CLIENT}, client_id=CLIENT) == outcome


def test_no_approval_required_is_recorded_as_approved():
    assert decide(Authority.NONE) == Outcome.APPROVED


def test_tally_counts_only_organisations_entitled_to_vote():
    count = tally({CLIENT: "for", 2: "against", 3: "abstain", 99: "for"}, VOTERS)
    assert count.as_dict() == {"for": 1, "against": 1, "abstain": 1, "not_voted": 4}
