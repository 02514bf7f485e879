"""Reads of the scorecard: the four views of Figure 8 (para 154) for a quarter or a year, aggregated in the
database; findings; trends.

A mean is taken over the scores present: a missing score is missing, never zero (DOMAIN.md section 5). Every
scheme and metric weighs the same (para 152), so the overall average of a quarter is the mean of its scores.
A year is the mean of its quarters (para 153): at each level, the mean of the quarterly averages present.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from alliance.dates import local_today
from alliance.permissions import alliance_id_of
from allocation.models import Scheme, SchemeStatus
from performance import periods, permissions
from performance.models import Finding, Metric, Quarter, QuarterStatus, Score

if TYPE_CHECKING:
    from alliance.models import Person

__all__ = [
    "Average",
    "Scorecard",
    "metrics_of",
    "quarter_by_label",
    "quarters_of",
    "quarters_of_year",
    "scorecard",
    "tier_of",
    "trend",
]

FAILURE_BELOW = Decimal(2)        # para 163: performance failure, lower than 2
UNDERPERFORMANCE_BELOW = Decimal(6)  # para 163: underperformance, 2 to below 6 (DOMAIN.md: 6 is satisfactory)


def tier_of(average) -> str | None:
    """"failure" below 2, "underperformance" from 2 to below 6, None at 6 and above (or with no score)."""
    if average is None:
        return None
    if average < FAILURE_BELOW:
        return "failure"
    if average < UNDERPERFORMANCE_BELOW:
        return "underperformance"
    return None


def metrics_of(alliance_id: int) -> QuerySet[Metric]:
    return Metric.objects.filter(alliance_id=alliance_id, is_active=True).order_by("order")


def quarters_of(user: Person) -> QuerySet[Quarter]:
    return Quarter.objects.filter(alliance_id=alliance_id_of(user)).order_by("-year", "-number")


def quarters_awaiting_client(alliance_id: int) -> QuerySet[Quarter]:
    """Frozen quarters whose scorecard the client has not yet accepted or returned (para 160), oldest first."""
    return Quarter.objects.filter(alliance_id=alliance_id, status=QuarterStatus.FROZEN).order_by("year", "number")


def quarter_default(alliance_id: int) -> Quarter | None:
    """The quarter the scorecard opens on: the latest frozen one, else the current one, else the latest."""
    known = list(Quarter.objects.filter(alliance_id=alliance_id).order_by("-year", "-number"))
    frozen = [q for q in known if q.status != QuarterStatus.OPEN]
    current = periods.containing(local_today())
    return (frozen[0] if frozen else next((q for q in known if (q.year, q.number) == current), None)
            or (known[0] if known else None))


def score_band_of(alliance_id: int, metric_code: str, score: int):
    from performance.models import ScoreBand

    return ScoreBand.objects.select_related("metric").filter(
        metric__alliance_id=alliance_id, metric__code=metric_code, score=score).first()


def quarter_if_any(alliance_id: int, year: int, number: int) -> Quarter | None:
    return Quarter.objects.filter(alliance_id=alliance_id, year=year, number=number).first()


def framework_changes_of(alliance_id: int) -> QuerySet:
    from performance.models import FrameworkChange

    return FrameworkChange.objects.filter(alliance_id=alliance_id).select_related("decision", "proposed_by")


def quarter_by_label(alliance_id: int, label: str) -> Quarter:
    parsed = periods.parse(label)
    quarter = Quarter.objects.filter(alliance_id=alliance_id, year=parsed[0], number=parsed[1]).first() if parsed else None
    if quarter is None:
        raise Http404(f"No quarter {label}.")
    return quarter


def scheme_codes(scheme_ids) -> dict[int, str]:
    return dict(Scheme.objects.filter(pk__in=scheme_ids).values_list("pk", "code"))


def quarters_of_year(alliance_id: int, year: int) -> list[Quarter]:
    return list(Quarter.objects.filter(alliance_id=alliance_id, year=year).order_by("number"))


@dataclass(frozen=True)
class Average:
    subject_id: int | None
    average: Decimal | None
    count: int

    @property
    def tier(self) -> str | None:
        return tier_of(self.average)


@dataclass
class Scorecard:
    """One period's scorecard: overall, scheme and metric averages, and the component cells."""

    label: str
    quarters: list[Quarter]
    overall: Average
    schemes: dict[int, Average]
    metrics: dict[int, Average]
    cells: dict[tuple[int, int], Decimal] = field(default_factory=dict)  # (scheme id, metric id) -> score or mean


