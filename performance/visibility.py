"""Which performance records a person may open (alliance/visibility.py): the scorecard, the framework and
improvement are read by every member of the alliance."""

from __future__ import annotations

from alliance.visibility import alliance_rules
from performance.models import (
    EfficiencyEntry,
    FrameworkChange,
    ImprovementPlan,
    ImprovementProcess,
    Incident,
    Metric,
    MonthlyReport,
    PlanAction,
    PlanAim,
    PlanQuery,
    Quarter,
    Score,
    ScoreBand,
)
from performance.permissions import can_read_improvement

RULES = alliance_rules(can_read_improvement, [
    (EfficiencyEntry, "alliance_id"), (FrameworkChange, "alliance_id"), (ImprovementPlan, "alliance_id"),
    (ImprovementProcess, "alliance_id"), (Incident, "alliance_id"), (Metric, "alliance_id"), (Quarter, "alliance_id"),
    (MonthlyReport, "plan__alliance_id"), (PlanAim, "plan__alliance_id"), (PlanAction, "aim__plan__alliance_id"),
    (PlanQuery, "plan__alliance_id"), (Score, "quarter__alliance_id"), (ScoreBand, "metric__alliance_id"),
])
