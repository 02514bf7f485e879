"""Writes of the five-year rolling maturity plan (paras 216-221).

A series of versions; one version is being worked on at a time:
1. the Alliance Manager drafts version 1 with para 217's focus areas (mobilisation/focus_areas.py), or the next
   version as a copy of the current signed-off one (focus areas, targets and actions);
2. for each focus area, the level aimed for at six months and at the end of each year 1-5 (para 218: base,
   developing integration, advanced, para 219), and the actions to get there;
3. submitted, every focus area with all six targets, it goes to the Board as a decision of the Decision Matrix
   type "maturity-plan": unanimous (para 221);
4. approved: signed off; the previous signed-off version is superseded, its annual update met, and the next
   annual update opens, due 12 months later (para 221: "updated annually, as a minimum"). Not unanimous:
   returned, and editable again.
The table is ``MATURITY_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, ObligationKind, Organisation
from alliance.workflow import save_with_reason, step
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.tabling import put_to_board
from mobilisation.focus_areas import FOCUS_AREAS
from mobilisation.models import (
    FocusArea,
    MaturityAction,
    MaturityLevel,
    MaturityPlan,
    MaturityPlanStatus,
    TargetLevel,
    TargetPeriod,
)
from mobilisation.permissions import require_maturity_drafter
from mobilisation.selectors import maturity as selectors

if TYPE_CHECKING:
    from alliance.models import Person

ERR_MATURITY_OTHER_ALLIANCE = "That maturity plan belongs to another alliance."
ERR_MATURITY_IN_PROGRESS = "Version {version} of the maturity plan is {status}: finish it before starting another."
ERR_MATURITY_STEP = "This version is {status}: it cannot be {action}."
ERR_MATURITY_LEVEL = "Choose base, developing integration or advanced (para 219)."
ERR_MATURITY_LEVEL_DOWN = ("The maturity plan sets out how the Alliance evolves (para 216): a level may not go down "
                           "from one period to the next. Goes down: {areas}.")
ERR_MATURITY_INCOMPLETE = ("Every focus area needs its level for six months and for the end of each year 1 to 5 "
                           "(para 218) before the plan goes to the Board. Incomplete: {areas}.")
ERR_MATURITY_ACTION_DESCRIPTION = "Describe the action."
ERR_MATURITY_ACTION_FOCUS_AREA = "Choose a focus area of this version."
ERR_MATURITY_ACTION_OWNER = "Choose an organisation of this alliance as the action's owner."

MATURITY_DECISION_CODE = "maturity-plan"  # the Decision Matrix: signed off unanimously (para 221)
MATURITY_UPDATE_MONTHS = 12  # para 221: updated annually, as a minimum

# Ranks of para 219's levels, from base to advanced.
_RANK: dict[str, int] = {MaturityLevel.BASE: 0, MaturityLevel.DEVELOPING: 1, MaturityLevel.ADVANCED: 2}
_PERIODS = [value for value, _label in TargetPeriod.choices]  # para 218, in time order

MATURITY_STEPS: dict[str, tuple[set[str], str]] = {
    # A version the Board did not sign off is editable again (and so back to a draft).
    "edit": ({MaturityPlanStatus.DRAFT, MaturityPlanStatus.RETURNED}, MaturityPlanStatus.DRAFT),
    "submit": ({MaturityPlanStatus.DRAFT, MaturityPlanStatus.RETURNED}, MaturityPlanStatus.WITH_BOARD),
    "board_signs_off": ({MaturityPlanStatus.WITH_BOARD}, MaturityPlanStatus.SIGNED_OFF),
    "board_returns": ({MaturityPlanStatus.WITH_BOARD}, MaturityPlanStatus.RETURNED),
    "supersede": ({MaturityPlanStatus.SIGNED_OFF}, MaturityPlanStatus.SUPERSEDED),
}


def _link(plan: MaturityPlan) -> str:
    return reverse("mobilisation-maturity-plan", args=[plan.pk])


def _locked(plan: MaturityPlan) -> MaturityPlan:
    return MaturityPlan.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=plan.pk)


def _shown(plan: MaturityPlan) -> str:
    shown = plan.get_status_display()
    return shown[0].lower() + shown[1:]


def _editable(actor: Person, plan: MaturityPlan, action: str = "changed") -> MaturityPlan:
    """Lock a version the actor may change and move it to a draft (a returned one becomes a draft again)."""
    require_maturity_drafter(actor, plan.alliance_id)
    plan = _locked(plan)
    step(plan, MATURITY_STEPS, ERR_MATURITY_STEP, "edit", action)
    return plan


@transaction.atomic
def maturity_plan_draft(*, actor: Person, alliance: Alliance) -> MaturityPlan:
    """Start the next version: version 1 with para 217's focus areas, else a copy of the current signed-off
    version (focus areas, targets and actions). One version is worked on at a time."""
    require_maturity_drafter(actor, alliance.pk)
    # Lock the alliance row: two drafts started at once would both see none in progress and both number theirs
    # latest + 1 (the unique version constraint would fail one of them with a server error).
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    in_progress = selectors.maturity_plan_in_progress(alliance.pk)
    if in_progress is not None:
        raise ValidationError(ERR_MATURITY_IN_PROGRESS.format(version=in_progress.version,
                                                              status=_shown(in_progress)))
    latest = selectors.maturity_plan_latest(alliance.pk)
    base = (MaturityPlan.objects.filter(alliance=alliance, status=MaturityPlanStatus.SIGNED_OFF)
            .order_by("-version").first())
    plan = MaturityPlan(alliance=alliance, version=(latest.version + 1) if latest else 1, drafted_by=actor,
                        summary=base.summary if base else "")
    save_with_reason(plan, actor, f"Version {plan.version} started"
                     + (f" as a copy of version {base.version}" if base else ""))
    if base is None:
        for order, spec in enumerate(FOCUS_AREAS):
            area = FocusArea(plan=plan, code=spec.code, group=spec.group, title=spec.title,
                             description=spec.description, order=order)
            save_with_reason(area, actor, "From para 217")
        return plan
    for source in selectors.maturity_focus_areas(base):
        area = FocusArea(plan=plan, code=source.code, group=source.group, title=source.title,
                         description=source.description, order=source.order)
        save_with_reason(area, actor, f"Copied from version {base.version}")
        for target in source.targets.all():
            save_with_reason(TargetLevel(focus_area=area, period=target.period, level=target.level), actor,
                             f"Copied from version {base.version}")
        for action in source.actions.all():
            save_with_reason(MaturityAction(focus_area=area, description=action.description,
                                            owner_id=action.owner_id, due_on=action.due_on, source=action.source),
                             actor, f"Copied from version {base.version}")
    return plan


def _going_down(levels: dict[str, str]) -> bool:
    """Our rule: a focus area's level never goes down from one set period to the next. Para 216 asks the plan to
    set out how the Alliance will "evolve" towards an enterprise model; a target falling back is not an
    evolution. Periods not yet set are skipped."""
    ranks = [_RANK[levels[period]] for period in _PERIODS if levels.get(period)]
    return any(later < earlier for earlier, later in zip(ranks, ranks[1:], strict=False))


@transaction.atomic
def maturity_plan_edit(*, actor: Person, plan: MaturityPlan, targets: dict[str, dict[str, str]],
                       summary: str | None = None) -> MaturityPlan:
    """Save a draft's targets, ``{focus area code: {period: level or ""}}`` (an empty level clears it), and its
    summary (the plan on a page, para 220). Focus areas and periods left out keep theirs; unknown codes are
    ignored. Refused, naming the focus areas, if a level would go down from one period to the next."""
    plan = _editable(actor, plan)
    areas = {area.code: area for area in selectors.maturity_focus_areas(plan)}
    wanted: dict[str, dict[str, str]] = {}
    for code, area in areas.items():
        levels = {target.period: target.level for target in area.targets.all()}
        for period, level in (targets.get(code) or {}).items():
            if period not in _PERIODS:
                continue
            level = (level or "").strip()
            if level and level not in _RANK:
                raise ValidationError({"targets": [ERR_MATURITY_LEVEL]})
            levels[period] = level
        wanted[code] = levels
    down = [areas[code].title for code, levels in wanted.items() if _going_down(levels)]
    if down:
        raise ValidationError({"targets": [ERR_MATURITY_LEVEL_DOWN.format(areas="; ".join(down))]})
    for code, levels in wanted.items():
        area = areas[code]
        existing = {target.period: target for target in area.targets.all()}
        for period in _PERIODS:
            level, target = levels.get(period) or "", existing.get(period)
            if target is not None and not level:
                target._history_user = actor  # type: ignore[attr-defined]  # simple-history's deletion author
                target.delete()  # simple-history records the deletion
            elif target is None and level:
                save_with_reason(TargetLevel(focus_area=area, period=period, level=level), actor, "Target set")
            elif target is not None and target.level != level:
                target.level = level
                save_with_reason(target, actor, "Target changed")
    if summary is not None:
        plan.summary = summary.strip()
    save_with_reason(plan, actor, "Draft saved")
    return plan


@transaction.atomic
def maturity_action_add(*, actor: Person, plan: MaturityPlan, focus_area_id: int, description: str,
                        owner: Organisation | None = None, due_on: dt.date | None = None,
                        source: str = "") -> MaturityAction:
    """An action towards a focus area's targets: who owns it, by when, and where it comes from (e.g. a gap of
    the self-assessment against the Code of Practice)."""
    plan = _editable(actor, plan, "given actions")
    area = FocusArea.objects.filter(plan=plan, pk=focus_area_id).first()
    if area is None:
        raise ValidationError({"focus_area": [ERR_MATURITY_ACTION_FOCUS_AREA]})
    if not (description or "").strip():
        raise ValidationError({"description": [ERR_MATURITY_ACTION_DESCRIPTION]})
    if owner is not None and owner.alliance_id != plan.alliance_id:
        raise ValidationError({"owner": [ERR_MATURITY_ACTION_OWNER]})
    action = MaturityAction(focus_area=area, description=description.strip(), owner=owner, due_on=due_on,
                            source=(source or "").strip())
    save_with_reason(action, actor, "Action added")
    save_with_reason(plan, actor, f"Action added to {area.title}")
    return action


@transaction.atomic
def maturity_action_remove(*, actor: Person, plan: MaturityPlan, action_id: int) -> None:
    plan = _editable(actor, plan, "changed")
    action = MaturityAction.objects.select_related("focus_area").filter(focus_area__plan=plan, pk=action_id).first()
    if action is None:
        raise ValidationError(ERR_MATURITY_ACTION_FOCUS_AREA)
    title = action.focus_area.title
    action._history_user = actor  # type: ignore[attr-defined]  # simple-history's deletion author
    action.delete()
    save_with_reason(plan, actor, f"Action removed from {title}")


def _incomplete(plan: MaturityPlan) -> list[str]:
    return [area.title for area in selectors.maturity_focus_areas(plan)
            if {target.period for target in area.targets.all()} != set(_PERIODS)]


@transaction.atomic
def maturity_plan_submit(*, actor: Person, plan: MaturityPlan, closes_on: dt.date | None = None) -> Decision:
    """Send a complete version to the Board: a written resolution of the type "maturity-plan", signed off
    unanimously (para 221), with the version as its subject."""
    require_maturity_drafter(actor, plan.alliance_id)
    plan = _locked(plan)
    step(plan, MATURITY_STEPS, ERR_MATURITY_STEP, "submit", "submitted")
    incomplete = _incomplete(plan)
    if incomplete:
        raise ValidationError(ERR_MATURITY_INCOMPLETE.format(areas="; ".join(incomplete)))
    plan.decision = put_to_board(
        actor=actor, subject=plan, code=MATURITY_DECISION_CODE,
        title=f"Five-year rolling maturity plan, version {plan.version}",
        description=("For the Board's unanimous sign-off (para 221): the Alliance's aspirations to evolve to an "
                     f"enterprise model of operation (para 216). The plan: {_link(plan)}"),
        closes_on=closes_on,
    )
    save_with_reason(plan, actor, "Submitted to the Board (para 221)")
    return plan.decision


def _notify_manager(plan: MaturityPlan, title: str) -> None:
    manager = selectors.maturity_alliance_manager(plan.alliance_id)
    if manager is not None:
        alliance_services.notification_send(recipients=[manager], title=title, link=_link(plan))


def _on_outcome(plan: MaturityPlan, decision: Decision) -> None:
    """The Board decided on a version: unanimous, it is signed off; otherwise it goes back to the Alliance
    Manager, editable again. Runs inside the closing transaction."""
    actor = decision.closed_by
    if decision.outcome != Outcome.APPROVED:
        step(plan, MATURITY_STEPS, ERR_MATURITY_STEP, "board_returns", "returned")
        save_with_reason(plan, actor, "Not signed off: the Board was not unanimous (para 221)")
        _notify_manager(plan, f"The Board did not sign off version {plan.version} of the maturity plan")
        return
    today = local_today()
    step(plan, MATURITY_STEPS, ERR_MATURITY_STEP, "board_signs_off", "signed off")
    plan.signed_off_on = today
    plan.next_update_due = add_months(today, MATURITY_UPDATE_MONTHS)
    save_with_reason(plan, actor, "Signed off unanimously by the Board (para 221)")
    for previous in (MaturityPlan.objects.select_for_update()
                     .filter(alliance_id=plan.alliance_id, status=MaturityPlanStatus.SIGNED_OFF)
                     .exclude(pk=plan.pk)):
        step(previous, MATURITY_STEPS, ERR_MATURITY_STEP, "supersede", "superseded")
        save_with_reason(previous, actor, f"Superseded by version {plan.version}")
    for obligation in selectors.maturity_update_clocks(plan.alliance_id, plan.pk):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(today, obligation.start_date),
                                          reason=f"Maturity plan version {plan.version} signed off",
                                          by_workflow=True)
    manager = selectors.maturity_alliance_manager(plan.alliance_id)
    alliance_services.obligation_open(
        actor=actor, alliance=plan.alliance, kind=ObligationKind.MATURITY_PLAN,
        title="Annual update of the five-year rolling maturity plan", paragraph="para 221",
        start_date=today, due_date=plan.next_update_due, subject=plan,
        responsible_organisation=manager.organisation if manager else None, responsible_person=manager,
    )
    _notify_manager(plan, f"The Board signed off version {plan.version} of the maturity plan")


BOARD_OUTCOMES = BoardOutcomes(
    MaturityPlan, waiting=MaturityPlanStatus.WITH_BOARD, select_related=("alliance",),
    handlers={MATURITY_DECISION_CODE: _on_outcome},
)
