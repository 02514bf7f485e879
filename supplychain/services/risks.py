"""Writes of the risk register (the Production Hub's risk management service; seed 002, finding 1): raise a
risk, its monthly update (even when nothing changed), actions with owners and dates, closing, escalation.

Seed 002: "Each risk should be accompanied by a strategic plan, which is either to accept, tolerate or transfer
the risk. These strategic plans should also be accompanied by clear actions against each which are tracked and
updated each month (even if no progress)". The owner is reminded through a RISK_UPDATE obligation due a month
after the risk was raised or last updated; each update meets the open one and opens the next.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.functions import Cast, Substr
from django.urls import reverse

from alliance import services as core
from alliance.dates import local_today
from alliance.models import Alliance, ObligationKind
from alliance.permissions import naming_refusal
from alliance.workflow import save_with_reason, step
from supplychain.models import (
    EscalationTarget,
    Risk,
    RiskAction,
    RiskEscalation,
    RiskStatus,
    RiskStrategy,
    RiskUpdate,
)
from supplychain.permissions import (
    is_supply_chain_team,
    require_risk_escalator,
    require_risk_raiser,
    require_risk_updater,
)

if TYPE_CHECKING:
    from alliance.models import Person

RISK_PARAGRAPH = "seed 002"
RISK_NO_CHANGE_NOTE = "No change this month."

ERR_RISK_TITLE_REQUIRED = "Give the risk a title."
ERR_RISK_LIKELIHOOD = "Likelihood is a whole number from 1 (rare) to 5 (almost certain)."
ERR_RISK_IMPACT = "Impact is a whole number from 1 (negligible) to 5 (severe)."
ERR_RISK_STRATEGY = "The strategy is accept, tolerate, transfer or treat (seed 002)."
ERR_RISK_EXPOSURE = "The financial exposure cannot be negative."
ERR_RISK_NOTE_REQUIRED = "Write a note for the monthly update, even when nothing changed (seed 002)."
ERR_RISK_NO_CHANGE_DIFFERS = "“No change this month” keeps the likelihood and impact as they are."
ERR_RISK_CLOSED = "The risk is {status}: it cannot be {action}."
ERR_RISK_ACTION_DESCRIPTION = "Describe the action."
ERR_RISK_ACTION_DUE_PAST = "An action's due date cannot be in the past."
ERR_RISK_ACTION_DONE = "The action is already done."
ERR_RISK_REASON_REQUIRED = "Give the reason."
ERR_RISK_TARGET = "Escalate to the Alliance Board or to the client's risk register."

# The one workflow of a risk: open until closed. Updates, actions and escalations need it open.
RISK_STEPS: dict[str, tuple[set[str], str]] = {
    "close": ({RiskStatus.OPEN}, RiskStatus.CLOSED),
}


def _scores(likelihood, impact) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for field, value, message in (("likelihood", likelihood, ERR_RISK_LIKELIHOOD), ("impact", impact, ERR_RISK_IMPACT)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = [message]
    return errors


def _owner_refusal(actor: Person, owner: Person | None) -> str | None:
    """Why ``actor`` may not name ``owner`` as a risk's or an action's owner: a partner names its own people;
    the supply chain team, which keeps the register for the whole Alliance (para 116), names anyone in it."""
    return naming_refusal(actor, owner, across_alliance=is_supply_chain_team(actor))


def _require_open(risk: Risk, action: str) -> None:
    if risk.status != RiskStatus.OPEN:
        raise ValidationError(ERR_RISK_CLOSED.format(status=risk.get_status_display().lower(), action=action))


def _locked(risk: Risk) -> Risk:
    """Re-read the risk under a row lock: two updates (or an update and a close) at once must not interleave,
    or the second would meet an obligation the first had just opened and leave the owner unreminded."""
    return Risk.objects.select_for_update(of=("self",)).select_related("owner__organisation", "alliance").get(pk=risk.pk)


def _next_reference(alliance: Alliance) -> str:
    """R-001, R-002, ... per alliance. The caller holds the alliance's row lock, so two members raising a risk
    at the same moment cannot both read the same highest number (the unique constraint would refuse the
    second)."""
    highest = (Risk.objects.filter(alliance=alliance, reference__startswith="R-")
               .aggregate(n=Max(Cast(Substr("reference", 3), IntegerField())))["n"]) or 0
    return f"R-{highest + 1:03d}"


def _remind_owner(*, actor: Person, risk: Risk, today: dt.date) -> None:
    """Meet the owner's open monthly-update obligation and open the next, due a month later (seed 002)."""
    core.obligations_meet_for(actor=actor, subject=risk, kind=ObligationKind.RISK_UPDATE,
                              reason=f"{risk.reference} updated")
    core.obligation_open(
        actor=actor, alliance=risk.alliance, kind=ObligationKind.RISK_UPDATE,
        title=f"Monthly update of {risk.reference}", paragraph=RISK_PARAGRAPH, start_date=today, months=1,
        subject=risk, responsible_person=risk.owner,
    )