# A mean of integer scores as the sum and count the database gives, divided here to 16 places: exact, and the
# same on every database (SQLite's AVG is a float: 7.33333333333333 where PostgreSQL's numeric has 16 places).
_SUM_AND_COUNT = {"total": Sum("score"), "n": Count("pk")}
_PLACES = Decimal(1).scaleb(-16)


def _average(total: int, n: int) -> Decimal:
    return (Decimal(total) / n).quantize(_PLACES)


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def scorecard(alliance_id: int, quarters: list[Quarter], *, label: str | None = None, with_cells: bool = True,
              scheme_ids: list[int] | None = None) -> Scorecard:
    """The scorecard of one quarter, or of a year given its quarters (the mean of the quarterly averages).

    Averages are computed by the database: one GROUP BY per level, per quarter. ``scheme_ids`` limits the cells
    (a page of the grid) without changing any average.
    """
    quarter_ids = [q.pk for q in quarters]
    scores = Score.objects.filter(quarter_id__in=quarter_ids).order_by()
    # Sums and counts per quarter and subject, as tuples (a year's grid is 20,000 rows): each average is then
    # sum / count exactly, and a quarter's overall average comes from the same rows, without another scan.
    by_quarter_scheme = list(scores.values("quarter_id", "scheme_id").annotate(
        total=Sum("score"), n=Count("pk")).values_list("quarter_id", "scheme_id", "total", "n"))
    by_quarter_metric = scores.values("quarter_id", "metric_id").annotate(
        total=Sum("score"), n=Count("pk")).values_list("quarter_id", "metric_id", "total", "n")

    def fold(rows, overall: bool = False) -> dict[int | None, Average]:
        """Each subject's quarterly averages, then their mean (para 153: a year is the mean of its quarters)."""
        per_quarter = defaultdict(lambda: [0, 0])
        for quarter_id, subject, total, n in rows:
            cell = per_quarter[(quarter_id, None if overall else subject)]
            cell[0] += total
            cell[1] += n
        averages, counts = defaultdict(list), defaultdict(int)
        for (_, subject), (total, n) in per_quarter.items():
            averages[subject].append(Decimal(total) / n)
            counts[subject] += n
        return {s: Average(s, _mean(values), counts[s]) for s, values in averages.items()}

    overall = fold(by_quarter_scheme, overall=True).get(None, Average(None, None, 0))
    card = Scorecard(
        label=label or (quarters[0].label if len(quarters) == 1 else str(quarters[0].year) if quarters else ""),
        quarters=quarters, overall=overall,
        schemes=fold(by_quarter_scheme), metrics=fold(by_quarter_metric),
    )
    if with_cells:
        cell_scores = scores if scheme_ids is None else scores.filter(scheme_id__in=scheme_ids)
        if len(quarters) == 1:
            card.cells = {(s, m): Decimal(v) for s, m, v in cell_scores.values_list("scheme_id", "metric_id", "score")}
        else:
            card.cells = {(scheme, metric): _average(total, n) for scheme, metric, total, n in
                          cell_scores.values("scheme_id", "metric_id").annotate(**_SUM_AND_COUNT).values_list(
                              "scheme_id", "metric_id", "total", "n")}
    return card


def scorecard_schemes(alliance_id: int, quarters: list[Quarter]) -> QuerySet[Scheme]:
    """The schemes scored in the period, in code order (the grid's rows)."""
    return Scheme.objects.filter(alliance_id=alliance_id, scores__quarter__in=quarters).distinct().order_by("code")


def quarter_findings(quarter: Quarter) -> QuerySet[Finding]:
    return quarter.findings.select_related("scheme", "metric", "process").order_by("scenario", "pk")


