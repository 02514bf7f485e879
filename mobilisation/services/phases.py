"""Writes of the mobilisation phases and their go / no-go assessments (paras 205, 208-210).

1. ``phases_seed`` lays out the alliance's phases from its start date (para 208): the transition phase before
   the start (already done by the Client: closed), the interim phase of the accelerated stage (three months)
   and of the full stage (six months), and the enduring phase of the full stage from six months on (para 205).
2. At the end of a phase the Alliance Manager prepares an assessment against go / no-go criteria, at least one
   at Scheme level and one at Alliance level (para 209), and marks each met or not met with its evidence.
3. The SRO records the outcome: "go" only when every criterion is marked and met, which closes the phase;
   "no go" (with reasons) keeps the phase open and sets actions, each owned by an organisation with a due date
   and a dated obligation (``NO_GO_ACTION``), met when the action is done. A later assessment can follow.

The workflows' tables are ``PHASE_STEPS`` and ``ASSESSMENT_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_days, add_months, local_today
from alliance.models import ObligationKind, Organisation
from alliance.selectors import alliance_manager, nominators_of
from alliance.workflow import require, save_with_reason, step
from mobilisation.models import (
    Assessment,
    AssessmentOutcome,
    Criterion,
    CriterionLevel,
    NoGoAction,
    Phase,
    PhaseKind,
    PhaseStatus,
    Stage,
)
from mobilisation.permissions import can_work_on_deliverable, is_alliance_manager, is_sro

if TYPE_CHECKING:
    from alliance.models import Alliance, Person

ERR_PHASE_NOT_AM = "Only the Alliance Manager sets up the mobilisation phases."
ERR_PHASE_CLOSED = "This phase is closed after a go: it cannot be {action} again (para 209)."
ERR_ASSESSMENT_NOT_AM = "Only the Alliance Manager prepares a go / no-go assessment and marks its criteria (para 209)."
ERR_ASSESSMENT_NOT_SRO = "Only the SRO records the outcome of a go / no-go assessment (para 209)."
ERR_ASSESSMENT_IN_PREPARATION = "This phase already has an assessment in preparation: finish it first."
ERR_ASSESSMENT_LEVEL_MISSING = ("The go / no-go criteria must be formed of Scheme-level and Alliance-level criteria "
                                "(para 209); missing: {levels}.")
ERR_ASSESSMENT_CRITERION_TEXT = "Describe the criterion."
ERR_ASSESSMENT_DECIDED = "This assessment's outcome is recorded ({outcome}): it can no longer be changed."
ERR_ASSESSMENT_UNKNOWN_CRITERION = "Not a criterion of this assessment."
ERR_ASSESSMENT_EVIDENCE = "Give the evidence for marking “{criterion}”."
ERR_ASSESSMENT_OUTCOME = "Choose go or no go."
ERR_ASSESSMENT_NOT_MET = "A go needs every criterion marked and met (para 209); not met: {criteria}."
ERR_ASSESSMENT_NO_GO_REASONS = "Give the reasons for a no go."
ERR_ASSESSMENT_NO_GO_ACTIONS = "A no go needs at least one action, each with its owner and due date."
ERR_ASSESSMENT_ACTION_FIELDS = "Each action needs a description, an owner organisation and a due date."
ERR_ASSESSMENT_ACTION_OWNER = "An action's owner must be an organisation of this alliance."
ERR_ASSESSMENT_ACTION_DUE = "An action's due date cannot be before today."
ERR_ASSESSMENT_ACTION_DONE = "This action is already done."
ERR_ASSESSMENT_NOT_ACTION_OWNER = "Only the action's owner organisation or the Alliance Manager marks it done."

INTERIM_MONTHS = {Stage.ACCELERATED: 3, Stage.FULL: 6}  # para 208
# The seeds do not say when the Client began the transition phase; it is shown as the six months before the start.
TRANSITION_MONTHS = 6

PHASE_STEPS: dict[str, tuple[set[str], str]] = {
    "assess": ({PhaseStatus.OPEN}, PhaseStatus.OPEN),
    "close": ({PhaseStatus.OPEN}, PhaseStatus.CLOSED),
}
# An assessment has no status of its own: a blank outcome is "in preparation".
ASSESSMENT_STEPS: dict[str, tuple[set[str], str]] = {
    "prepare": ({""}, ""),
    "go": ({""}, AssessmentOutcome.GO),
    "no_go": ({""}, AssessmentOutcome.NO_GO),
}


def _assessment_step(assessment: Assessment, name: str) -> None:
    allowed_from, to = ASSESSMENT_STEPS[name]
    if assessment.outcome not in allowed_from:
        raise ValidationError(ERR_ASSESSMENT_DECIDED.format(outcome=assessment.get_outcome_display().lower()))
    assessment.outcome = to


def _link(assessment: Assessment) -> str:
    return reverse("mobilisation-phase-assessment", args=[assessment.pk])


@transaction.atomic
def phases_seed(alliance: Alliance, *, actor: Person | None = None) -> list[Phase]:
    """Lay out the alliance's phases from its start date (paras 205, 208); a phase already there is kept as it
    is, so running this twice changes nothing."""
    if actor is not None:
        require(is_alliance_manager(actor, alliance.pk), ERR_PHASE_NOT_AM)
    start = alliance.start_date
    layout = [
        (PhaseKind.TRANSITION, "", add_months(start, -TRANSITION_MONTHS), add_days(start, -1), PhaseStatus.CLOSED),
        (PhaseKind.INTERIM, Stage.ACCELERATED, start, add_months(start, INTERIM_MONTHS[Stage.ACCELERATED]),
         PhaseStatus.OPEN),
        (PhaseKind.INTERIM, Stage.FULL, start, add_months(start, INTERIM_MONTHS[Stage.FULL]), PhaseStatus.OPEN),
        # Para 205: the enduring phase of the full mobilisation starts when the interim phase ends.
        (PhaseKind.ENDURING, Stage.FULL, add_months(start, INTERIM_MONTHS[Stage.FULL]), None, PhaseStatus.OPEN),
    ]
    phases = []
    for kind, stage, starts_on, ends_on, status in layout:
        phase = Phase.objects.filter(alliance=alliance, kind=kind, stage=stage).first()
        if phase is None:
            phase = Phase(alliance=alliance, kind=kind, stage=stage, starts_on=starts_on, ends_on=ends_on,
                          status=status)
            save_with_reason(phase, actor, "Laid out from the Alliance Start Date (para 208)")
        phases.append(phase)
    return phases


def _locked_phase(phase: Phase) -> Phase:
    return Phase.objects.select_for_update().get(pk=phase.pk)


def _locked_assessment(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update(of=("self",)).select_related("phase__alliance").get(pk=assessment.pk)


def _clean_criteria(criteria) -> list[tuple[str, str]]:
    cleaned = []
    for level, text in criteria:
        if level not in CriterionLevel.values:
            raise ValidationError({"criteria": [ERR_ASSESSMENT_UNKNOWN_CRITERION]})
        if str(text or "").strip():
            cleaned.append((level, str(text).strip()))
    missing = [label for value, label in CriterionLevel.choices if value not in {lvl for lvl, _ in cleaned}]
    if missing:
        raise ValidationError({"criteria": [ERR_ASSESSMENT_LEVEL_MISSING.format(levels=" and ".join(missing))]})
    return cleaned


@transaction.atomic
def assessment_prepare(*, actor: Person, phase: Phase, criteria: list[tuple[str, str]],
                       held_on: dt.date | None = None) -> Assessment:
    """The Alliance Manager prepares the go / no-go assessment of an open phase against ``criteria``, pairs of
    (level, text), at least one at each level (para 209)."""
    require(is_alliance_manager(actor, phase.alliance_id), ERR_ASSESSMENT_NOT_AM)
    # The phase's row lock serialises preparations: two at once would each see no assessment in preparation.
    phase = _locked_phase(phase)
    step(phase, PHASE_STEPS, ERR_PHASE_CLOSED, "assess", "assessed")
    if phase.assessments.filter(outcome="").exists():
        raise ValidationError(ERR_ASSESSMENT_IN_PREPARATION)
    cleaned = _clean_criteria(criteria)
    assessment = Assessment(phase=phase, held_on=held_on or local_today(), created_by=actor)
    save_with_reason(assessment, actor, "Prepared by the Alliance Manager (para 209)")
    for level, text in cleaned:
        save_with_reason(Criterion(assessment=assessment, level=level, text=text), actor, "Criterion set")
    return assessment


@transaction.atomic
def assessment_criterion_add(*, actor: Person, assessment: Assessment, level: str, text: str) -> Criterion:
    """The Alliance Manager adds a criterion to an assessment in preparation."""
    require(is_alliance_manager(actor, assessment.phase.alliance_id), ERR_ASSESSMENT_NOT_AM)
    assessment = _locked_assessment(assessment)
    _assessment_step(assessment, "prepare")
    if level not in CriterionLevel.values:
        raise ValidationError({"level": [ERR_ASSESSMENT_UNKNOWN_CRITERION]})
    if not str(text or "").strip():
        raise ValidationError({"text": [ERR_ASSESSMENT_CRITERION_TEXT]})
    criterion = Criterion(assessment=assessment, level=level, text=text.strip())
    save_with_reason(criterion, actor, "Criterion added")
    return criterion


@transaction.atomic
def criteria_mark(*, actor: Person, assessment: Assessment,
                  marks: dict[int, tuple[bool | None, str]]) -> int:
    """The Alliance Manager marks criteria met (True), not met (False) or not yet assessed (None), each mark
    with its evidence (para 209). Returns how many criteria changed."""
    require(is_alliance_manager(actor, assessment.phase.alliance_id), ERR_ASSESSMENT_NOT_AM)
    # Locked so that a mark cannot land after the SRO recorded the outcome.
    assessment = _locked_assessment(assessment)
    _assessment_step(assessment, "prepare")
    criteria = {c.pk: c for c in assessment.criteria.select_for_update()}
    if set(marks) - set(criteria):
        raise ValidationError({"criteria": [ERR_ASSESSMENT_UNKNOWN_CRITERION]})
    errors, changed = {}, []
    for pk, (met, evidence) in marks.items():
        criterion, evidence = criteria[pk], str(evidence or "").strip()
        if met is not None and not evidence:
            errors[f"evidence_{pk}"] = [ERR_ASSESSMENT_EVIDENCE.format(criterion=criterion.text)]
            continue
        if (criterion.met, criterion.evidence) != (met, evidence):
            criterion.met, criterion.evidence = met, evidence
            changed.append(criterion)
    if errors:
        raise ValidationError(errors)
    for criterion in changed:
        word = {True: "Met", False: "Not met", None: "Not assessed"}[criterion.met]
        save_with_reason(criterion, actor, f"Marked: {word}")
    return len(changed)


def _clean_actions(alliance_id: int, actions: list[dict]) -> list[dict]:
    today = local_today()
    cleaned = []
    for action in actions:
        description = str(action.get("description") or "").strip()
        owner, due_on = action.get("owner"), action.get("due_on")
        if not description or owner is None or due_on is None:
            raise ValidationError({"actions": [ERR_ASSESSMENT_ACTION_FIELDS]})
        if not isinstance(owner, Organisation):
            owner = Organisation.objects.filter(pk=owner).first()
        if owner is None or owner.alliance_id != alliance_id:
            raise ValidationError({"actions": [ERR_ASSESSMENT_ACTION_OWNER]})
        if due_on < today:
            raise ValidationError({"actions": [ERR_ASSESSMENT_ACTION_DUE]})
        cleaned.append({"description": description, "owner": owner, "due_on": due_on})
    if not cleaned:
        raise ValidationError({"actions": [ERR_ASSESSMENT_NO_GO_ACTIONS]})
    return cleaned


@transaction.atomic
def assessment_outcome_record(*, actor: Person, assessment: Assessment, outcome: str, notes: str = "",
                              actions: list[dict] | None = None) -> Assessment:
    """The SRO records go or no go (para 209). A go needs every criterion marked and met and closes the phase;
    a no go needs reasons and at least one action (``description``, ``owner``, ``due_on``), each a dated
    obligation of its owner, and leaves the phase open for a later assessment."""
    require(is_sro(actor, assessment.phase.alliance_id), ERR_ASSESSMENT_NOT_SRO)
    # Locked so that the outcome is judged on the criteria as they stand: a mark cannot slip in meanwhile.
    assessment = _locked_assessment(assessment)
    if outcome not in AssessmentOutcome.values:
        _assessment_step(assessment, "prepare")
        raise ValidationError({"outcome": [ERR_ASSESSMENT_OUTCOME]})
    _assessment_step(assessment, outcome)
    phase = _locked_phase(assessment.phase)
    criteria = list(assessment.criteria.all())
    _clean_criteria([(c.level, c.text) for c in criteria])
    notes = notes.strip()
    if outcome == AssessmentOutcome.GO:
        unmet = [c.text for c in criteria if c.met is not True]
        if unmet:
            raise ValidationError({"outcome": [ERR_ASSESSMENT_NOT_MET.format(criteria="; ".join(unmet))]})
        cleaned = []
    else:
        if not notes:
            raise ValidationError({"notes": [ERR_ASSESSMENT_NO_GO_REASONS]})
        cleaned = _clean_actions(phase.alliance_id, actions or [])
    assessment.outcome_notes, assessment.decided_by, assessment.decided_at = notes, actor, timezone.now()
    save_with_reason(assessment, actor, f"{assessment.get_outcome_display()} recorded by the SRO (para 209)")
    if outcome == AssessmentOutcome.GO:
        step(phase, PHASE_STEPS, ERR_PHASE_CLOSED, "close", "closed")
        save_with_reason(phase, actor, "Closed after a go (para 209)")
    today = local_today()
    for fields in cleaned:
        action = NoGoAction(assessment=assessment, **fields)
        save_with_reason(action, actor, "Set after a no go (para 209)")
        alliance_services.obligation_open(
            actor=actor, alliance=phase.alliance, kind=ObligationKind.NO_GO_ACTION,
            title=f"No-go action of the {phase}: {action.description[:200]}", paragraph="para 209",
            start_date=today, due_date=action.due_on, responsible_organisation=action.owner, subject=action)
        alliance_services.notification_send(
            recipients=nominators_of(action.owner.pk), link=_link(assessment),
            title=f"Your organisation owns an action after the no go of the {phase}, due {action.due_on:%-d %b %Y}")
    manager = alliance_manager(phase.alliance_id)
    if manager is not None:
        alliance_services.notification_send(
            recipients=[manager], link=_link(assessment),
            title=f"The SRO recorded {assessment.get_outcome_display().lower()} for the {phase}")
    return assessment


@transaction.atomic
def no_go_action_done(*, actor: Person, action: NoGoAction) -> NoGoAction:
    """The owner organisation's people (or the Alliance Manager) mark a no-go action done; its obligation is met."""
    alliance_id = action.assessment.phase.alliance_id
    require(can_work_on_deliverable(actor, action.owner_id, alliance_id), ERR_ASSESSMENT_NOT_ACTION_OWNER)
    action = NoGoAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise ValidationError(ERR_ASSESSMENT_ACTION_DONE)
    action.done_on = local_today()
    save_with_reason(action, actor, "Done")
    alliance_services.obligations_meet_for(actor=actor, subject=action, kind=ObligationKind.NO_GO_ACTION,
                                           reason="The no-go action is done")
    return action
