"""Which supply chain records a person may open (alliance/visibility.py).

The registers are open book (every member); a Supply Chain Management Plan is its organisation's while a draft
and every member's from its submission (``selectors.plan_scope``). The same condition picks the plan's versions:
another organisation's people never read a draft's texts in the history, even of a plan submitted since."""

from __future__ import annotations

from alliance.visibility import Rule, alliance_rules
from supplychain.models import (
    Accreditation,
    ManagementPlan,
    Opportunity,
    Risk,
    RiskAction,
    RiskEscalation,
    RiskUpdate,
    Spend,
    StrategyDocument,
    Supplier,
    SupplierReview,
)
from supplychain.permissions import can_view_plan, can_view_supply_chain
from supplychain.selectors.plans import plan_scope, plans_visible_to

RULES = [
    Rule(ManagementPlan, records=plans_visible_to, history=plan_scope, hide_versions=True, can_open=can_view_plan),
    *alliance_rules(can_view_supply_chain, [
        (Opportunity, "alliance_id"), (Risk, "alliance_id"), (StrategyDocument, "alliance_id"), (Supplier, "alliance_id"),
        (Accreditation, "supplier__alliance_id"), (Spend, "supplier__alliance_id"),
        (SupplierReview, "supplier__alliance_id"), (RiskAction, "risk__alliance_id"),
        (RiskEscalation, "risk__alliance_id"), (RiskUpdate, "risk__alliance_id"),
    ]),
]
