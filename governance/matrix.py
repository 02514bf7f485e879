"""The Decision Matrix as seeded from the seeds (Annex A is missing: docs/domain.md section 2).

Where the text says only "the Board" approves, the rule is a majority of the Board (para 17: decisions are
made "on a majority or unanimous basis"; unanimity is named where the text requires it).
"""

from __future__ import annotations

from governance.models.board import Authority

INITIAL_MATRIX: list[tuple[str, str, str, str]] = [
    ("funding", "Funding", Authority.CLIENT, "para 19"),
    ("work-allocation", "Allocation of work", Authority.CLIENT, "para 19"),
    ("termination", "Termination of a partner", Authority.CLIENT, "para 19"),
    ("instruction-recommendation", "Approve the recommendation on a client instruction or request a change event",
     Authority.MAJORITY, "para 28"),
    ("implementation-plan-update", "Implementation Plan update", Authority.MAJORITY, "para 5"),
    ("key-person-appointment", "Key person appointment", Authority.MAJORITY, "para 59"),
    ("production-hub-resources", "Production Hub resource allocation", Authority.MAJORITY, "para 69"),
    ("optimisation-business-case", "Optimisation business case (then client approval)", Authority.MAJORITY,
     "paras 92, 101"),
    ("minor-post-allocation-change", "Minor post-allocation change (with the affected partners' agreement)",
     Authority.UNANIMOUS, "para 100"),
    ("periodic-instruction", "Periodic Instruction", Authority.UNANIMOUS, "para 107"),
    ("performance-framework-amendment", "Performance framework amendment", Authority.UNANIMOUS, "para 148"),
    ("annual-metric-review", "Annual metric review", Authority.MAJORITY, "para 147"),
    ("maturity-plan", "Five-year maturity plan sign-off", Authority.UNANIMOUS, "para 221"),
    ("supply-chain-strategy", "Supply Chain Strategy (then client acceptance)", Authority.MAJORITY, "para 113"),
    ("industrial-plan", "Alliance industrial plan (then client acceptance)", Authority.MAJORITY, "para 117"),
    ("procurement-hub-plan", "Collaborative Procurement Hub plan", Authority.MAJORITY, "para 130"),
    ("commitment-lead-partner-only", "Commitment delivered by the lead partner alone", Authority.NONE,
     "Table 8"),
    ("commitment-with-dependencies", "Commitment dependent on other partners or conflicting",
     Authority.MAJORITY_CLIENT_VETO, "Table 8"),
    ("scheme-pcf-commencement", "Commence a scheme through PCF stages", Authority.MAJORITY, "Table 2"),
    ("compensation-event-quotation", "Compensation event quotation", Authority.MAJORITY, "Table 2"),
    ("design-requirements", "Design requirements", Authority.MAJORITY, "Table 2"),
    ("tender-commitments", "Tender commitments", Authority.MAJORITY, "Table 2"),
]