@transaction.atomic
def risk_raise(
    *,
    actor: Person,
    title: str,
    owner: Person | None,
    likelihood: int,
    impact: int,
    strategy: str,
    cause: str = "",
    effect: str = "",
    financial_exposure: Decimal | None = None,
) -> Risk:
    """Any member raises a risk with its owner, likelihood, impact and strategy (seed 002); the owner is due
    its first monthly update a month from today."""
    alliance_id = require_risk_raiser(actor)
    errors = _scores(likelihood, impact)
    if not (title or "").strip():
        errors["title"] = [ERR_RISK_TITLE_REQUIRED]
    if strategy not in RiskStrategy.values:
        errors["strategy"] = [ERR_RISK_STRATEGY]
    if refusal := _owner_refusal(actor, owner):
        errors["owner"] = [refusal]
    if financial_exposure is not None and financial_exposure < 0:
        errors["financial_exposure"] = [ERR_RISK_EXPOSURE]
    if errors:
        raise ValidationError(errors)
    alliance = Alliance.objects.select_for_update().get(pk=alliance_id)  # see _next_reference
    today = local_today()
    risk = Risk(
        alliance=alliance, reference=_next_reference(alliance), title=title.strip(), owner=owner,
        cause=cause.strip(), effect=effect.strip(), likelihood=likelihood, impact=impact,
        score=likelihood * impact, strategy=strategy, financial_exposure=financial_exposure,
        raised_by=actor, raised_on=today, last_updated_on=today,
    )
    save_with_reason(risk, actor, "Raised")
    _remind_owner(actor=actor, risk=risk, today=today)
    return risk


@transaction.atomic
def risk_update(
    *,
    actor: Person,
    risk: Risk,
    note: str,
    likelihood: int | None = None,
    impact: int | None = None,
    no_change: bool = False,
) -> RiskUpdate:
    """The monthly update (seed 002: "tracked and updated each month (even if no progress)"): a note, always;
    the likelihood and impact as they now stand, snapshotted. "No change this month" keeps them and still
    records the update, which meets this month's obligation and opens next month's."""
    risk = _locked(risk)
    require_risk_updater(actor, risk)
    _require_open(risk, "updated")
    if no_change:
        if (likelihood is not None and likelihood != risk.likelihood) or (impact is not None and impact != risk.impact):
            raise ValidationError(ERR_RISK_NO_CHANGE_DIFFERS)
        likelihood, impact = risk.likelihood, risk.impact
        note = (note or "").strip() or RISK_NO_CHANGE_NOTE
    errors = _scores(likelihood, impact)
    if not (note or "").strip():
        errors["note"] = [ERR_RISK_NOTE_REQUIRED]
    if errors or likelihood is None or impact is None:  # _scores has refused a None already
        raise ValidationError(errors)
    today = local_today()
    update = RiskUpdate(risk=risk, updated_on=today, note=note.strip(), likelihood=likelihood, impact=impact,
                        no_change=no_change or (likelihood == risk.likelihood and impact == risk.impact),
                        updated_by=actor)
    save_with_reason(update, actor, "Monthly update")
    risk.likelihood, risk.impact, risk.score, risk.last_updated_on = likelihood, impact, likelihood * impact, today
    save_with_reason(risk, actor, f"Monthly update: likelihood {likelihood}, impact {impact}",
                     update_fields=["likelihood", "impact", "score", "last_updated_on"])
    _remind_owner(actor=actor, risk=risk, today=today)
    return update


