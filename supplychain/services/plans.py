"""Writes of the Supply Chain Management Plan (paras 132-134).

1. A partner's people draft a version of their plan: one text per item of the para 133 checklist; a new version
   starts as a copy of the latest; one draft at a time.
2. They submit it to the Alliance Manager (a submitted plan is seen by every member: open book).
3. The Alliance Manager accepts it only when every checklist item is addressed; otherwise the acceptance is
   refused naming the missing items, and the Alliance Manager returns it naming them (para 132). A returned plan
   is changed and submitted again.
4. Acceptance supersedes the previous accepted version, meets the organisation's open resubmission clock, and
   opens the next one six months later (para 134); the alliance's first six-month clock is met once every
   partner has an accepted plan (para 132). A significant change brings the resubmission forward (para 134).

The workflow's table is ``PLAN_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role
from alliance.selectors import alliance_manager, nominators_of
from alliance.workflow import require, save_with_reason, step
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import ManagementPlan, PlanStatus
from supplychain.permissions import ERR_PLAN_NOT_AM, can_draft_plan, can_write_plan, is_alliance_manager

if TYPE_CHECKING:
    from alliance.models import Person

ERR_PLAN_NOT_WRITER = "Only the staff, representative or delegate of the plan's own partner can change or submit it."
ERR_PLAN_NOT_PARTNER = "Each partner keeps its own Supply Chain Management Plan: only a partner's people draft one."
ERR_PLAN_DRAFT_EXISTS = "Your organisation already has a draft (version {version}): change it or submit it."
ERR_PLAN_SECTIONS = "The sections must be an object of checklist item codes and their texts."
ERR_PLAN_UNKNOWN_ITEM = "Not an item of the para 133 checklist: {codes}."
ERR_PLAN_EMPTY = "Address at least one item of the checklist before submitting."
ERR_PLAN_INCOMPLETE = "The plan does not address every requirement of para 133; missing: {items}."
ERR_PLAN_STEP = "This plan is {status}: it cannot be {action}."
ERR_PLAN_RETURN_REASON = "Name the missing items or give comments: the partner needs to know why (para 132)."
ERR_PLAN_CHANGE_REASON = "Describe the significant change (para 134)."
ERR_PLAN_CHANGE_DUE = "The earlier resubmission must be due after today."

PLAN_RESUBMIT_MONTHS = 6  # para 134
_CODES = [code for code, _ in MANAGEMENT_PLAN_CHECKLIST]
_TEXTS = dict(MANAGEMENT_PLAN_CHECKLIST)

PLAN_STEPS: dict[str, tuple[set[str], str]] = {
    "edit": ({PlanStatus.DRAFT, PlanStatus.RETURNED}, PlanStatus.DRAFT),
    "submit": ({PlanStatus.DRAFT, PlanStatus.RETURNED}, PlanStatus.SUBMITTED),
    "accept": ({PlanStatus.SUBMITTED}, PlanStatus.ACCEPTED),
    "return": ({PlanStatus.SUBMITTED}, PlanStatus.RETURNED),
}


class PlanIncomplete(ValidationError):
    """The acceptance refused because items of the checklist are missing; ``missing`` holds their codes."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(ERR_PLAN_INCOMPLETE.format(items="; ".join(_TEXTS[c] for c in missing)))


def plan_missing_items(sections: dict) -> list[str]:
    """The checklist codes a plan does not address (blank or absent), in the order of para 133."""
    return [code for code in _CODES if not str(sections.get(code) or "").strip()]


def _clean_sections(sections) -> dict[str, str]:
    if not isinstance(sections, dict) or not all(isinstance(v, str) for v in sections.values()):
        raise ValidationError({"sections": [ERR_PLAN_SECTIONS]})
    unknown = sorted(set(sections) - set(_CODES))
    if unknown:
        raise ValidationError({"sections": [ERR_PLAN_UNKNOWN_ITEM.format(codes=", ".join(unknown))]})
    return {code: sections[code].strip() for code in _CODES if sections.get(code, "").strip()}


def _locked(plan: ManagementPlan) -> ManagementPlan:
    return ManagementPlan.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=plan.pk)


def _link(plan: ManagementPlan) -> str:
    return reverse("supplychain-plan", args=[plan.pk])


