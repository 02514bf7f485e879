"""Which Board, instruction, plan, commitment and assurance records a person may open (alliance/visibility.py).

Every one is its alliance's, read by those the area's predicate lets in: the Board's records by its members, the
instructions by the Board and the client's reviewers, assurance by the client and the SRO, and the
Implementation Plan's proposals, the commitments and the Performance Table by every member."""

from __future__ import annotations

from alliance.permissions import is_alliance_member
from alliance.visibility import alliance_rule, alliance_rules
from governance.models.board import AgendaItem, Attendance, Decision, DecisionType, Delegation, Meeting, Vote
from governance.models.commitments import (
    AssuranceReview,
    Commitment,
    CommitmentSelection,
    PerformanceTable,
    PerformanceTableTrigger,
)
from governance.models.instructions import ClientInstruction, ImpactAssessment
from governance.models.plan import ChangeProposal
from governance.permissions import (
    can_view_assurance,
    can_view_board,
    can_view_decision,
    can_view_instructions,
    can_view_meeting,
)

RULES = [
    alliance_rule(Decision, "alliance_id", can_view_board, can_open=can_view_decision),
    alliance_rule(Meeting, "alliance_id", can_view_board, can_open=can_view_meeting),
    *alliance_rules(can_view_board, [
        (DecisionType, "alliance_id"), (AgendaItem, "meeting__alliance_id"), (Attendance, "meeting__alliance_id"),
        (Vote, "decision__alliance_id"), (Delegation, "organisation__alliance_id"),
    ]),
    *alliance_rules(can_view_instructions, [
        (ClientInstruction, "alliance_id"), (ImpactAssessment, "instruction__alliance_id"),
    ]),
    *alliance_rules(can_view_assurance, [(AssuranceReview, "alliance_id")]),
    *alliance_rules(is_alliance_member, [
        (ChangeProposal, "alliance_id"), (Commitment, "alliance_id"), (CommitmentSelection, "commitment__alliance_id"),
        (PerformanceTable, "alliance_id"), (PerformanceTableTrigger, "alliance_id"),
    ]),
]
