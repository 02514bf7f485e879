"""The Decision Matrix rules as a pure function: who won, from the votes and the rule (para 37, Table 8).

docs/domain.md's decisions: majority = more than half of ALL voting organisations vote For (4 of 7), not of
those present; unanimous = every voting organisation votes For (an abstention or a missing vote blocks it);
client veto = the client voting Against defeats the proposal whatever the count; a client decision is the
SRO's alone; "none" is recorded without a vote. The voting organisations are the Alliance's members on the day
(``holds_seat``): a terminated partner's seat ends on its termination's effective date, so six For of six
remaining members is unanimous and four of six a majority (paras 12, 95-98).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# The values of the Decision Matrix's authorities, the votes' choices and the outcomes: governance/models/board.py's
# Authority, Choice and Outcome are built on these (a pure module imports no model).
CLIENT, UNANIMOUS, MAJORITY, MAJORITY_CLIENT_VETO, NONE = "client", "unanimous", "majority", "majority_client_veto", "none"
FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
APPROVED, REJECTED = "approved", "rejected"


def holds_seat(*, since: dt.date | None, until: dt.date | None, on: dt.date) -> bool:
    """Does a member of the Alliance sit on its Board on the day ``on``? The Board is the Alliance's members
    (paras 12, 35): from the day it joined (``since``; None for a founding member; para 98, a newly procured
    partner from its start date) to the day before its termination takes effect (``until``; paras 95-96)."""
    return (since is None or since <= on) and (until is None or on < until)


@dataclass(frozen=True)
class Tally:
    votes_for: int
    against: int
    abstain: int
    missing: int

    def as_dict(self) -> dict[str, int]:
        return {"for": self.votes_for, "against": self.against, "abstain": self.abstain, "not_voted": self.missing}


def tally(votes: Mapping[int, str], voters: set[int]) -> Tally:
    """Counts over the organisations entitled to vote on the decision; any other vote is ignored."""
    choices = [votes[org] for org in voters if org in votes]
    return Tally(
        votes_for=choices.count(FOR),
        against=choices.count(AGAINST),
        abstain=choices.count(ABSTAIN),
        missing=len(voters) - len(choices),
    )


def outcome_of(*, authority: str, votes: Mapping[int, str], voters: set[int], client_id: int) -> str:
    """``votes`` maps organisation id to choice; ``voters`` is every organisation entitled to vote."""
    if authority == NONE:
        return APPROVED
    if authority == CLIENT:
        return APPROVED if votes.get(client_id) == FOR else REJECTED
    count = tally(votes, voters)
    if authority == UNANIMOUS:
        return APPROVED if count.votes_for == len(voters) else REJECTED
    majority = count.votes_for * 2 > len(voters)
    if authority == MAJORITY:
        return APPROVED if majority else REJECTED
    if authority == MAJORITY_CLIENT_VETO:
        vetoed = votes.get(client_id) == AGAINST
        return APPROVED if majority and not vetoed else REJECTED
    raise ValueError(f"Unknown authority {authority!r}")
