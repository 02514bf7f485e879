"""Demo records of the Implementation Plan: version 1 in numbered sections following the plan's own structure
(para 2), two of them client reserved matters, and a partner's proposal awaiting the Alliance Manager's review.
Idempotent (nothing is added once the alliance has a plan)."""

from __future__ import annotations

from alliance.models import Alliance, Person
from governance import services
from governance.models import PlanVersion

SECTIONS = [
    ("1.1", "Purpose", False,
     "The Implementation Plan sets out how the Alliance is to operate and will evolve over time. During "
     "mobilisation, the Alliance Manager engages with all members of the Alliance to review and agree it (para 1)."),
    ("1.2", "Alliance management and governance", False,
     "The Alliance is governed by the Alliance Board, chaired by the Senior Responsible Owner. Each Partner has "
     "one board representative and one vote; a representative who cannot attend sends a delegate (para 35). The "
     "Alliance Manager runs the Alliance day to day and reports to the Board at each meeting."),
    ("1.3", "Client reserved matters", True,
     "Funding, the allocation of work and termination are decided by the Client alone (para 19). The matters "
     "reserved to the Client by the conditions of contract cannot be changed through this plan (para 3)."),
    ("2.4", "Proposed instruction to the Alliance Manager", False,
     "The Client may issue a proposed instruction to the Alliance Manager. The Alliance Manager submits an impact "
     "assessment and recommendation to the Alliance Board within 28 days (para 27). The Board has 28 days from "
     "submission to approve the recommendation or request a change event (para 28). The Client then accepts or "
     "rejects it (para 29) and, if accepted, the Alliance Manager instructs the Alliance (para 30). A ministerial "
     "instruction shortens both periods to 14 days (para 31)."),
    ("3.3", "Alliance Board voting", False,
     "Each decision is taken under the authority the Decision Matrix gives its type: the Client alone, a "
     "unanimous Board, a majority of the Board, or a majority with a Client veto (para 37). A majority is more "
     "than half of all voting members voting for."),
    ("3.4", "Client veto", True,
     "Where the Decision Matrix gives the Client a veto, a vote against by the Senior Responsible Owner defeats "
     "the proposal whatever the count (para 37)."),
    ("5.1", "Allocation of work", False,
     "Schemes are allocated to Responsible Partners by Lot and region, balancing workload within the agreed "
     "tolerances. Optimisation business cases go to the Board and then the Client (paras 92, 101)."),
    ("8.1", "Performance management", False,
     "The Alliance is performance managed through quarterly scorecards against the agreed metrics. Metrics are "
     "reviewed annually by the Board (para 147); amendments to the framework need a unanimous Board (para 148)."),
]


def seed_demo(alliance: Alliance) -> None:
    if PlanVersion.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.get(username="alliance-manager")
    services.plan_publish_initial(
        actor=manager, alliance=alliance,
        sections=[{"number": n, "heading": h, "text": t, "client_reserved": r} for n, h, r, t in SECTIONS],
    )
    services.plan_change_propose(
        actor=Person.objects.get(username="wsp-rep"), alliance=alliance, section_number="1.2",
        section_heading="Alliance management and governance",
        proposed_text=SECTIONS[1][3].replace("reports to the Board at each meeting",
                                             "reports to the Board at each meeting and circulates a monthly "
                                             "dashboard to every Partner"),
        reason="Partners need the Alliance Manager's progress between Board meetings to plan their resources.",
    )
