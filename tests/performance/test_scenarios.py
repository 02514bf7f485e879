"""The scorecard's rules as pure functions (performance/scenarios.py): tiers (para 163), Figure 9's six
scenarios (paras 164-176), which findings give the client rights (para 146, Figure 9's note) and the months to
those rights. No database: each test builds the numbers it needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from performance.scenarios import (
    CONTINUAL_QUARTERS,
    PLAN_DAYS,
    SCENARIOS,
    SUSTAIN_MONTHS,
    RightsBasis,
    detect_findings,
    milder_tier,
    rights_months,
    scenario_number,
    tier_of,
    worse_tier,
)


@dataclass(frozen=True)
class _Average:
    average: Decimal | None


@dataclass
class _Card:
    overall: _Average
    schemes: dict[int, _Average] = field(default_factory=dict)
    metrics: dict[int, _Average] = field(default_factory=dict)
    cells: dict[tuple[int, int], Decimal] = field(default_factory=dict)


@pytest.mark.parametrize(("average", "tier"), [
    (Decimal("0"), "failure"), (Decimal("1.99"), "failure"), (Decimal("2"), "underperformance"),
    (Decimal("5.99"), "underperformance"), (Decimal("6"), None), (Decimal("10"), None), (None, None),
    (1.5, "failure"), (6.0, None),
])
def test_para_163_tiers_failure_below_2_underperformance_below_6(average, tier):
    """Para 163: performance failure is lower than 2, underperformance 2 to below 6; 6 is satisfactory."""
    assert tier_of(average) == tier


def test_milder_and_worse_tier_order_failure_over_underperformance_over_none():
    """Para 163's tiers in order of severity (used by para 146's rights and the escalation of a process)."""
    assert worse_tier("underperformance", "failure") == "failure"
    assert worse_tier(None, "underperformance") == "underperformance"
    assert worse_tier("", None) == ""
    assert milder_tier("failure", "underperformance") == "underperformance"
    assert milder_tier("failure", None) == ""


@pytest.mark.parametrize(("level", "tier", "number"), [
    ("overall", "failure", 1), ("overall", "underperformance", 2),
    ("scheme", "failure", 3), ("scheme", "underperformance", 4),
    ("metric", "failure", 3), ("metric", "underperformance", 4),
    ("component", "failure", 5), ("component", "underperformance", 6),
])
def test_figure_9_scenario_numbers_by_level_and_tier(level, tier, number):
    """Figure 9 (paras 164-176): overall 1-2, a scheme or a metric 3-4, a component 5-6; failure first."""
    assert scenario_number(level, tier) == number
    assert SCENARIOS[number].tier == tier


def test_figure_9_rows_who_leads_and_when_the_client_may_act():
    """Figure 9, paras 168-176: scenarios 1-2 are client-led with intervention at once and termination after 3
    and 9 months; 3-4 after 3/9 and 6/12 months; 5-6 give neither and report quarterly."""
    rows = {n: (s.client_led, s.intervene_after_months, s.terminate_after_months, s.reporting)
            for n, s in SCENARIOS.items()}
    assert rows == {
        1: (True, 0, 3, "monthly"), 2: (True, 0, 9, "monthly"),
        3: (False, 3, 9, "monthly"), 4: (False, 6, 12, "monthly"),
        5: (False, None, None, "quarterly"), 6: (False, None, None, "quarterly"),
    }


def test_para_177_plan_within_14_days_and_recovery_sustained_six_months():
    """Para 177: a performance improvement plan within 14 days; a recovery sustained for six months."""
    assert (PLAN_DAYS, SUSTAIN_MONTHS) == (14, 6)


def test_rights_months_follow_the_tier_the_findings_gave_rights_for():
    """Figure 9 and para 146: no rights tier, no right; a scheme's failure takes scenario 3's months; a component
    only gets the health and safety note's immediate intervention, never a termination right."""
    assert rights_months("scheme", "") == (None, None)
    assert rights_months("scheme", "failure") == (3, 9)
    assert rights_months("metric", "underperformance") == (6, 12)
    assert rights_months("overall", "failure") == (0, 3)
    assert rights_months("component", "failure") == (0, None)


def test_para_164_detect_findings_at_every_level():
    """Paras 164-176: a poor overall average, scheme, metric and component are each a finding of its scenario;
    a satisfactory one (6 and above) is none."""
    card = _Card(overall=_Average(Decimal("5")),
                 schemes={1: _Average(Decimal("1")), 2: _Average(Decimal("8"))},
                 metrics={10: _Average(Decimal("4")), 11: _Average(None)},
                 cells={(1, 10): Decimal("0"), (2, 10): Decimal("6")})
    found = {(d.level, d.scheme_id, d.metric_id): (d.scenario, d.tier, d.average, d.rights_tier)
             for d in detect_findings(card)}
    assert found == {
        ("overall", None, None): (2, "underperformance", Decimal("5"), ""),
        ("scheme", 1, None): (3, "failure", Decimal("1"), ""),
        ("metric", None, 10): (4, "underperformance", Decimal("4"), ""),
        ("component", 1, 10): (5, "failure", Decimal("0"), ""),
    }


def test_para_146_only_intervention_metrics_give_rights():
    """Para 146: a metric's finding gives rights only if the metric informs client intervention; an overall or a
    scheme finding gives rights for the milder of its tier and that of its intervention-informing metrics alone."""
    card = _Card(overall=_Average(Decimal("1")), schemes={1: _Average(Decimal("1"))},
                 metrics={10: _Average(Decimal("1")), 11: _Average(Decimal("1"))})
    basis = RightsBasis(overall=Decimal("3"), schemes={1: Decimal("7")}, informing=frozenset({10}))
    rights = {(d.level, d.scheme_id, d.metric_id): d.rights_tier for d in detect_findings(card, basis)}
    assert rights == {("overall", None, None): "underperformance", ("scheme", 1, None): "",
                      ("metric", None, 10): "failure", ("metric", None, 11): ""}


def test_figure_9_note_continual_health_and_safety_component_gives_rights():
    """Figure 9's note: a component gives the client a right only when poor against a health and safety measure
    continually (``CONTINUAL_QUARTERS`` quarters running)."""
    assert CONTINUAL_QUARTERS == 2
    card = _Card(overall=_Average(Decimal("8")), cells={(1, 10): Decimal("0"), (2, 10): Decimal("4")})
    basis = RightsBasis(informing=frozenset({10}), continual=frozenset({(1, 10)}))
    rights = {(d.scheme_id, d.metric_id): d.rights_tier for d in detect_findings(card, basis)}
    assert rights == {(1, 10): "failure", (2, 10): ""}
