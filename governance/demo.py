"""Demo records of governance; ``seed_demo`` is what alliance.demo discovers. One function per workflow:
the Board, client instructions, the Implementation Plan, and commitments with the Performance Table and
assurance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from alliance.dates import add_months, local_today
from alliance.models import Alliance, Organisation, Person
from governance.matrix import INITIAL_MATRIX
from governance.models.board import Choice, Decision, DecisionType, Meeting
from governance.models.commitments import Commitment, CommitmentSelection, PerformancePeriod, PerformanceTable
from governance.models.instructions import ClientInstruction
from governance.models.plan import PlanVersion
from governance.services import assurance as assurance_services
from governance.services import board as board_services
from governance.services import commitments as commitments_services
from governance.services import instructions as instructions_services
from governance.services import performance_table as performance_table_services
from governance.services import plan as plan_services


def seed_demo(alliance: Alliance) -> None:
    seed_board(alliance)
    seed_instructions(alliance)
    seed_plan(alliance)
    seed_commitments(alliance)


def seed_matrix(alliance: Alliance) -> None:
    for code, name, authority, paragraph in INITIAL_MATRIX:
        DecisionType.objects.get_or_create(
            alliance=alliance, code=code, defaults={"name": name, "authority": authority, "paragraph": paragraph}
        )


def seed_board(alliance: Alliance) -> None:
    """Demo records of the Board: the Decision Matrix, a meeting next week, an open written resolution with
    some votes, and a closed decision. Idempotent (looked up by natural keys)."""
    seed_matrix(alliance)
    manager = Person.objects.get(username="alliance-manager")
    now = timezone.now()
    if not Meeting.objects.filter(alliance=alliance).exists():
        board_services.meeting_schedule(
            actor=manager, alliance=alliance, title="Alliance Board", location="Birmingham, The Cube, room 4",
            starts_at=now.replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=7),
            agenda=[("Minutes of the last meeting", ""), ("Alliance Manager's report", "Mobilisation progress"),
                    ("Supply Chain Strategy: first draft", "For discussion (para 108)")],
        )
    if not Decision.objects.filter(alliance=alliance).exists():
        types = {t.code: t for t in DecisionType.objects.filter(alliance=alliance)}
        written = board_services.decision_table(
            actor=manager, alliance=alliance, decision_type=types["key-person-appointment"],
            title="Appoint the Alliance Commercial Lead",
            description="The Alliance Manager proposes the nominee interviewed on 12 Nov for the pan-alliance "
                        "Commercial Lead role (paras 51, 59).",
            closes_at=now + dt.timedelta(days=5),
        )
        for username, choice in [("sro", Choice.FOR), ("fluor-rep", Choice.FOR), ("jacobs-rep", Choice.ABSTAIN)]:
            board_services.vote_cast(actor=Person.objects.get(username=username), decision=written, choice=choice)
        closed = board_services.decision_table(
            actor=manager, alliance=alliance, decision_type=types["tender-commitments"],
            title="Adopt the first tender commitments for delivery",
            description="Selection from the Commitment SLA Register (para 227).",
            closes_at=now + dt.timedelta(days=1),
        )
        for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep"]:
            board_services.vote_cast(actor=Person.objects.get(username=username), decision=closed, choice=Choice.FOR)
        board_services.decision_close(actor=Person.objects.get(username="sro"), decision=closed)


def seed_instructions(alliance: Alliance) -> None:
    """Demo client instructions, one at each stage, one of them overdue. Idempotent (skipped once any exists)."""
    if ClientInstruction.objects.filter(alliance=alliance).exists():
        return
    sro, manager = Person.objects.get(username="sro"), Person.objects.get(username="alliance-manager")
    today = local_today()

    def issue(title, description, days_ago, ministerial=False):
        return instructions_services.instruction_issue(actor=sro, title=title, description=description,
                                          issued_on=today - dt.timedelta(days=days_ago), ministerial=ministerial)

    def assess(instruction, summary, cost, days, risk):
        return instructions_services.impact_assessment_submit(actor=manager, instruction=instruction, summary=summary,
                                                 cost_effect=Decimal(cost), time_effect_days=days, risk_effect=risk)

    # Overdue: issued 35 days ago, the impact assessment was due a week ago (para 27).
    issue("Add emergency refuge areas between J10 and J13",
          "Provide two additional emergency refuge areas on the northbound carriageway.", 35)
    # On time, ministerial: 14 days (para 31).
    issue("Ministerial requirement: stopped vehicle detection on all ALR schemes",
          "Retrofit stopped vehicle detection to every all lane running scheme in the programme.", 4, ministerial=True)
    # With the Board: the recommendation's decision is open for votes.
    assess(issue("Change the signing strategy on the M6 J21a-26 scheme",
                 "Adopt the revised signing layout issued in the client's standard.", 20),
           "Recommend adopting the layout from the next design stage; no effect on the PCF stage 5 milestone.",
           "48000.00", 0, "Low: drawings are not yet issued for construction.")
    # Accepted by the client and instructed.
    done = assess(issue("Use the regional traffic management framework for night closures",
                        "Book all night closures through the regional framework.", 70),
                  "Recommend proceeding; minor saving on traffic management.", "-12500.00", -3, "None identified.")
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]:
        board_services.vote_cast(actor=Person.objects.get(username=username), decision=done.decision, choice=Choice.FOR)
    board_services.decision_close(actor=sro, decision=done.decision)
    done.refresh_from_db()
    instructions_services.instruction_client_decide(actor=sro, instruction=done, accept=True)
    instructions_services.instruction_instruct(actor=manager, instruction=done,
                                  instruction_text="All Lot 3 partners book night closures through the regional "
                                                   "framework from 1 January.")


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


def seed_plan(alliance: Alliance) -> None:
    """Demo records of the Implementation Plan: version 1 in numbered sections following the plan's own structure
    (para 2), two of them client reserved matters, and a partner's proposal awaiting the Alliance Manager's review.
    Idempotent (nothing is added once the alliance has a plan)."""
    if PlanVersion.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.get(username="alliance-manager")
    plan_services.plan_publish_initial(
        actor=manager, alliance=alliance,
        sections=[{"number": n, "heading": h, "text": t, "client_reserved": r} for n, h, r, t in SECTIONS],
    )
    plan_services.plan_change_propose(
        actor=Person.objects.get(username="wsp-rep"), alliance=alliance, section_number="1.2",
        section_heading="Alliance management and governance",
        proposed_text=SECTIONS[1][3].replace("reports to the Board at each meeting",
                                             "reports to the Board at each meeting and circulates a monthly "
                                             "dashboard to every Partner"),
        reason="Partners need the Alliance Manager's progress between Board meetings to plan their resources.",
    )


# (reference, title, lead partner, partners it depends on, commitments it conflicts with)
COMMITMENTS = [
    ("C-01", "A digital production control tower for every scheme", "fluor", [], []),
    ("C-02", "Standard product designs reused across schemes", "jacobs", ["costain", "bam-msjv"], []),
    ("C-03", "15% less embodied carbon in designs than the baseline", "wsp", [], []),
    ("C-04", "10% of spend with local SMEs and social enterprises", "costain", [], []),
    ("C-05", "Night works quieter than 65 dB at the nearest home", "bam-msjv", [], []),
    ("C-06", "Lane closures overnight only, whole-weekend closures avoided", "balfour-beatty", [], ["C-05"]),
]

ROWS = [
    ("Schemes delivered to the PCF baseline dates", "Share of PCF milestones met on time", "90%", None),
    ("Cost against the Periodic Instruction's profile", "Outturn over forecast", "Within 5%", None),
    ("Production control tower in use", "Schemes reporting through it", "All schemes by month 9", "C-01"),
]


def seed_commitments(alliance: Alliance) -> None:
    """Demo records of commitments, the Performance Table and assurance: the first Performance Period, six
    commitments (one per partner; one depends on other partners, two conflict), one selected without approval,
    one awaiting the Board, a draft Performance Table, and the calendars started. Idempotent (natural keys)."""
    seed_matrix(alliance)  # the Table 8 decision types
    manager = Person.objects.get(username="alliance-manager")
    start = alliance.start_date
    period = PerformancePeriod.objects.filter(alliance=alliance, starts_on=start).first()
    if period is None:
        period = performance_table_services.performance_period_create(
            actor=manager, alliance=alliance, name=f"Year 1 ({start:%Y}-{add_months(start, 12):%y})",
            starts_on=start, ends_on=add_months(start, 12) - dt.timedelta(days=1),
        )
    partners = {o.slug: o for o in Organisation.objects.filter(alliance=alliance)}
    commitments: dict[str, Commitment] = {}
    for reference, title, lead, depends_on, conflicts in COMMITMENTS:
        commitment = Commitment.objects.filter(alliance=alliance, reference=reference).first()
        if commitment is None:
            commitment = commitments_services.commitment_save(
                actor=manager, alliance=alliance, reference=reference, title=title, lead_partner=partners[lead],
                dependent_partners=[partners[p] for p in depends_on],
                conflicts_with=[commitments[c] for c in conflicts],
                description="Submitted at tender (Commitment SLA Register).",
            )
        commitments[reference] = commitment
    for reference in ("C-01", "C-02"):  # C-01 alone: selected; C-02 depends on others: awaiting the Board
        if not CommitmentSelection.objects.filter(commitment=commitments[reference], period=period).exists():
            commitments_services.commitment_select(actor=manager, commitment=commitments[reference], period=period,
                                       reason="Selected at the first review of the register (para 227).")
    if not PerformanceTable.objects.filter(period=period).exists():
        table = performance_table_services.performance_table_draft(actor=manager, period=period, notes="First draft for the Board.")
        for indicator, measure, target, reference in ROWS:
            performance_table_services.performance_table_row_save(
                actor=manager, table=table, indicator=indicator, measure=measure, target=target,
                commitment=commitments[reference] if reference else None,
            )
    commitments_services.commitments_calendar_start(alliance, actor=manager)
    assurance_services.assurance_calendar_start(alliance)
