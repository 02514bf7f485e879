"""The Decision Matrix rules as a pure function: who won, from the votes and the rule (para 37, Table 8).

DOMAIN.md's decisions: majority = more than half of ALL voting organisations vote For (4 of 7), not of
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

from governance.models import Authority, Choice, Outcome


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
        votes_for=choices.count(Choice.FOR),
        against=choices.count(Choice.AGAINST),
        abstain=choices.count(Choice.ABSTAIN),
        missing=len(voters) - len(choices),
    )


def outcome_of(*, authority: str, votes: Mapping[int, str], voters: set[int], client_id: int) -> str:
    """``votes`` maps organisation id to choice; ``voters`` is every organisation entitled to vote."""
    if authority == Authority.NONE:
        return Outcome.APPROVED
    if authority == Authority.CLIENT:
        return Outcome.APPROVED if votes.get(client_id) == Choice.FOR else Outcome.REJECTED
    count = tally(votes, voters)
    if authority == Authority.UNANIMOUS:
        return Outcome.APPROVED if count.votes_for == len(voters) else Outcome.REJECTED
    majority = count.votes_for * 2 > len(voters)
    if authority == Authority.MAJORITY:
        return Outcome.APPROVED if majority else Outcome.REJECTED
    if authority == Authority.MAJORITY_CLIENT_VETO:
        vetoed = votes.get(client_id) == Choice.AGAINST
        return Outcome.APPROVED if majority and not vetoed else Outcome.REJECTED
    raise ValueError(f"Unknown authority {authority!r}")
