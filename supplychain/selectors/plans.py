"""Reads of the Supply Chain Management Plan. ``plans_visible_to`` and ``permissions.can_view_plan`` say the same
thing in SQL and in Python: a draft is seen only by its own organisation; a submitted plan by every member."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import cast

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from alliance.models import (
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Person,
)
from alliance.permissions import alliance_id_of, own_alliance_id
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import ManagementPlan, PlanStatus
from supplychain.permissions import can_view_plan


def plan_scope(user: Person) -> Q | None:
    """Which plans, and which versions of a plan, the user may read, as a condition on a plan's own fields (so
    it reads the plans' history rows too, alliance/visibility.py): a draft is its organisation's alone, a plan
    from its submission on is every member's. None for nobody."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None:
        return None
    return Q(alliance_id=alliance_id) & (~Q(status=PlanStatus.DRAFT) | Q(organisation_id=user.organisation_id))


def plans_visible_to(user: Person) -> QuerySet[ManagementPlan]:
    scope = plan_scope(user)
    plans = ManagementPlan.objects.none() if scope is None else ManagementPlan.objects.filter(scope)
    return plans.select_related("organisation", "drafted_by", "decided_by")


def plan_for(user: Person, pk: int) -> ManagementPlan:
    """One plan, or 404: another organisation's draft is not there for you until it is submitted."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None or not can_view_plan(user, plan):
        raise Http404
    return plan


def plan_history(user: Person, plan: ManagementPlan):
    """The plan's record of changes as the user may read it: the versions ``plan_scope`` admits (another
    organisation's people see a plan from its submission on, not its drafts), newest first."""
    scope = plan_scope(user)
    history = plan.history.none() if scope is None else plan.history.filter(scope)
    return history.select_related("history_user").order_by("-history_date")[:50]


def plan_previous(plan: ManagementPlan) -> ManagementPlan | None:
    return (ManagementPlan.objects.filter(organisation_id=plan.organisation_id, version__lt=plan.version)
            .order_by("-version").first())


@dataclass
class PlanItem:
    code: str
    text: str
    answer: str
    flagged: bool  # named as missing when the plan was returned

    @property
    def addressed(self) -> bool:
        return bool(self.answer.strip())


def plan_items(plan: ManagementPlan) -> list[PlanItem]:
    """The para 133 checklist with the plan's answer to each item, in order."""
    return [PlanItem(code, text, plan.sections.get(code, ""), code in (plan.missing or []))
            for code, text in MANAGEMENT_PLAN_CHECKLIST]


@dataclass
class ComparedItem:
    code: str
    text: str
    change: str  # "added", "removed", "changed" or "unchanged"
    diff: SafeString


def _word_diff(old: str, new: str) -> SafeString:
    """The new text with deleted words in <del> and inserted ones in <ins> (escaped)."""
    before, after = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            out.append(f'<del><span class="govuk-visually-hidden">removed: </span>{escape(" ".join(before[i1:i2]))}</del>')
        if op in ("replace", "insert"):
            out.append(f'<ins><span class="govuk-visually-hidden">added: </span>{escape(" ".join(after[j1:j2]))}</ins>')
        if op == "equal":
            out.append(escape(" ".join(after[j1:j2])))
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped above


def plan_compare(plan: ManagementPlan, previous: ManagementPlan | None) -> list[ComparedItem]:
    """Each checklist item of ``plan`` against ``previous``, word by word."""
    old_sections = previous.sections if previous else {}
    rows = []
    for code, text in MANAGEMENT_PLAN_CHECKLIST:
        old, new = old_sections.get(code, ""), plan.sections.get(code, "")
        change = ("unchanged" if old == new else "added" if not old else "removed" if not new else "changed")
        rows.append(ComparedItem(code, text, change, _word_diff(old, new)))
    return rows


@dataclass
class PartnerPlans:
    organisation: Organisation
    accepted: ManagementPlan | None
    latest: ManagementPlan | None
    next_due: Obligation | None


def plans_by_partner(user: Person) -> list[PartnerPlans]:
    """Each partner's accepted plan, its latest version the user may see, and its next resubmission clock: three
    queries whatever the number of versions."""
    alliance_id = own_alliance_id(user)
    partners = list(Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER)
                    .select_related("lot").order_by("lot__number", "name"))
    accepted: dict[int, ManagementPlan] = {}
    latest: dict[int, ManagementPlan] = {}
    for plan in plans_visible_to(user).order_by("organisation_id", "version"):
        latest[plan.organisation_id] = plan
        if plan.status == PlanStatus.ACCEPTED:
            accepted[plan.organisation_id] = plan
    clocks: dict[int, Obligation] = {}
    for obligation in Obligation.objects.filter(alliance_id=alliance_id, kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
                                                status=ObligationStatus.OPEN,
                                                responsible_organisation__isnull=False).order_by("-due_date"):
        clocks[cast(int, obligation.responsible_organisation_id)] = obligation  # isnull=False above
    return [PartnerPlans(p, accepted.get(p.pk), latest.get(p.pk), clocks.get(p.pk)) for p in partners]


def partners_for_change(user: Person, *, any_partner: bool) -> QuerySet[Organisation]:
    """The partners whose resubmission a person may bring forward: any (the Alliance Manager) or their own."""
    partners = Organisation.objects.filter(alliance_id=own_alliance_id(user), kind=OrganisationKind.PARTNER)
    return partners if any_partner else partners.filter(pk=user.organisation_id or 0)  # id 0: no organisation, none

