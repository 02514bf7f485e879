"""Table 7 (para 212): the products the Alliance produces after the Alliance Start Date, as data, in the table's
order. Our references are MOB-01 to MOB-28 in that order.

The title, Table 7's own reference and the timeframe are the seed's. The dimension (para 211) and the stage
(para 210) of each item are OUR choice: Table 7 gives neither. We put a product due within four weeks or three
months in accelerated mobilisation (para 208: the interim phase lasts three months for accelerated mobilisation)
and a six-month product in full mobilisation; the Alliance Manager can change both on each deliverable. Every
Table 7 product falls in the interim phase (para 208: from the Alliance Start Date for six months).

The table says it is "not an exhaustive list": the Alliance Manager adds more (``deliverable_add``).
"""

from __future__ import annotations

from dataclasses import dataclass

from mobilisation.models import Dimension, DuePeriod, PhaseKind, Stage

__all__ = ["DUE_PERIODS", "TABLE_7", "CatalogueItem", "reference_for"]

# Table 7's timeframes as periods for alliance.dates.add_period.
DUE_PERIODS: dict[str, dict[str, int]] = {
    DuePeriod.FOUR_WEEKS: {"weeks": 4},
    DuePeriod.THREE_MONTHS: {"months": 3},
    DuePeriod.SIX_MONTHS: {"months": 6},
}


@dataclass(frozen=True)
class CatalogueItem:
    title: str
    source: str  # Table 7's "Reference" column
    period: str  # a DuePeriod
    dimension: str  # our choice (para 211)
    stage: str  # our choice (para 210)
    phase: str = PhaseKind.INTERIM


def _item(title: str, source: str, period: str, dimension: str) -> CatalogueItem:
    stage = Stage.FULL if period == DuePeriod.SIX_MONTHS else Stage.ACCELERATED
    return CatalogueItem(title, source, period, dimension, stage)


_4W, _3M, _6M = DuePeriod.FOUR_WEEKS, DuePeriod.THREE_MONTHS, DuePeriod.SIX_MONTHS
_PURE, _SUPPLY = Dimension.PURE_MOBILISATION, Dimension.COMMERCIAL_SUPPLY_CHAIN
_PEOPLE, _DIGITAL = Dimension.PEOPLE_STRUCTURE_LOCATION, Dimension.DIGITAL_INNOVATION
_PERF, _SYSTEMS = Dimension.PERFORMANCE, Dimension.SYSTEMS_PROCESSES

TABLE_7: tuple[CatalogueItem, ...] = (
    _item("Develop the indicators to be included in the Performance Table and inform the goals fee",
          "Performance Table", _3M, _PERF),
    _item("Alliance Business Plan", "IP (Section 3)", _6M, _PURE),
    _item("Propose, and receive Client approval for, the Alliance tender commitments", "IP (Section 13)", _3M, _PERF),
    _item("Produce methodology, and receive Client approval, for measuring Earned Value", "Scope (S1530)", _3M, _PERF),
    _item("Select initial core Production Management Partner resources", "IP (Section 5.5)", _3M, _PEOPLE),
    _item("Transition plan", "IP (Section 7.3)", _3M, _PURE),
    _item("Change impact assessment template (page 11)", "IP (Section 2.4)", _6M, _SYSTEMS),
    _item("Risk management template", "IP (Section 5.4)", _3M, _SYSTEMS),
    _item("Supply Chain Strategy", "IP (Section 7.2)", _6M, _SUPPLY),
    _item("Alliance industrial plan", "IP (Section 7.2)", _6M, _SUPPLY),
    _item("Partner-level performance framework", "IP (Section 8.10)", _6M, _PERF),
    _item("Partner-level performance reporting process", "IP (Section 8.10)", _6M, _PERF),
    _item("Supply Chain Management Plan", "IP (Section 7.4)", _6M, _SUPPLY),
    _item("Collaboration Procurement Hub Plan", "IP (Section 7.5)", _6M, _SUPPLY),
    _item("Inclusion Action Plan", "Scope (Annex D S275)", _6M, _PEOPLE),
    _item("Alliance Employment and Skills Plan", "Scope (S276)", _6M, _PEOPLE),
    _item("Leading and lagging quality indicators", "Scope (S645)", _6M, _PERF),
    _item("Audit Programme", "Scope (S262)", _6M, _SYSTEMS),
    _item("Alliance Quality Register", "Scope (S630)", _4W, _SYSTEMS),
    _item("Information Risk Assessment", "Scope (S825)", _4W, _DIGITAL),
    _item("Information Security Plan", "Scope (S825)", _3M, _DIGITAL),
    _item("Business Continuity Plan", "Scope (S835)", _6M, _PURE),
    _item("Co-location Plan", "Scope (S1000)", _6M, _PEOPLE),
    _item("Supply Chain Health and Safety Maturity Matrix", "Scope (S1105)", _3M, _SUPPLY),
    _item("EVM Methodology", "Scope (S1505)", _6M, _PERF),
    _item("Alliance Information Execution Plan (IEP)", "Scope (S1705)", _6M, _DIGITAL),
    _item("Project Information Model (PIM)", "Scope (S1705)", _6M, _DIGITAL),
    _item("Alliance Master Information Delivery Plan (MIDP)", "Scope (S1705)", _6M, _DIGITAL),
)


def reference_for(number: int) -> str:
    """Our reference of the n-th deliverable (1-based): MOB-01 ... MOB-28, then MOB-29 ... for those added."""
    return f"MOB-{number:02d}"
