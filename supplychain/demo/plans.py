"""Demo Supply Chain Management Plans: Fluor's accepted (its six-month clock and the alliance's first one attached),
Costain's returned naming what it misses, Jacobs' submitted and complete, WSP with nothing yet. Idempotent."""

from __future__ import annotations

from alliance.models import Alliance, Person
from supplychain import services
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import ManagementPlan


def _text(organisation: str, item: str) -> str:
    return f"{organisation}'s approach to {item[0].lower()}{item[1:]}: owners, procedures and how it is reported."


def _complete(name: str) -> dict[str, str]:
    return {code: _text(name, text) for code, text in MANAGEMENT_PLAN_CHECKLIST}


def seed_demo(alliance: Alliance) -> None:
    if ManagementPlan.objects.filter(alliance=alliance).exists():
        return
    manager = Person.objects.get(username="alliance-manager")
    staff = {p.organisation.slug: p for p in Person.objects.filter(username__endswith="-staff").select_related("organisation")}

    fluor = services.plan_draft(actor=staff["fluor"], sections=_complete("Fluor"))
    services.plan_submit(actor=staff["fluor"], plan=fluor)
    services.plan_accept(actor=manager, plan=fluor)

    partial = dict(list(_complete("Costain").items())[:14])
    costain = services.plan_draft(actor=staff["costain"], sections=partial)
    services.plan_submit(actor=staff["costain"], plan=costain)
    services.plan_return(actor=manager, plan=costain, comments="Please add the tender management process, steel, "
                         "and the Project Bank Account details.")

    jacobs = services.plan_draft(actor=staff["jacobs"], sections=_complete("Jacobs"))
    services.plan_submit(actor=staff["jacobs"], plan=jacobs)
