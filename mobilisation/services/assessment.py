"""Writes of the self-assessment against the Alliancing Code of Practice (seed 003: "It allows organisations to
undertake a gap analysis and identify key areas for improvement").

1. The Code's outcomes are seeded per alliance from ``mobilisation.code_of_practice`` (``code_outcomes_seed``,
   idempotent).
2. The Alliance Manager opens a self-assessment (one open at a time; its previous is the last closed one).
3. While it is open, and from its opening day to its closing day, every participant (``permissions.can_rate``)
   rates each outcome from 1 to 5, on one form, as often as they like: one rating per participant per outcome
   per assessment, a new score changes it and its history keeps the change.
4. The Alliance Manager closes it; ratings after the close are refused.
5. A gap (a theme and phase averaging below ``GAP_BELOW``) can become an action of the current draft maturity
   plan (paras 216-221), through ``gap_action_create`` only.

The workflow's table is ``SELF_ASSESSMENT_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.dates import local_today
from alliance.models import Alliance
from alliance.permissions import alliance_id_of
from alliance.workflow import save_with_reason, step
from mobilisation import permissions
from mobilisation.code_of_practice import CODE_OF_PRACTICE
from mobilisation.models import (
    CodeOutcome,
    CodePhase,
    CodeTheme,
    FocusArea,
    MaturityAction,
    Rating,
    SelfAssessment,
    SelfAssessmentStatus,
)
from mobilisation.selectors.assessment import GAP_BELOW, maturity_plan_draft, self_assessment_results

if TYPE_CHECKING:
    from alliance.models import Person

ERR_SELF_ASSESSMENT_TITLE = "Enter a title for the self-assessment."
ERR_SELF_ASSESSMENT_DATES = "The closing date must be on or after the opening date."
ERR_SELF_ASSESSMENT_OPEN_EXISTS = "“{title}” is still open: close it before opening another self-assessment."
ERR_SELF_ASSESSMENT_STEP = "This self-assessment is {status}: it cannot be {action}."
ERR_SELF_ASSESSMENT_CLOSED = "This self-assessment is closed: ratings are no longer taken."
ERR_SELF_ASSESSMENT_NOT_OPEN_YET = "This self-assessment opens for ratings on {day:%-d %b %Y}."
ERR_SELF_ASSESSMENT_PAST_CLOSING = "Ratings were taken until {day:%-d %b %Y}: this self-assessment takes no more."
ERR_SELF_ASSESSMENT_SCORE = "Rate each outcome from 1 (not at all) to 5 (fully)."
ERR_SELF_ASSESSMENT_UNKNOWN_OUTCOME = "Not an outcome of this alliance's Code of Practice: {codes}."
ERR_SELF_ASSESSMENT_NO_DRAFT_PLAN = ("There is no draft maturity plan to add an action to: the Alliance Manager "
                                     "drafts the next version of the plan first (para 221).")
ERR_SELF_ASSESSMENT_FOCUS_AREA = "Choose a focus area of the current draft maturity plan."
ERR_SELF_ASSESSMENT_NOT_A_GAP = "{theme} · {phase} is not a gap of this self-assessment (an average below {below})."
ERR_SELF_ASSESSMENT_GAP_DESCRIPTION = "Describe the action."

SCORE_MIN, SCORE_MAX = 1, 5  # the model's CheckConstraint rating_1_to_5 holds the same range

SELF_ASSESSMENT_STEPS: dict[str, tuple[set[str], str]] = {
    "rate": ({SelfAssessmentStatus.OPEN}, SelfAssessmentStatus.OPEN),  # ratings_save: ERR_SELF_ASSESSMENT_CLOSED
    "close": ({SelfAssessmentStatus.OPEN}, SelfAssessmentStatus.CLOSED),
}


def code_outcomes_seed(alliance: Alliance) -> int:
    """Give the alliance the Code's outcomes it does not have yet (by code); returns how many were added. Texts
    of outcomes already there are left alone: their ratings were given against them."""
    have = set(CodeOutcome.objects.filter(alliance=alliance).values_list("code", flat=True))
    missing = [CodeOutcome(alliance=alliance, code=o.code, theme=o.theme, phase=o.phase, text=o.text, order=o.order)
               for o in CODE_OF_PRACTICE if o.code not in have]
    if missing:
        # ignore_conflicts: two first openings at once (or a demo seed beside one) each insert the same codes;
        # the unique (alliance, code) keeps one of each.
        bulk_create_with_history(missing, CodeOutcome, ignore_conflicts=True,
                                 default_change_reason="From the Code of Practice (seed 003)")
    return len(missing)


def _alliance_of(actor: Person) -> Alliance:
    return Alliance.objects.get(pk=permissions.require_self_assessment_manager(actor, alliance_id_of(actor)))


def _locked(assessment: SelfAssessment) -> SelfAssessment:
    return SelfAssessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)


@transaction.atomic
def self_assessment_open(*, actor: Person, title: str, opens_on: dt.date, closes_on: dt.date) -> SelfAssessment:
    """The Alliance Manager opens a self-assessment of their alliance against the Code of Practice."""
    alliance = _alliance_of(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [ERR_SELF_ASSESSMENT_TITLE]})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": [ERR_SELF_ASSESSMENT_DATES]})
    # Lock the alliance: two openings at once would both find no open assessment and both open one.
    Alliance.objects.select_for_update().filter(pk=alliance.pk).values_list("pk", flat=True).get()
    still_open = SelfAssessment.objects.filter(alliance=alliance, status=SelfAssessmentStatus.OPEN).first()
    if still_open is not None:
        raise ValidationError(ERR_SELF_ASSESSMENT_OPEN_EXISTS.format(title=still_open.title))
    code_outcomes_seed(alliance)
    previous = (SelfAssessment.objects.filter(alliance=alliance, status=SelfAssessmentStatus.CLOSED)
                .order_by("-closes_on", "-pk").first())
    assessment = SelfAssessment(alliance=alliance, title=title, opens_on=opens_on, closes_on=closes_on,
                                previous=previous, created_by=actor)
    save_with_reason(assessment, actor, "Opened")
    return assessment


@transaction.atomic
def self_assessment_close(*, actor: Person, assessment: SelfAssessment) -> SelfAssessment:
    permissions.require_self_assessment_manager(actor, assessment.alliance_id)
    # The same row lock as ratings_save takes: a rating in flight lands before the close or is refused after it.
    assessment = _locked(assessment)
    step(assessment, SELF_ASSESSMENT_STEPS, ERR_SELF_ASSESSMENT_STEP, "close", "closed")
    save_with_reason(assessment, actor, "Closed")
    return assessment


def _clean_scores(assessment: SelfAssessment, scores: Mapping[str, object]) -> dict[int, int]:
    """{outcome id: score} from {outcome code: score}; a blank (None or "") is no rating. Any other value is
    checked here (``object``: an API's JSON may send anything)."""
    outcomes = dict(CodeOutcome.objects.filter(alliance_id=assessment.alliance_id).values_list("code", "pk"))
    unknown = sorted(set(scores) - set(outcomes))
    if unknown:
        raise ValidationError(ERR_SELF_ASSESSMENT_UNKNOWN_OUTCOME.format(codes=", ".join(unknown)))
    cleaned = {}
    for code, score in scores.items():
        if score is None or score == "":
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
            raise ValidationError({code: [ERR_SELF_ASSESSMENT_SCORE]})
        cleaned[outcomes[code]] = score
    return cleaned


@transaction.atomic
def ratings_save(*, actor: Person, assessment: SelfAssessment, scores: dict[str, int | None]) -> int:
    """Save the actor's ratings of an open assessment, ``{outcome code: 1..5}`` (a partial set is fine; a blank
    leaves that outcome as it was). A new score changes the actor's rating of that outcome: the row is updated
    and its history keeps the earlier score. Returns how many ratings were added or changed."""
    permissions.require_rater(actor, assessment.alliance_id)
    # Lock the assessment row: the close takes the same lock, so no rating lands after the close; and two saves
    # by the same participant (two tabs) run one after the other, so the second finds the first's rows and
    # updates them rather than inserting a second row (the unique constraint rate_each_outcome_once holds it
    # too). Different participants' saves queue for a moment, a few milliseconds each.
    assessment = _locked(assessment)
    if assessment.status not in SELF_ASSESSMENT_STEPS["rate"][0]:
        raise ValidationError(ERR_SELF_ASSESSMENT_CLOSED)
    today = local_today()
    if today < assessment.opens_on:
        raise ValidationError(ERR_SELF_ASSESSMENT_NOT_OPEN_YET.format(day=assessment.opens_on))
    if today > assessment.closes_on:
        raise ValidationError(ERR_SELF_ASSESSMENT_PAST_CLOSING.format(day=assessment.closes_on))
    wanted = _clean_scores(assessment, scores)
    if not wanted:
        return 0
    existing = {r.outcome_id: r for r in Rating.objects.filter(
        assessment=assessment, participant=actor, outcome_id__in=wanted)}
    now = timezone.now()
    changed = []
    for outcome_id, score in wanted.items():
        rating = existing.get(outcome_id)
        if rating is not None and rating.score != score:
            rating.score, rating.rated_at = score, now
            changed.append(rating)
    added = [Rating(assessment=assessment, participant=actor, outcome_id=outcome_id, score=score, rated_at=now)
             for outcome_id, score in wanted.items() if outcome_id not in existing]
    if changed:
        bulk_update_with_history(changed, Rating, ["score", "rated_at"], default_user=actor,
                                 default_change_reason="Rating changed", default_date=now)
    if added:
        bulk_create_with_history(added, Rating, default_user=actor, default_change_reason="Rated", default_date=now)
    return len(changed) + len(added)


def gap_action_create(*, alliance_id: int, focus_area_id: int, description: str, source: str,
                      actor: Person | None = None, due_on: dt.date | None = None) -> MaturityAction:
    """The one way this workflow writes to the maturity plan: an action under a focus area of the alliance's
    current draft plan (a signed-off plan or one with the Board is not changed behind the Board's back)."""
    plan = maturity_plan_draft(alliance_id)
    if plan is None:
        raise ValidationError(ERR_SELF_ASSESSMENT_NO_DRAFT_PLAN)
    focus_area = FocusArea.objects.filter(pk=focus_area_id, plan=plan).first()
    if focus_area is None:
        raise ValidationError({"focus_area": [ERR_SELF_ASSESSMENT_FOCUS_AREA]})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": [ERR_SELF_ASSESSMENT_GAP_DESCRIPTION]})
    action = MaturityAction(focus_area=focus_area, description=description, source=source[:200], due_on=due_on)
    save_with_reason(action, actor, "From a self-assessment gap")
    return action


@transaction.atomic
def self_assessment_gap_to_action(*, actor: Person, assessment: SelfAssessment, theme: str, phase: str,
                                  focus_area_id: int, description: str = "",
                                  due_on: dt.date | None = None) -> MaturityAction:
    """The Alliance Manager turns a gap of the assessment (a theme and phase averaging below ``GAP_BELOW``) into
    an action of the current draft maturity plan."""
    permissions.require_self_assessment_manager(actor, assessment.alliance_id)
    theme_label, phase_label = dict(CodeTheme.choices).get(theme), dict(CodePhase.choices).get(phase)
    results = self_assessment_results(assessment)
    cell = results.cell(theme, phase) if theme_label and phase_label else None
    if cell is None or not cell.is_gap or not theme_label or not phase_label:  # the labels: only for mypy
        raise ValidationError(ERR_SELF_ASSESSMENT_NOT_A_GAP.format(
            theme=theme_label or theme, phase=phase_label or phase, below=GAP_BELOW))
    description = (description or "").strip() or (
        f"Improve {theme_label.lower()} in the {phase_label.lower()} phase of the Code of Practice "
        f"(average {cell.average_shown} of 5).")
    source = f"{assessment.title}: {theme_label} · {phase_label}, average {cell.average_shown}"
    return gap_action_create(alliance_id=assessment.alliance_id, focus_area_id=focus_area_id,
                             description=description, source=source, actor=actor, due_on=due_on)