@transaction.atomic
def risk_action_add(*, actor: Person, risk: Risk, description: str, owner: Person | None,
                    due_on: dt.date) -> RiskAction:
    """An action against the risk with its owner and due date (seed 002: "clear actions against each")."""
    risk = _locked(risk)
    require_risk_updater(actor, risk)
    _require_open(risk, "given actions")
    errors: dict[str, list[str]] = {}
    if not (description or "").strip():
        errors["description"] = [ERR_RISK_ACTION_DESCRIPTION]
    if refusal := _owner_refusal(actor, owner):
        errors["owner"] = [refusal]
    if due_on < local_today():
        errors["due_on"] = [ERR_RISK_ACTION_DUE_PAST]
    if errors:
        raise ValidationError(errors)
    action = RiskAction(risk=risk, description=description.strip(), owner=owner, due_on=due_on)
    save_with_reason(action, actor, "Added")
    return action


@transaction.atomic
def risk_action_progress(*, actor: Person, action: RiskAction, progress: str, done: bool = False) -> RiskAction:
    """Record an action's progress (tracked each month, seed 002), and mark it done when it is."""
    action = RiskAction.objects.select_for_update(of=("self",)).select_related("risk").get(pk=action.pk)
    require_risk_updater(actor, action.risk)
    if action.done_on is not None:
        raise ValidationError(ERR_RISK_ACTION_DONE)
    if not (progress or "").strip():
        raise ValidationError({"progress": [ERR_RISK_NOTE_REQUIRED]})
    action.progress = progress.strip()
    if done:
        action.done_on = local_today()
    save_with_reason(action, actor, "Done" if done else "Progress", update_fields=["progress", "done_on"])
    return action


@transaction.atomic
def risk_close(*, actor: Person, risk: Risk, reason: str) -> Risk:
    """Close a risk that has passed or been dealt with; its monthly-update obligation is cancelled."""
    risk = _locked(risk)
    require_risk_updater(actor, risk)
    if not (reason or "").strip():
        raise ValidationError({"reason": [ERR_RISK_REASON_REQUIRED]})
    step(risk, RISK_STEPS, ERR_RISK_CLOSED, "close", "closed")
    save_with_reason(risk, actor, f"Closed: {reason.strip()}", update_fields=["status"])
    core.obligations_cancel_for(actor=actor, subject=risk, kind=ObligationKind.RISK_UPDATE,
                                reason=f"{risk.reference} closed")
    return risk


@transaction.atomic
def risk_escalate(*, actor: Person, risk: Risk, target: str, reason: str) -> RiskEscalation:
    """Escalate a risk to the Alliance Board or to the client's risk register, with the reason (seed 002:
    "transfer, as appropriate, of risks to Directorate and Corporate Risk Registers"); the owner is told."""
    risk = _locked(risk)
    require_risk_escalator(actor, risk)
    _require_open(risk, "escalated")
    errors: dict[str, list[str]] = {}
    if target not in EscalationTarget.values:
        errors["target"] = [ERR_RISK_TARGET]
    if not (reason or "").strip():
        errors["reason"] = [ERR_RISK_REASON_REQUIRED]
    if errors:
        raise ValidationError(errors)
    escalation = RiskEscalation(risk=risk, target=target, reason=reason.strip(), escalated_by=actor,
                                escalated_on=local_today())
    save_with_reason(escalation, actor, f"Escalated to {escalation.get_target_display()}")
    if risk.owner_id != actor.pk:
        core.notification_send(
            recipients=[risk.owner], title=f"{risk.reference} escalated to {escalation.get_target_display()}",
            body=reason.strip(), link=reverse("supplychain-risk", args=[risk.pk]),
        )
    return escalation