@transaction.atomic
def plan_draft(*, actor: Person, sections: dict | None = None, change_note: str = "") -> ManagementPlan:
    """Start the next version of the actor's organisation's plan: a copy of its latest, with ``sections``
    replacing the items they name."""
    require(can_draft_plan(actor), ERR_PLAN_NOT_PARTNER)
    organisation = cast("Organisation", actor.organisation)  # can_draft_plan: a partner's person, so never None
    given = _clean_sections(sections or {})
    # Serialise version numbers per organisation: two drafts at once would otherwise take the same number.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).order_by().values_list("pk", flat=True).first()
    draft = ManagementPlan.objects.filter(organisation=organisation, status=PlanStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(ERR_PLAN_DRAFT_EXISTS.format(version=draft.version))
    latest = ManagementPlan.objects.filter(organisation=organisation).order_by("-version").first()
    version = (ManagementPlan.objects.filter(organisation=organisation).aggregate(v=Max("version"))["v"] or 0) + 1
    plan = ManagementPlan(
        alliance_id=organisation.alliance_id, organisation=organisation, version=version,
        sections={**(latest.sections if latest else {}), **given}, change_note=change_note.strip(), drafted_by=actor,
    )
    save_with_reason(plan, actor, f"Version {version} drafted")
    return plan


@transaction.atomic
def plan_sections_save(*, actor: Person, plan: ManagementPlan, sections: dict, change_note: str | None = None) -> ManagementPlan:
    """Change a draft or returned plan's texts (an item left blank is removed)."""
    plan = _locked(plan)
    require(can_write_plan(actor, plan), ERR_PLAN_NOT_WRITER)
    step(plan, PLAN_STEPS, ERR_PLAN_STEP, "edit", "changed")
    if not isinstance(sections, dict):
        raise ValidationError({"sections": [ERR_PLAN_SECTIONS]})
    plan.sections = _clean_sections({**plan.sections, **sections})
    if change_note is not None:
        plan.change_note = change_note.strip()
    save_with_reason(plan, actor, "Sections changed")
    return plan


@transaction.atomic
def plan_submit(*, actor: Person, plan: ManagementPlan) -> ManagementPlan:
    """Submit the plan to the Alliance Manager for acceptance (para 132)."""
    plan = _locked(plan)
    require(can_write_plan(actor, plan), ERR_PLAN_NOT_WRITER)
    if not plan.sections:
        raise ValidationError(ERR_PLAN_EMPTY)
    step(plan, PLAN_STEPS, ERR_PLAN_STEP, "submit", "submitted")
    plan.submitted_at = timezone.now()
    save_with_reason(plan, actor, "Submitted to the Alliance Manager (para 132)")
    manager = alliance_manager(plan.alliance_id)
    if manager is not None:
        alliance_services.notification_send(
            recipients=[manager], title=f"{plan.organisation} submitted its Supply Chain Management Plan v{plan.version}",
            link=_link(plan))
    return plan


@transaction.atomic
def plan_accept(*, actor: Person, plan: ManagementPlan) -> ManagementPlan:
    """The Alliance Manager accepts a plan that addresses every item of para 133; otherwise refuses naming
    the missing items (``PlanIncomplete``), and the plan stays submitted."""
    require(is_alliance_manager(actor, plan.alliance_id), ERR_PLAN_NOT_AM)
    plan = _locked(plan)
    step(plan, PLAN_STEPS, ERR_PLAN_STEP, "accept", "accepted")
    missing = plan_missing_items(plan.sections)
    if missing:
        raise PlanIncomplete(missing)
    today = local_today()
    plan.decided_at, plan.decided_by, plan.missing, plan.comments = timezone.now(), actor, [], ""
    save_with_reason(plan, actor, "Accepted by the Alliance Manager (para 132)")
    organisation = plan.organisation
    # The organisation's resubmission clock (para 134) is met by this acceptance, and the next one opens.
    for obligation in Obligation.objects.filter(alliance_id=plan.alliance_id, responsible_organisation=organisation,
                                                kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
                                                status=ObligationStatus.OPEN):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(today, obligation.start_date),
                                          reason=f"Version {plan.version} accepted", by_workflow=True)
    alliance_services.obligation_open(
        actor=actor, alliance=organisation.alliance, kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
        title=f"Supply Chain Management Plan resubmitted for acceptance — {organisation.name}", paragraph="para 134",
        start_date=today, due_date=add_months(today, PLAN_RESUBMIT_MONTHS), responsible_organisation=organisation,
        subject=plan,
    )
    _meet_first_clock_when_every_partner_is_accepted(actor, plan.alliance_id, today)
    alliance_services.notification_send(
        recipients=_writers(organisation), title=f"Your Supply Chain Management Plan v{plan.version} is accepted",
        link=_link(plan))
    return plan


