"""Demo strategy documents: an accepted first Supply Chain Strategy (it meets the core demo's six-month clock,
which it becomes the subject of), a draft industrial plan, and a Collaborative Procurement Hub plan with the Board.
Idempotent: a kind that already has a version is left alone. Built through the services."""

from __future__ import annotations

from django.db import transaction

from alliance import services as alliance_services
from alliance.models import Alliance, Obligation, ObligationKind, ObligationStatus, Person
from governance import services as governance_services
from governance.demo import seed_matrix
from supplychain.models import DocumentKind, StrategyDocument
from supplychain.services import documents as services

__all__ = ["seed_demo"]

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]

STRATEGY_TEXT = {
    "objective-safety": "Safety, health and wellbeing come first in every sourcing decision: suppliers are selected "
                        "on their safety record and culture, and every tender is scored on how the supplier designs "
                        "safety into its work.",
    "objective-value": "Value for money at a fair and appropriate cost: we buy on whole life cost and quality, and "
                       "ask for zero defects at handover through clear specifications and supplier quality plans.",
    "objective-compliance": "Every procurement follows the relevant legislation, Procurement Policy Notes and the "
                            "Alliance and client governance; the Collaborative Procurement Hub keeps the audit trail.",
    "objective-relationships": "Long term relationships with key suppliers through framework agreements of up to "
                               "five years, with joint objectives and annual relationship reviews.",
    "objective-value-creation": "Savings are measured as value created (programme certainty, carbon, social value) "
                                "rather than price reduction alone.",
    "objective-fairness": "Opportunities are advertised on Contracts Finder, evaluated against published criteria and "
                          "debriefed openly.",
    "objective-sustainability": "Responsible sourcing of timber, steel and aggregates; a carbon baseline for each "
                                "category; the Prompt Payment commitments of the Project Bank Account.",
    "objective-risk": "A supplier risk register, monitored monthly, with dual sourcing for critical categories and "
                      "financial health checks on key suppliers.",
    "principle-1-leadership": "An integrated Alliance Supply Chain team in the Production Hub acts as an intelligent "
                              "client, working to ISO 44001.",
    "principle-2-safety": "Safety performance is a pass or fail criterion of accreditation; supplier safety "
                          "leadership days twice a year.",
    "principle-3-market": "Quarterly meet the buyer events in each region, an annual industry day and shared "
                          "market intelligence with the client.",
    "principle-4-sourcing": "An annual procurement pipeline published each April; category strategies for "
                            "structures, surfacing, drainage and technology; aggregated demand across partners.",
    "principle-5-agreements": "Client and CCS supply agreements are used by default; alternatives only through a "
                              "business case accepted by the client.",
    "principle-6-sustainable": "Ethical sourcing, equality and diversity, environmental management, prompt payment "
                               "through the Project Bank Account, regional investment, UK steel guidance.",
    "principle-7-contracting": "Fair flow down of main contract terms, no retentions, collateral warranties from "
                               "manufacturers.",
    "principle-8-collaboration": "An Alliance Supply Chain charter, joint objectives and lean interfaces; early "
                                 "supplier involvement paid by business case when it lasts.",
    "principle-9-suppliers": "Accreditation, induction, key and commodity relationship plans, 360° reviews each "
                             "quarter.",
}
INDUSTRIAL_TEXT = {
    "stakeholder-needs": "Regional stakeholders want local employment, apprenticeships and SME access to the "
                         "programme.",
    "regional-sourcing": "Regional lots for surfacing and drainage so that spend stays in each region.",
}
HUB_TEXT = {
    "composition": "A hub lead from the Production Management Partner, four category managers (one per partner "
                   "group) and a client procurement lead.",
    "specialists": "Procurement, logistics and supply chain specialists seconded from the client and each partner.",
    "delivery": "The hub runs the pipeline, the category strategies and supplier management for the Alliance.",
    "partner-accountability": "Partners contract with the supply chain and answer for compliance with the "
                              "strategy (para 131).",
}


def _person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def _drafted(actor: Person, alliance: Alliance, kind: str, title: str, texts: dict[str, str]) -> StrategyDocument:
    document = services.document_draft(actor=actor, alliance=alliance, kind=kind)
    return services.document_edit(actor=actor, document=document, title=title,
                                  horizon_from=alliance.start_date.year, sections=texts)


def _seed_strategy(alliance: Alliance) -> None:
    team, sro = _person("fluor-staff"), _person("sro")
    document = _drafted(team, alliance, DocumentKind.STRATEGY, "SMP Alliance Supply Chain Strategy", STRATEGY_TEXT)
    # The core demo opened the six-month clock with no subject: it becomes this document's (para 108).
    clock = Obligation.objects.filter(alliance=alliance, kind=ObligationKind.SUPPLY_CHAIN_STRATEGY,
                                      status=ObligationStatus.OPEN, subject_id=None).first()
    if clock is not None:
        alliance_services.obligation_attach(actor=team, obligation=clock, subject=document)
    decision = services.document_submit(actor=team, document=document)
    for username in VOTERS:
        governance_services.vote_cast(actor=_person(username), decision=decision, choice="for")
    governance_services.decision_close(actor=sro, decision=decision)
    document.refresh_from_db()
    services.document_accept(actor=sro, document=document)


@transaction.atomic
def seed_demo(alliance: Alliance) -> None:
    seed_matrix(alliance)
    existing = set(StrategyDocument.objects.filter(alliance=alliance).values_list("kind", flat=True))
    if DocumentKind.STRATEGY not in existing:
        _seed_strategy(alliance)
    if DocumentKind.INDUSTRIAL_PLAN not in existing:
        _drafted(_person("fluor-staff"), alliance, DocumentKind.INDUSTRIAL_PLAN, "SMP Alliance industrial plan",
                 INDUSTRIAL_TEXT)
    if DocumentKind.PROCUREMENT_HUB_PLAN not in existing:
        manager = _person("alliance-manager")
        document = _drafted(manager, alliance, DocumentKind.PROCUREMENT_HUB_PLAN,
                            "Collaborative Procurement Hub plan", HUB_TEXT)
        services.document_submit(actor=manager, document=document)
