"""Reads of the self-assessment against the Alliancing Code of Practice (seed 003): the assessments of an
alliance, one assessment, the Code's outcomes grouped as the seed prints them, a participant's own ratings, and
the results.

The results are sums and counts of the ratings per theme and phase, in one GROUP BY over the ratings joined to
their outcomes (and one count of the distinct participants): every average is then an exact Decimal (no float
on the way), the mean of every rating given in that cell (a participant who rated three outcomes of a cell counts
three times; an outcome nobody rated counts not at all). A theme's average is the mean of all its ratings over
the four phases; the overall average the mean of all ratings.

A **gap** is a theme and phase averaging below ``GAP_BELOW`` = 3. That threshold is ours: the seed rates
nothing, it describes outcomes "to informally gauge progress, or as a more formal assessment"; 3 is the middle of
our 1-to-5 scale, below it the alliance says the outcome is more not in place than in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from alliance.permissions import alliance_id_of
from mobilisation.models import (
    CodeOutcome,
    CodePhase,
    CodeTheme,
    FocusArea,
    MaturityPlan,
    MaturityPlanStatus,
    Rating,
    SelfAssessment,
    SelfAssessmentStatus,
)

if TYPE_CHECKING:
    from alliance.models import Person

GAP_BELOW = Decimal(3)  # OUR threshold, not the seed's: see the module's docstring
SCORE_TOP = 5
# The maturity plan versions an action may be added to: a draft, or one the Board did not sign off (editable
# again). Not one with the Board, nor a signed-off one: those change only through the Board.
MATURITY_EDITABLE = (MaturityPlanStatus.DRAFT, MaturityPlanStatus.RETURNED)

_THEMES = list(CodeTheme.choices)
_PHASES = list(CodePhase.choices)
_HUNDREDTH = Decimal("0.01")


def _shown(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


@dataclass
class AssessmentCell:
    """The ratings of one theme and phase (or one theme, or all): sums and counts, now and in the previous
    assessment. ``phase`` is "" for a theme's total."""

    theme: str
    phase: str
    theme_label: str
    phase_label: str
    total: int = 0
    count: int = 0
    previous_total: int = 0
    previous_count: int = 0
    has_previous: bool = False

    @property
    def average(self) -> Decimal | None:
        return Decimal(self.total) / Decimal(self.count) if self.count else None

    @property
    def previous_average(self) -> Decimal | None:
        return Decimal(self.previous_total) / Decimal(self.previous_count) if self.previous_count else None

    @property
    def difference(self) -> Decimal | None:
        now, before = self.average, self.previous_average
        return None if now is None or before is None else now - before

    @property
    def direction(self) -> str | None:
        """"up", "down" or "level" (as shown, to two decimals), None with nothing to compare."""
        difference = self.difference
        if difference is None:
            return None
        shown = difference.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
        return "up" if shown > 0 else "down" if shown < 0 else "level"

    @property
    def change_words(self) -> str:
        direction, difference = self.direction, self.difference  # both None, or neither
        if direction is None or difference is None:
            return "nothing to compare" if self.has_previous else "no previous assessment"
        if direction == "level":
            return f"level with {_shown(self.previous_average)}"
        return f"{direction} {_shown(abs(difference))} from {_shown(self.previous_average)}"

    @property
    def average_shown(self) -> str:
        return _shown(self.average)

    @property
    def previous_shown(self) -> str:
        return _shown(self.previous_average)

    @property
    def is_gap(self) -> bool:
        average = self.average
        return average is not None and average < GAP_BELOW

    @property
    def bar_percent(self) -> str:
        """The bar's length, as a percentage of 5, for the chart."""
        average = self.average
        return "0" if average is None else _shown(average * 100 / SCORE_TOP)

    @property
    def previous_percent(self) -> str:
        average = self.previous_average
        return "" if average is None else _shown(average * 100 / SCORE_TOP)

    def add(self, total: int, count: int, *, previous: bool) -> None:
        if previous:
            self.previous_total += total
            self.previous_count += count
        else:
            self.total += total
            self.count += count


@dataclass
class AssessmentTheme:
    theme: str
    label: str
    cells: list[AssessmentCell]
    overall: AssessmentCell


@dataclass
class AssessmentResults:
    assessment: SelfAssessment
    previous: SelfAssessment | None
    participants: int
    previous_participants: int
    themes: list[AssessmentTheme]
    overall: AssessmentCell
    gaps: list[AssessmentCell] = field(default_factory=list)
    phases: list[tuple[str, str]] = field(default_factory=lambda: list(_PHASES))

    def cell(self, theme: str, phase: str) -> AssessmentCell | None:
        for row in self.themes:
            if row.theme == theme:
                return next((c for c in row.cells if c.phase == phase), None)
        return None

    def theme(self, theme: str) -> AssessmentCell | None:
        return next((row.overall for row in self.themes if row.theme == theme), None)

    @property
    def any_ratings(self) -> bool:
        return self.overall.count > 0


