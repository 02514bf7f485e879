"""Which key person and Production Hub records a person may open (alliance/visibility.py's registry).

Nominations (and their interviews) and the Production Management Partner's proposals have their own selectors:
personal data, seen by the submitting organisation, the Alliance Manager and the Board while it decides. A
nomination's or proposal's history is that of a record the viewer may open now; nobody's history of a deleted
one (they are never deleted but with their proposal). The catalogues, calls and appointments are every
member's (the People area)."""

from __future__ import annotations

from alliance.visibility import Rule, alliance_rules
from people import selectors
from people.models import (
    Appointment,
    CandidateRequest,
    CvCall,
    HubService,
    Interview,
    KeyPersonRole,
    Nomination,
    PortfolioRecommendation,
    ResourcingProposal,
)
from people.permissions import can_view_nomination, can_view_people, can_view_proposal


def _interviews(person):
    return Interview.objects.filter(nomination__in=selectors.nominations_visible_to(person).values("pk"))


RULES = [
    *alliance_rules(can_view_people, [
        (KeyPersonRole, "alliance_id"), (HubService, "alliance_id"), (CvCall, "alliance_id"),
        (PortfolioRecommendation, "alliance_id"), (Appointment, "alliance_id"), (CandidateRequest, "role__alliance_id"),
    ]),
    Rule(Nomination, records=selectors.nominations_visible_to, can_open=can_view_nomination),
    Rule(Interview, records=_interviews,
         can_open=lambda person, interview: can_view_nomination(person, interview.nomination)),
    Rule(ResourcingProposal, records=selectors.proposals_visible_to, can_open=can_view_proposal),
]