def trend(alliance_id: int, *, metric_id: int | None = None, scheme_id: int | None = None) -> list[tuple[str, Decimal]]:
    """The average per quarter, oldest first: overall, or for one metric, or one scheme (or one component)."""
    scores = Score.objects.filter(quarter__alliance_id=alliance_id).order_by()
    if metric_id:
        scores = scores.filter(metric_id=metric_id)
    if scheme_id:
        scores = scores.filter(scheme_id=scheme_id)
    rows = scores.values("quarter__year", "quarter__number").annotate(**_SUM_AND_COUNT).order_by(
        "quarter__year", "quarter__number")
    return [(periods.label(r["quarter__year"], r["quarter__number"]), _average(r["total"], r["n"])) for r in rows]


@dataclass(frozen=True)
class Detected:
    """A scenario of Figure 9 found in a scorecard (saved as a Finding when a quarter is frozen).

    ``rights_tier`` is the tier for which it gives the client intervention and termination rights ("" for none,
    see ``RightsBasis``); without a basis (a scorecard not being frozen) it is left empty."""

    scenario: int
    level: str
    tier: str
    scheme_id: int | None
    metric_id: int | None
    average: Decimal
    rights_tier: str = ""


# A component's poor performance against a health and safety measure is "continual" (Figure 9's note) once it is
# found in this many consecutive quarters: the quarter being frozen and the one before it. Two is the fewest that
# can be continual, and it puts the client's right three months after the first finding, as scenario 3 does.
CONTINUAL_QUARTERS = 2

_SEVERITY = {"": 0, "underperformance": 1, "failure": 2}


def milder_tier(a: str | None, b: str | None) -> str:
    """The milder of two tiers ("" or None: not poor at all)."""
    a, b = a or "", b or ""
    return a if _SEVERITY[a] <= _SEVERITY[b] else b


def worse_tier(a: str | None, b: str | None) -> str:
    a, b = a or "", b or ""
    return a if _SEVERITY[a] >= _SEVERITY[b] else b


@dataclass(frozen=True)
class RightsBasis:
    """What decides which findings of a quarter give the client intervention and termination rights.

    Para 146: only the metrics that inform client intervention "will be used to commence the Client-led
    performance improvement process"; those that support evolving behaviours do not. So:

    - a metric's finding (scenarios 3-4) gives rights only if the metric informs intervention;
    - an overall or a scheme finding aggregates every metric (paras 154, 164): it gives rights for a tier only
      if the same level is in that tier on the intervention-informing metrics alone too, so the rights' tier is
      the milder of the two (behaviour metrics can neither give nor worsen a right);
    - a component finding (scenarios 5-6) gives none, except continual poor performance against a health and
      safety measure that informs intervention (Figure 9's note): found ``CONTINUAL_QUARTERS`` quarters running,
      it gives the client intervention (and still no termination right: that column has no such note).
    """

    overall: Decimal | None = None
    schemes: dict[int, Decimal] = field(default_factory=dict)
    informing: frozenset[int] = frozenset()
    continual: frozenset[tuple[int, int]] = frozenset()  # (scheme, metric) poor against H&S quarters running

    def tier_for(self, level: str, tier: str, scheme_id: int | None, metric_id: int | None) -> str:
        if level == "overall":
            return milder_tier(tier, tier_of(self.overall))
        if level == "scheme":
            return milder_tier(tier, tier_of(self.schemes.get(scheme_id)))
        if level == "metric":
            return tier if metric_id in self.informing else ""
        return tier if (scheme_id, metric_id) in self.continual else ""