def _meet_first_clock_when_every_partner_is_accepted(actor: Person, alliance_id: int, today: dt.date) -> None:
    """Para 132: the alliance's plan is due within six months of the start; met once each partner's is accepted."""
    partners = Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER)
    if partners.exclude(management_plans__status=PlanStatus.ACCEPTED).exists():
        return
    for obligation in Obligation.objects.filter(alliance_id=alliance_id, responsible_organisation=None,
                                                kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
                                                status=ObligationStatus.OPEN):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(today, obligation.start_date),
                                          reason="Every partner's plan is accepted", by_workflow=True)


def _writers(organisation: Organisation):
    return nominators_of(organisation.pk)


@transaction.atomic
def plan_return(*, actor: Person, plan: ManagementPlan, missing: list[str] | None = None, comments: str = "") -> ManagementPlan:
    """The Alliance Manager returns a plan, naming the checklist items it misses and/or with comments (para 132).
    Without ``missing`` the items it leaves blank are named."""
    require(is_alliance_manager(actor, plan.alliance_id), ERR_PLAN_NOT_AM)
    plan = _locked(plan)
    named = list(missing) if missing is not None else plan_missing_items(plan.sections)
    unknown = sorted(set(named) - set(_CODES))
    if unknown:
        raise ValidationError({"missing": [ERR_PLAN_UNKNOWN_ITEM.format(codes=", ".join(unknown))]})
    if not named and not comments.strip():
        raise ValidationError({"comments": [ERR_PLAN_RETURN_REASON]})
    step(plan, PLAN_STEPS, ERR_PLAN_STEP, "return", "returned")
    plan.missing = [c for c in _CODES if c in named]
    plan.comments = comments.strip()
    plan.decided_at, plan.decided_by = timezone.now(), actor
    save_with_reason(plan, actor, "Returned by the Alliance Manager (para 132)")
    alliance_services.notification_send(
        recipients=_writers(plan.organisation),
        title=f"Your Supply Chain Management Plan v{plan.version} was returned: {len(plan.missing)} item(s) missing",
        link=_link(plan))
    return plan


@transaction.atomic
def plan_change_require(*, actor: Person, organisation: Organisation, reason: str, due_date: dt.date) -> Obligation:
    """A significant change to a partner's processes brings its resubmission forward (para 134): its open
    resubmission clock is re-dated (or one opens) to ``due_date``."""
    require(is_alliance_manager(actor, organisation.alliance_id) or (
        organisation.pk == actor.organisation_id and has_role(actor, Role.STAFF, Role.BOARD_REPRESENTATIVE,
                                                              Role.DELEGATE)), ERR_PLAN_NOT_AM)
    if organisation.alliance_id != alliance_id_of(actor) or organisation.kind != OrganisationKind.PARTNER:
        raise ValidationError({"organisation": [ERR_PLAN_NOT_PARTNER]})
    if not reason.strip():
        raise ValidationError({"reason": [ERR_PLAN_CHANGE_REASON]})
    today = local_today()
    if due_date <= today:
        raise ValidationError({"due_date": [ERR_PLAN_CHANGE_DUE]})
    current = Obligation.objects.filter(alliance_id=organisation.alliance_id, responsible_organisation=organisation,
                                        kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
                                        status=ObligationStatus.OPEN).order_by("due_date").first()
    if current is not None and current.due_date > due_date:
        return alliance_services.obligation_redate(actor=actor, obligation=current, due_date=due_date,
                                                   reason=f"Significant change (para 134): {reason.strip()}",
                                                   by_workflow=True)
    if current is not None:
        return current
    return alliance_services.obligation_open(
        actor=actor, alliance=organisation.alliance, kind=ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
        title=f"Supply Chain Management Plan resubmitted after a significant change — {organisation.name}",
        paragraph="para 134", start_date=today, due_date=due_date, responsible_organisation=organisation,
    )
