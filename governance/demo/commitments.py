"""Demo records of commitments, the Performance Table and assurance: the first Performance Period, six
commitments (one per partner; one depends on other partners, two conflict), one selected without approval,
one awaiting the Board, a draft Performance Table, and the calendars started. Idempotent (natural keys)."""

from __future__ import annotations

import datetime as dt

from alliance.dates import add_months
from alliance.models import Alliance, Organisation, Person
from governance import services
from governance.demo.board import seed_matrix
from governance.models import Commitment, CommitmentSelection, PerformancePeriod, PerformanceTable

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


def seed_demo(alliance: Alliance) -> None:
    seed_matrix(alliance)  # the Table 8 decision types
    manager = Person.objects.get(username="alliance-manager")
    start = alliance.start_date
    period = PerformancePeriod.objects.filter(alliance=alliance, starts_on=start).first()
    if period is None:
        period = services.performance_period_create(
            actor=manager, alliance=alliance, name=f"Year 1 ({start:%Y}-{add_months(start, 12):%y})",
            starts_on=start, ends_on=add_months(start, 12) - dt.timedelta(days=1),
        )
    partners = {o.slug: o for o in Organisation.objects.filter(alliance=alliance)}
    commitments: dict[str, Commitment] = {}
    for reference, title, lead, depends_on, conflicts in COMMITMENTS:
        commitment = Commitment.objects.filter(alliance=alliance, reference=reference).first()
        if commitment is None:
            commitment = services.commitment_save(
                actor=manager, alliance=alliance, reference=reference, title=title, lead_partner=partners[lead],
                dependent_partners=[partners[p] for p in depends_on],
                conflicts_with=[commitments[c] for c in conflicts],
                description="Submitted at tender (Commitment SLA Register).",
            )
        commitments[reference] = commitment
    for reference in ("C-01", "C-02"):  # C-01 alone: selected; C-02 depends on others: awaiting the Board
        if not CommitmentSelection.objects.filter(commitment=commitments[reference], period=period).exists():
            services.commitment_select(actor=manager, commitment=commitments[reference], period=period,
                                       reason="Selected at the first review of the register (para 227).")
    if not PerformanceTable.objects.filter(period=period).exists():
        table = services.performance_table_draft(actor=manager, period=period, notes="First draft for the Board.")
        for indicator, measure, target, reference in ROWS:
            services.performance_table_row_save(
                actor=manager, table=table, indicator=indicator, measure=measure, target=target,
                commitment=commitments[reference] if reference else None,
            )
    services.commitments_calendar_start(alliance, actor=manager)
    services.assurance_calendar_start(alliance)