def rights_basis(quarter: Quarter) -> RightsBasis:
    """The quarter's averages over the intervention-informing metrics only (one GROUP BY), and the health and
    safety components found poor in the previous quarters too (the ``continual`` set)."""
    metrics = list(Metric.objects.filter(alliance_id=quarter.alliance_id).values_list(
        "pk", "informs_intervention", "health_and_safety"))
    informing = frozenset(pk for pk, informs, _ in metrics if informs)
    safety = {pk for pk, informs, hs in metrics if informs and hs}
    rows = list(Score.objects.filter(quarter=quarter, metric_id__in=informing).order_by().values("scheme_id")
                .annotate(total=Sum("score"), n=Count("pk")).values_list("scheme_id", "total", "n"))
    total, count = sum(r[1] for r in rows), sum(r[2] for r in rows)
    continual: set[tuple[int, int]] | None = None
    year, number = quarter.year, quarter.number
    for _ in range(CONTINUAL_QUARTERS - 1):
        year, number = periods.previous(year, number)
        earlier = set(Finding.objects.filter(
            quarter__alliance_id=quarter.alliance_id, quarter__year=year, quarter__number=number,
            level="component", metric_id__in=safety).values_list("scheme_id", "metric_id"))
        continual = earlier if continual is None else continual & earlier
    return RightsBasis(
        overall=Decimal(total) / count if count else None,
        schemes={scheme_id: Decimal(t) / n for scheme_id, t, n in rows},
        informing=informing, continual=frozenset(continual or ()))


def scenario_number(level: str, tier: str) -> int:
    """Figure 9: overall 1-2, a scheme or a metric 3-4, a component 5-6; failure first."""
    base = {"overall": 1, "scheme": 3, "metric": 3, "component": 5}[level]
    return base + (0 if tier == "failure" else 1)


def detect_findings(card: Scorecard, basis: RightsBasis | None = None) -> list[Detected]:
    """Every poor-performance scenario in the scorecard at the three levels (paras 164-176), each with the tier
    for which it gives the client rights when a ``basis`` is given (``rights_basis``)."""
    found = []

    def add(level, average, scheme_id=None, metric_id=None):
        tier = tier_of(average)
        if tier:
            rights = basis.tier_for(level, tier, scheme_id, metric_id) if basis is not None else ""
            found.append(Detected(scenario_number(level, tier), level, tier, scheme_id, metric_id,
                                  _decimal(average), rights))

    add("overall", card.overall.average)
    for scheme_id, average in card.schemes.items():
        add("scheme", average.average, scheme_id=scheme_id)
    for metric_id, average in card.metrics.items():
        add("metric", average.average, metric_id=metric_id)
    for (scheme_id, metric_id), score in card.cells.items():
        add("component", score, scheme_id=scheme_id, metric_id=metric_id)
    return found


def scorable_schemes(user, alliance_id: int):
    """The grid's rows: every live scheme for the Alliance Manager; a partner's, the schemes its organisation is
    current Responsible Partner on (SchemeAllocation.current_partner)."""
    schemes = Scheme.objects.filter(alliance_id=alliance_id).exclude(status=SchemeStatus.CANCELLED)
    if not permissions.scores_every_scheme(user):
        schemes = schemes.filter(allocations__current_partner_id=user.organisation_id).distinct()
    return schemes.order_by("code")


def scores_of(quarter: Quarter | None, scheme_ids: list[int]) -> dict[tuple[int, int], Score]:
    if quarter is None:
        return {}
    return {(s.scheme_id, s.metric_id): s for s in
            Score.objects.filter(quarter=quarter, scheme_id__in=scheme_ids).order_by()}


def corrected_cells(quarters: list[Quarter], scheme_ids: list[int]) -> set[tuple[int, int]]:
    return set(Score.objects.filter(quarter__in=quarters, scheme_id__in=scheme_ids).exclude(correction_reason="")
               .values_list("scheme_id", "metric_id"))


def corrections_of(quarter: Quarter):
    """Every late correction of a frozen quarter, from the scores' history (newest first)."""
    return (Score.history.filter(quarter_id=quarter.pk).exclude(correction_reason="")
            .select_related("scheme", "metric", "history_user").order_by("-history_date"))


__all__ += ["quarters_awaiting_client", "score_band_of", "framework_changes_of", "quarter_default", "quarter_if_any", "scheme_codes", "corrected_cells", "corrections_of", "scorable_schemes", "scores_of", "CONTINUAL_QUARTERS", "Detected", "RightsBasis", "detect_findings", "milder_tier", "rights_basis", "worse_tier", "quarter_findings", "scenario_number", "scorecard_schemes"]
