"""API shapes of the scorecard (issue 6's contract: paths, fields and values are promises to clients)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

from alliance.api_input import InputSerializer
from alliance.dates import EARLIEST_DATE, LATEST_DATE
from performance.models import Metric

__all__ = ["MetricSerializer", "ScoreInputSerializer", "ScorecardQuerySerializer", "ScorecardSerializer",
           "ScoresQuerySerializer", "scorecard_answer"]

# A quarter like 2025-Q3 with a year of alliance.dates' range, as performance.periods.parse reads it (the view
# still parses it with that); in the schema as a pattern, so that a client (and schemathesis) knows which exist.
PERIOD_PATTERN = r"^(20[0-9]{2}|2100)-Q[1-4]$"


class ScorecardQuerySerializer(serializers.Serializer):
    """?period=2025-Q3 or ?year=2025 (alliance.api_filters), each refused with 400 when malformed; the period
    when both are given; the current quarter when neither is."""

    period = serializers.CharField(required=False, help_text="A quarter like 2025-Q3.", validators=[
        RegexValidator(PERIOD_PATTERN, message="%(value)r is not a quarter like 2025-Q3.")])
    year = serializers.IntegerField(required=False, min_value=EARLIEST_DATE.year, max_value=LATEST_DATE.year,
                                    help_text="A year: the mean of its quarters.")


class ScoresQuerySerializer(serializers.Serializer):
    # CharField refuses NUL (PostgreSQL cannot store it).
    correction_reason = serializers.CharField(required=False, default="", allow_blank=True,
                                              help_text="Needed when a score corrects a frozen quarter.")


class MetricSerializer(serializers.ModelSerializer):
    class Meta:
        model = Metric
        fields = ["code", "title", "indicator", "outcome", "imperative", "informs_intervention", "direction", "unit",
                  "health_and_safety", "order"]


class ScoreInputSerializer(InputSerializer):
    """One score (documentation: rows are checked by the service, which names every wrong row)."""

    scheme = serializers.CharField(help_text="The scheme's code.")
    metric = serializers.CharField(help_text="The metric's code (GET /api/performance/metrics/).")
    period = serializers.CharField(help_text="A quarter like 2025-Q3.")
    score = serializers.IntegerField(required=False, help_text="0, 2, 4, 6, 8 or 10 (para 151).")
    raw_value = serializers.DecimalField(max_digits=16, decimal_places=4, required=False,
                                        help_text="Without a score, the metric's bands score it.")
    evidence = serializers.CharField(required=False)


class ScorecardSerializer(serializers.Serializer):
    """Documentation of the scorecard answer (built by ``scorecard_answer``)."""

    period = serializers.CharField()
    overall = serializers.FloatField(allow_null=True)
    schemes = serializers.ListField(child=serializers.DictField())
    metrics = serializers.ListField(child=serializers.DictField())
    cells = serializers.ListField(child=serializers.DictField())
    findings = serializers.ListField(child=serializers.DictField())


def _num(value):
    return None if value is None else float(value)


def scorecard_answer(card, *, schemes: dict[int, str], metrics: dict[int, str], findings) -> dict:
    """{period, overall, schemes: [{scheme, average, count}], metrics: [{metric, average, count}],
    cells: [{scheme, metric, score}], findings: [{scenario, level, subject, tier, average}]} (unrounded)."""
    return {
        "period": card.label,
        "overall": _num(card.overall.average),
        "count": card.overall.count,
        "schemes": [{"scheme": schemes[k], "average": _num(v.average), "count": v.count, "tier": v.tier}
                    for k, v in sorted(card.schemes.items(), key=lambda kv: schemes[kv[0]])],
        "metrics": [{"metric": metrics[k], "average": _num(v.average), "count": v.count, "tier": v.tier}
                    for k, v in card.metrics.items()],
        "cells": [{"scheme": schemes[s], "metric": metrics[m], "score": _num(v)} for (s, m), v in card.cells.items()],
        "findings": [{"scenario": f.scenario, "level": f.level,
                      "subject": (metrics.get(f.metric_id) if f.level == "metric" else schemes.get(f.scheme_id)
                                  if f.level == "scheme" else None if f.level == "overall"
                                  else f"{schemes.get(f.scheme_id)}/{metrics.get(f.metric_id)}"),
                      "scheme": schemes.get(f.scheme_id), "metric": metrics.get(f.metric_id),
                      "tier": f.tier, "average": _num(f.average)} for f in findings],
    }