def self_assessment_results(assessment: SelfAssessment) -> AssessmentResults:
    """The averages per theme and phase and per theme, the number of participants, and each compared with the
    previous assessment; the gaps. Two queries, whatever the number of ratings."""
    previous_id = assessment.previous_id
    ids = [assessment.pk] + ([previous_id] if previous_id else [])
    sums = (Rating.objects.filter(assessment_id__in=ids)
            .values_list("assessment_id", "outcome__theme", "outcome__phase")
            .annotate(total=Sum("score"), n=Count("pk")).order_by())
    participants = dict(Rating.objects.filter(assessment_id__in=ids).values_list("assessment_id")
                        .annotate(n=Count("participant_id", distinct=True)).order_by())
    has_previous = previous_id is not None
    labels_t, labels_p = dict(_THEMES), dict(_PHASES)
    cells = {(t, p): AssessmentCell(t, p, labels_t[t], labels_p[p], has_previous=has_previous)
             for t, _ in _THEMES for p, _ in _PHASES}
    theme_totals = {t: AssessmentCell(t, "", labels_t[t], "All phases", has_previous=has_previous) for t, _ in _THEMES}
    overall = AssessmentCell("", "", "All themes", "All phases", has_previous=has_previous)
    for assessment_id, theme, phase, total, n in sums:
        previous = assessment_id != assessment.pk
        for target in (cells.get((theme, phase)), theme_totals.get(theme), overall):
            if target is not None:
                target.add(total, n, previous=previous)
    themes = [AssessmentTheme(t, label, [cells[(t, p)] for p, _ in _PHASES], theme_totals[t]) for t, label in _THEMES]
    gaps = [cells[(t, p)] for p, _ in _PHASES for t, _ in _THEMES if cells[(t, p)].is_gap]
    return AssessmentResults(
        assessment=assessment, previous=assessment.previous if has_previous else None,
        participants=participants.get(assessment.pk, 0), previous_participants=participants.get(previous_id, 0),
        themes=themes, overall=overall, gaps=gaps)


def self_assessment_participants(assessment: SelfAssessment) -> int:
    """How many have taken part (rated at least one outcome)."""
    return Rating.objects.filter(assessment=assessment).aggregate(n=Count("participant_id", distinct=True))["n"]


def self_assessments(alliance_id: int) -> QuerySet[SelfAssessment]:
    """The alliance's assessments, newest first, each with how many took part."""
    return (SelfAssessment.objects.filter(alliance_id=alliance_id)
            .select_related("previous")
            .annotate(participants=Count("ratings__participant", distinct=True))
            .order_by("-opens_on", "-pk"))


def self_assessment_open_now(alliance_id: int) -> SelfAssessment | None:
    return (SelfAssessment.objects.filter(alliance_id=alliance_id, status=SelfAssessmentStatus.OPEN)
            .order_by("-opens_on", "-pk").first())


def self_assessment_for(user: Person, pk: int) -> SelfAssessment:
    """An assessment of the user's alliance; 404 for another alliance's."""
    alliance_id = alliance_id_of(user)
    assessment = (SelfAssessment.objects.select_related("previous", "created_by")
                  .filter(pk=pk, alliance_id=alliance_id).first() if alliance_id is not None else None)
    if assessment is None:
        raise Http404("No such self-assessment.")
    return assessment


@dataclass
class OutcomeGroup:
    phase: str
    phase_label: str
    theme: str
    theme_label: str
    outcomes: list[CodeOutcome]


def code_outcomes_grouped(alliance_id: int) -> list[OutcomeGroup]:
    """The alliance's outcomes of the Code, grouped as the seed prints them: by phase, then theme."""
    outcomes = list(CodeOutcome.objects.filter(alliance_id=alliance_id).order_by("order", "pk"))
    labels_t, labels_p = dict(_THEMES), dict(_PHASES)
    groups = []
    for phase, _ in _PHASES:
        for theme, _ in _THEMES:
            members = [o for o in outcomes if o.phase == phase and o.theme == theme]
            if members:
                groups.append(OutcomeGroup(phase, labels_p[phase], theme, labels_t[theme], members))
    return groups


def ratings_of(assessment: SelfAssessment, user: Person) -> dict[str, int]:
    """{outcome code: score} of the user's own ratings in the assessment."""
    return dict(Rating.objects.filter(assessment=assessment, participant=user).values_list("outcome__code", "score"))


def maturity_plan_draft(alliance_id: int | None) -> MaturityPlan | None:
    """The alliance's current draft maturity plan (the latest editable version), if there is one."""
    if alliance_id is None:
        return None
    return (MaturityPlan.objects.filter(alliance_id=alliance_id, status__in=MATURITY_EDITABLE)
            .order_by("-version").first())


def maturity_draft_focus_areas(plan: MaturityPlan | None) -> QuerySet[FocusArea]:
    if plan is None:
        return FocusArea.objects.none()
    return FocusArea.objects.filter(plan=plan).order_by("order", "pk")
