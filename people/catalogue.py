"""The catalogues of key person roles (paras 49, 51) and Production Hub services (Table 3, para 46).

Seeded into an alliance by ``catalogue_seed`` (the demo, ``manage.py seed_people_catalogue``); administrators
then keep them in the admin. Annex I (the job descriptions) is not in the seeds.
"""

from __future__ import annotations

from django.db import transaction

from alliance.models import Alliance, Lot
from people.models import HubService, HubSubFunction, KeyPersonRole, Selection

P, L, A = Selection.PARTNER_SPECIFIC, Selection.LOT_SPECIFIC, Selection.PAN_ALLIANCE

# (code, title, lot number or None, selection, paragraph), in the order of para 49 then para 51. The roles marked
# * in para 49 are partner-specific (para 50); the others of a function are lot-specific (para 57); para 51's
# roles are open to every member, best for task (para 57).
KEY_PERSON_ROLES = [
    ("ded-director", "Digitally Enabled Design Director", 2, L, "para 49"),
    ("head-of-ded", "Head of Digitally Enabled Design", 2, P, "paras 49-50"),
    ("lead-digital-design", "Lead for Digital Design", 2, L, "para 49"),
    ("lead-product-development", "Lead for Product Development and Standardisation", 2, L, "para 49"),
    ("osad-director", "On-site Assembly and Delivery Director", 3, L, "para 49"),
    ("head-of-osad", "Head of On-site Assembly and Delivery", 3, P, "paras 49-50"),
    ("lead-construction-management", "Lead for Construction Management", 3, L, "para 49"),
    ("lead-installation", "Lead for Installation", 3, L, "para 49"),
    ("production-hub-director", "Production Hub Director", 1, P, "paras 49-50"),
    ("lead-production-planning", "Lead for Production Planning", 1, P, "paras 49-50"),
    ("head-of-production-management", "Head of Production Management", 1, P, "paras 49-50"),
    ("lead-transport-logistics", "Lead for Transport Logistics", 1, P, "paras 49-50"),
    ("commercial-finance-procurement-director", "Commercial, Finance and Procurement Director", None, A, "para 51"),
    ("head-of-cost-management", "Head of Cost Management", None, A, "para 51"),
    ("head-of-commercial", "Head of Commercial", None, A, "para 51"),
    ("head-of-supply-chain", "Head of Supply Chain", None, A, "para 51"),
    ("head-of-finance", "Head of Finance", None, A, "para 51"),
    ("head-of-health-safety-wellbeing", "Head of Health, Safety and Wellbeing", None, A, "para 51"),
]

S = HubSubFunction
# (code, name, sub-function, client presence): Table 3 by sub-function (para 62). The client keeps a presence in
# the services para 46 names; its "category and strategy management" is Table 3's Supply Chain Management, whose
# description covers category management and the Supply Chain Strategy.
HUB_SERVICES = [
    ("programme-management", "Programme Management", S.DELIVERY, True),
    ("financial-management", "Financial Management", S.COMMERCIAL, True),
    ("commercial-management", "Commercial Management", S.COMMERCIAL, False),
    ("cost-management", "Cost Management", S.COMMERCIAL, True),
    ("supply-chain-management", "Supply Chain Management", S.COMMERCIAL, True),
    ("master-scheduling", "Master Scheduling", S.PMO, False),
    ("resource-utilisation", "Resource Utilisation", S.PMO, False),
    ("resource-levelling", "Resource Levelling and Smoothing", S.PMO, False),
    ("programme-reporting", "Programme Reporting", S.PMO, True),
    ("quality-management", "Quality Management and Assurance", S.PMO, True),
    ("risk-management", "Risk Management", S.PMO, True),
    ("change-management", "Change Management", S.PMO, False),
    ("information-management", "Information Management and Analytics", S.PMO, True),
    ("technology-strategy", "Technology Strategy and Architecture", S.PMO, True),
    ("inventory-management", "Inventory Management and Consolidation", S.PRODUCTION_MANAGEMENT, False),
    ("production-planning", "Production Planning and Sequencing", S.PRODUCTION_MANAGEMENT, False),
    ("transport-logistics", "Transport Logistics", S.PRODUCTION_MANAGEMENT, False),
    ("plant-material-management", "Product (Plant and Material) Management", S.PRODUCTION_MANAGEMENT, False),
    ("continuous-improvement", "Continuous Improvement and Innovation", S.OPERATIONS, True),
    ("people-strategy", "Alliance People Strategy", S.OPERATIONS, False),
    ("process-change", "Process Change", S.OPERATIONS, False),
    ("communications", "Communications", S.OPERATIONS, False),
]


@transaction.atomic
def catalogue_seed(alliance: Alliance) -> tuple[int, int]:
    """Add the roles and services an alliance does not have yet (idempotent; edits made since are kept).
    Returns how many roles and services were added."""
    lots = {lot.number: lot for lot in Lot.objects.filter(alliance=alliance)}
    roles = services = 0
    for order, (code, title, lot, selection, paragraph) in enumerate(KEY_PERSON_ROLES):
        _, created = KeyPersonRole.objects.get_or_create(
            alliance=alliance, code=code,
            defaults={"title": title, "lot": lots.get(lot) if lot else None, "selection": selection,
                      "paragraph": paragraph, "order": order},
        )
        roles += created
    for order, (code, name, sub_function, client_presence) in enumerate(HUB_SERVICES):
        _, created = HubService.objects.get_or_create(
            alliance=alliance, code=code,
            defaults={"name": name, "sub_function": sub_function, "client_presence": client_presence, "order": order},
        )
        services += created
    return roles, services
