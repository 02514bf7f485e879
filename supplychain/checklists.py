"""The contents the seeds require, as data: the Supply Chain Management Plan checklist (para 133, in its order),
and the sections of the Supply Chain Strategy (the objectives of para 110 and the nine principles of paras
115-128), the Alliance industrial plan (paras 117, 125) and the Collaborative Procurement Hub plan (paras 129-130).
"""

from __future__ import annotations

# Para 133: one item per required content, in its order; "Supplier management" is four items (its sub-list).
MANAGEMENT_PLAN_CHECKLIST: list[tuple[str, str]] = [
    ("client-led-procurement", "Client-led procurement activities"),
    ("alliance-led-procurement", "Alliance-led procurement activities"),
    ("category-planning", "Category planning including details of market engagement"),
    ("material-subcontractors", "Material Subcontractors"),
    ("governance", "Governance"),
    ("affiliate-companies", "Proposals to employ affiliate companies"),
    ("sme-vcse", "Proposals for engagement with and maximising opportunities for SMEs and Voluntary, Community and "
                 "Social Enterprise (VCSE) organisations"),
    ("steel", "Proposals concerning the procurement of steel"),
    ("contingency", "Contingency plans and mitigation strategies in event of Supply Chain failure"),
    ("innovation-standardisation", "Proposals around innovation and standardisation"),
    ("fair-procurement", "Procedures to ensure the procurement of Subcontractor and Supplier works is fair and "
                         "transparent, demonstrating open market or competitively tendered pricing"),
    ("supplier-accreditation", "Supplier management: accreditation"),
    ("supplier-induction", "Supplier management: induction"),
    ("supplier-relationship", "Supplier management: relationship management"),
    ("supplier-performance", "Supplier management: performance management"),
    ("tender-management", "Tender management, evaluation, validation and reporting process"),
    ("responsible-procurement", "Responsible procurement practices"),
    ("tier-two-three", "Potential tier two and three suppliers for inclusion within the Production Hub"),
    ("payment-charter", "A commitment to the construction supply chain payment charter"),
    ("project-bank-account", "Project Bank Account details"),
]

# (code, heading, paragraph): the Supply Chain Strategy's eight objectives (para 110) and nine principles.
STRATEGY_SECTIONS: list[tuple[str, str, str]] = [
    ("objective-safety", "Objective: an environment where safety, health and wellbeing is not compromised", "para 110"),
    ("objective-value", "Objective: innovative, value for money solutions at a fair cost, zero defects at handover", "para 110"),
    ("objective-compliance", "Objective: compliance with legislation, public sector guidance and governance", "para 110"),
    ("objective-relationships", "Objective: a high performing Supply Chain on long term, mutual relationships", "para 110"),
    ("objective-value-creation", "Objective: value creation, not cost reduction", "para 110"),
    ("objective-fairness", "Objective: fair, objective and transparent activities", "para 110"),
    ("objective-sustainability", "Objective: sustainable and responsible procurement practices", "para 110"),
    ("objective-risk", "Objective: effective risk management and mitigation", "para 110"),
    ("principle-1-leadership", "Principle 1: Collaborative leadership and management", "paras 115-117"),
    ("principle-2-safety", "Principle 2: Safety, health and wellbeing", "paras 118-119"),
    ("principle-3-market", "Principle 3: Effective market engagement", "paras 120-122"),
    ("principle-4-sourcing", "Principle 4: Intelligent procurement and strategic sourcing", "para 123"),
    ("principle-5-agreements", "Principle 5: Client and CCS government supply agreements", "para 124"),
    ("principle-6-sustainable", "Principle 6: Sustainable procurement", "para 125"),
    ("principle-7-contracting", "Principle 7: Equitable contracting and commercial models", "para 126"),
    ("principle-8-collaboration", "Principle 8: Collaborative working", "para 127"),
    ("principle-9-suppliers", "Principle 9: Supplier management", "para 128"),
]

INDUSTRIAL_PLAN_SECTIONS: list[tuple[str, str, str]] = [
    ("stakeholder-needs", "Stakeholder needs", "para 117"),
    ("regional-sourcing", "Regional sourcing plan: reinvesting Alliance funding intelligently", "para 117"),
    ("regional-distribution", "Distributing supply chain investment equitably into the English regions", "para 125"),
    ("local-growth-sme", "Local economic growth and SME participation", "para 125"),
]

PROCUREMENT_HUB_SECTIONS: list[tuple[str, str, str]] = [
    ("composition", "Composition of the Collaborative Procurement Hub", "para 130"),
    ("specialists", "Procurement, logistics and supply chain specialists from the client and the partners", "para 129"),
    ("delivery", "Delivering and executing the Supply Chain Strategy", "para 129"),
    ("partner-accountability", "Partners' responsibility for contracting and compliance", "para 131"),
]
