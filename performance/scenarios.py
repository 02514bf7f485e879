"""The scorecard's rules as pure functions: tiers of an average (para 163), the six scenarios of Figure 9
(paras 164-176), which of them give the client intervention and termination rights (para 146 and Figure 9's
note) and the improvement process's periods (para 177).

No Django and nothing of the project: the selectors compute a scorecard's averages in the database and the
services freeze a quarter and open its processes; both ask this module what the numbers mean.

A tier: "failure" below 2, "underperformance" from 2 to below 6, none (satisfactory) at 6 and above (para 163;
docs/domain.md: 6 is satisfactory). A level: "overall", "scheme", "metric" or "component" (paras 154, 164).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

FAILURE = "failure"
UNDERPERFORMANCE = "underperformance"
FAILURE_BELOW = Decimal(2)  # para 163: performance failure, lower than 2
UNDERPERFORMANCE_BELOW = Decimal(6)  # para 163: underperformance, 2 to below 6 (docs/domain.md: 6 is satisfactory)

OVERALL, SCHEME, METRIC, COMPONENT = "overall", "scheme", "metric", "component"

# A component's poor performance against a health and safety measure is "continual" (Figure 9's note) once it is
# found in this many consecutive quarters: the quarter being frozen and the one before it. Two is the fewest that
# can be continual, and it puts the client's right three months after the first finding, as scenario 3 does.
CONTINUAL_QUARTERS = 2

SUSTAIN_MONTHS = 6  # para 177: performance recovered must be sustained this long, else the process resumes
PLAN_DAYS = 14  # para 177: a performance improvement plan within 14 days
# Figure 9's note: continual poor performance against a health and safety measure lets the client intervene in a
# component's process (scenarios 5-6); once continual (CONTINUAL_QUARTERS), at once. No termination right follows.
SAFETY_INTERVENE_AFTER_MONTHS = 0

_SEVERITY = {"": 0, UNDERPERFORMANCE: 1, FAILURE: 2}


def tier_of(average: Decimal | float | None) -> str | None:
    """"failure" below 2, "underperformance" from 2 to below 6, None at 6 and above (or with no score)."""
    if average is None:
        return None
    if average < FAILURE_BELOW:
        return FAILURE
    if average < UNDERPERFORMANCE_BELOW:
        return UNDERPERFORMANCE
    return None


def milder_tier(a: str | None, b: str | None) -> str:
    """The milder of two tiers ("" or None: not poor at all)."""
    a, b = a or "", b or ""
    return a if _SEVERITY[a] <= _SEVERITY[b] else b


def worse_tier(a: str | None, b: str | None) -> str:
    """The worse of two tiers ("" or None: not poor at all)."""
    a, b = a or "", b or ""
    return a if _SEVERITY[a] >= _SEVERITY[b] else b


@dataclass(frozen=True)
class Scenario:
    """A row of Figure 9: who leads, when the client may intervene and when a right to terminate arises."""

    number: int
    level: str  # overall, alliance (scheme or metric), component
    tier: str
    client_led: bool
    intervene_after_months: int | None  # 0: immediately; None: no
    terminate_after_months: int | None
    reporting: str
    paragraph: str


SCENARIOS = {
    1: Scenario(1, "overall", FAILURE, True, 0, 3, "monthly", "paras 168, 170"),
    2: Scenario(2, "overall", UNDERPERFORMANCE, True, 0, 9, "monthly", "paras 169, 170"),
    3: Scenario(3, "alliance", FAILURE, False, 3, 9, "monthly", "paras 171, 173"),
    4: Scenario(4, "alliance", UNDERPERFORMANCE, False, 6, 12, "monthly", "paras 172, 173"),
    5: Scenario(5, "component", FAILURE, False, None, None, "quarterly", "paras 174, 176"),
    6: Scenario(6, "component", UNDERPERFORMANCE, False, None, None, "quarterly", "paras 175, 176"),
}


def scenario_number(level: str, tier: str) -> int:
    """Figure 9: overall 1-2, a scheme or a metric 3-4, a component 5-6; failure first."""
    base = {OVERALL: 1, SCHEME: 3, METRIC: 3, COMPONENT: 5}[level]
    return base + (0 if tier == FAILURE else 1)


def rights_months(level: str, rights_tier: str) -> tuple[int | None, int | None]:
    """Figure 9's months to the client's intervention and to a right to terminate for the tier the findings gave
    rights for (None: no such right). A component's rights come only from Figure 9's health and safety note."""
    if not rights_tier:
        return None, None
    if level == COMPONENT:
        return SAFETY_INTERVENE_AFTER_MONTHS, None
    scenario = SCENARIOS[scenario_number(level, rights_tier)]
    return scenario.intervene_after_months, scenario.terminate_after_months


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
        if level == OVERALL:
            return milder_tier(tier, tier_of(self.overall))
        if level == SCHEME:
            return milder_tier(tier, tier_of(self.schemes.get(scheme_id) if scheme_id is not None else None))
        if level == METRIC:
            return tier if metric_id in self.informing else ""
        return tier if (scheme_id, metric_id) in self.continual else ""


class Averaged(Protocol):
    """An average at one level (the selectors' ``Average``): None when nothing is scored."""

    @property
    def average(self) -> Decimal | None: ...


class Card(Protocol):
    """What ``detect_findings`` reads of a scorecard (the selectors' ``Scorecard``)."""

    @property
    def overall(self) -> Averaged: ...

    @property
    def schemes(self) -> Mapping[int, Averaged]: ...

    @property
    def metrics(self) -> Mapping[int, Averaged]: ...

    @property
    def cells(self) -> Mapping[tuple[int, int], Decimal]: ...


def detect_findings(card: Card, basis: RightsBasis | None = None) -> list[Detected]:
    """Every poor-performance scenario in the scorecard at the three levels (paras 164-176), each with the tier
    for which it gives the client rights when a ``basis`` is given (the selectors' ``rights_basis``)."""
    found: list[Detected] = []

    def add(level: str, average: Decimal | None, scheme_id: int | None = None, metric_id: int | None = None) -> None:
        tier = tier_of(average)
        if tier and average is not None:
            rights = basis.tier_for(level, tier, scheme_id, metric_id) if basis is not None else ""
            found.append(Detected(scenario_number(level, tier), level, tier, scheme_id, metric_id,
                                  _decimal(average), rights))

    add(OVERALL, card.overall.average)
    for scheme_id, average in card.schemes.items():
        add(SCHEME, average.average, scheme_id=scheme_id)
    for metric_id, average in card.metrics.items():
        add(METRIC, average.average, metric_id=metric_id)
    for (scheme_id, metric_id), score in card.cells.items():
        add(COMPONENT, score, scheme_id=scheme_id, metric_id=metric_id)
    return found


def _decimal(value: Decimal | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
