"""Reads of the scorecard: the four views of Figure 8 (para 154) for a quarter or a year, aggregated in the
database; findings; trends.

A mean is taken over the scores present: a missing score is missing, never zero (docs/domain.md section 5). Every
scheme and metric weighs the same (para 152), so the overall average of a quarter is the mean of its scores.
A year is the mean of its quarters (para 153): at each level, the mean of the quarterly averages present.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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
from performance.scenarios import CONTINUAL_QUARTERS, RightsBasis, tier_of

if TYPE_CHECKING:
    from alliance.models import Person


def metrics_of(alliance_id: int) -> QuerySet[Metric]:
    return Metric.objects.filter(alliance_id=alliance_id, is_active=True).order_by("order")


def quarters_of(user: Person) -> QuerySet[Quarter]:
    alliance_id = alliance_id_of(user)
    if alliance_id is None:
        return Quarter.objects.none()
    return Quarter.objects.filter(alliance_id=alliance_id).order_by("-year", "-number")


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

    def fold(rows: Iterable[tuple[int, int, int, int]], overall: bool = False) -> dict[int | None, Average]:
        """Each subject's quarterly averages, then their mean (para 153: a year is the mean of its quarters)."""
        per_quarter: defaultdict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0, 0])
        for quarter_id, subject, total, n in rows:
            cell = per_quarter[(quarter_id, None if overall else subject)]
            cell[0] += total
            cell[1] += n
        averages: defaultdict[int | None, list[Decimal]] = defaultdict(list)
        counts: defaultdict[int | None, int] = defaultdict(int)
        for (_, key), (quarter_total, quarter_n) in per_quarter.items():
            averages[key].append(Decimal(quarter_total) / quarter_n)
            counts[key] += quarter_n
        return {s: Average(s, _mean(values), counts[s]) for s, values in averages.items()}

    overall = fold(by_quarter_scheme, overall=True).get(None, Average(None, None, 0))
    card = Scorecard(
        label=label or (quarters[0].label if len(quarters) == 1 else str(quarters[0].year) if quarters else ""),
        quarters=quarters, overall=overall,
        schemes=_subjects(fold(by_quarter_scheme)), metrics=_subjects(fold(by_quarter_metric)),
    )
    if with_cells:
        cell_scores = scores if scheme_ids is None else scores.filter(scheme_id__in=scheme_ids)
        if len(quarters) == 1:
            card.cells = {(s, m): Decimal(v) for s, m, v in cell_scores.values_list("scheme_id", "metric_id", "score")}
        else:
            card.cells = {(scheme, metric): _average(total, n) for scheme, metric, total, n in
                          cell_scores.values("scheme_id", "metric_id").annotate(
                              total=Sum("score"), n=Count("pk")).values_list("scheme_id", "metric_id", "total", "n")}
    return card


def _subjects(averages: dict[int | None, Average]) -> dict[int, Average]:
    """A level's averages by subject (a scheme's or a metric's id, never None at these levels)."""
    return {subject: average for subject, average in averages.items() if subject is not None}


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

