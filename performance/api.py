"""REST API of performance under /api/performance/, each shape beside its views (issue 6's contract: paths,
fields and values are promises to clients). Thin: parse, call one service or selector, answer.

The scorecard: the metrics of Table 6, recording scores, the scorecard of a quarter or a year with its findings.
Improvement: read-only (writes go through the pages and their services); everyone of the alliance reads, another
alliance's plan is not found.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_input import InputSerializer
from alliance.api_support import FastJSONRenderer
from alliance.dates import EARLIEST_DATE, LATEST_DATE, local_today
from performance import periods, permissions
from performance.models import (
    EfficiencyEntry,
    ImprovementPlan,
    ImprovementProcess,
    Incident,
    Metric,
    MonthlyReport,
    PlanAction,
    PlanAim,
    PlanQuery,
    QuarterStatus,
)
from performance.scenarios import detect_findings
from performance.selectors import improvement as improvement_selectors
from performance.selectors import scorecard as selectors
from performance.services import scorecard as services

# --- The scorecard: shapes ---------------------------------------------------------------------------------------

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


# --- The scorecard: views ---------------------------------------------------------------------------------------


class MetricListView(APIView):
    @extend_schema(responses=MetricSerializer(many=True), summary="The metrics of Table 6, in its order")
    def get(self, request):
        return Response(MetricSerializer(selectors.metrics_of(permissions.require_member(request.user)), many=True).data)


def _plain_rows(rows: list) -> list:
    """Refuse (400, naming the line) a row value that is no plain text or number: the service reads every value
    as text, and a nested object or list would fail as an unhashable key (500); PostgreSQL refuses NUL in text.
    Only the columns the service reads (those of ScoreInputSerializer): others are ignored, as the schema allows."""
    columns = ScoreInputSerializer().fields
    for line, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            continue  # the service names a row that is no object
        for column, value in row.items():
            if column not in columns:
                continue
            if isinstance(value, (dict, list)):
                raise ValidationError({"scores": [f"Line {line}, column {column}: must be a single value."]})
            if isinstance(value, str) and "\x00" in value:
                raise ValidationError({"scores": [f"Line {line}, column {column}: null characters are not allowed."]})
    return rows


class ScoreListView(APIView):
    parser_classes = [JSONParser]  # a list of rows: a form cannot carry one (the pages and the command take CSV)
    @extend_schema(request=ScoreInputSerializer(many=True, allow_empty=False),
                   responses={201: inline_serializer("ScoresRecorded", {"recorded": serializers.IntegerField()})},
                   parameters=[ScoresQuerySerializer],
                   summary="Record scores: all or none; each wrong row named with its position")
    def post(self, request):
        permissions.require_member(request.user)
        rows = _plain_rows(request.data if isinstance(request.data, list) else [request.data])
        reason = read_query(request, ScoresQuerySerializer)["correction_reason"]
        saved = services.scores_record(actor=request.user, rows=rows, correction_reason=reason)
        return Response({"recorded": len(saved)}, status=status.HTTP_201_CREATED)


class ScorecardView(APIView):
    renderer_classes = [FastJSONRenderer]
    @extend_schema(parameters=[ScorecardQuerySerializer], responses=ScorecardSerializer,
                   summary="The scorecard of a quarter or a year (without either: the current quarter), with its "
                           "findings")
    def get(self, request):
        alliance_id = permissions.require_member(request.user)
        query = read_query(request, ScorecardQuerySerializer)
        period, year = query.get("period"), query.get("year")
        if not period and year is None:
            period = periods.label(*periods.containing(local_today()))
        if period:
            if periods.parse(period) is None:
                raise ValidationError({"period": [f"{period!r} is not a quarter like 2025-Q3."]})
            quarters = [selectors.quarter_by_label(alliance_id, period)]
        else:
            quarters = selectors.quarters_of_year(alliance_id, year)
        card = selectors.scorecard(alliance_id, quarters, label=period or str(year))
        if len(quarters) == 1 and quarters[0].status != QuarterStatus.OPEN:
            findings = list(selectors.quarter_findings(quarters[0]))  # as frozen
        else:
            findings = detect_findings(card)
        scheme_ids = {s for s, _ in card.cells} | set(card.schemes)
        schemes = selectors.scheme_codes(scheme_ids)
        metrics = dict(selectors.metrics_of(alliance_id).values_list("pk", "code"))
        return Response(scorecard_answer(card, schemes=schemes, metrics=metrics, findings=findings))


# --- Improvement: shapes (read-only: processes, plans in seed 002's shape, incidents, the register) ------


class ImprovementProcessSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.code", default=None, allow_null=True)
    metric = serializers.CharField(source="metric.code", default=None, allow_null=True)

    class Meta:
        model = ImprovementProcess
        # intervention_on and termination_right_on are null where no right arises (para 146, Figure 9); rights_tier
        # says which tier the client's rights follow ("" for none).
        fields = ["id", "scenario", "level", "tier", "scheme", "metric", "client_led", "status", "opened_on",
                  "clock_started_on", "months_used", "recovered_on", "intervention_on", "termination_right_on",
                  "reporting", "closed_on", "rights_tier"]


class ImprovementPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImprovementPlan
        fields = ["id", "title", "status", "process", "incident", "created_at", "submitted_at", "approved_at",
                  "closed_at"]


class _ActionSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(source="owner")
    due = serializers.DateField(source="due_on")

    class Meta:
        model = PlanAction
        fields = ["id", "action", "due", "lead", "status", "evidence"]


class _AimSerializer(serializers.ModelSerializer):
    actions = _ActionSerializer(many=True)

    class Meta:
        model = PlanAim
        fields = ["id", "order", "aim", "finding", "actions"]


class _QuerySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanQuery
        fields = ["id", "question", "raised_at", "answer", "answered_at"]


class _ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MonthlyReport
        fields = ["id", "month", "progress", "effectiveness", "submitted_at"]


class ImprovementPlanDetailSerializer(ImprovementPlanSerializer):
    aims = _AimSerializer(many=True)
    queries = _QuerySerializer(many=True)
    reports = _ReportSerializer(many=True)

    class Meta(ImprovementPlanSerializer.Meta):
        fields = [*ImprovementPlanSerializer.Meta.fields, "closing_note", "aims", "queries", "reports"]


class IncidentSerializer(serializers.ModelSerializer):
    scheme = serializers.CharField(source="scheme.code")

    class Meta:
        model = Incident
        fields = ["id", "scheme", "occurred_on", "title", "description", "status", "decision_reason", "closed_on"]


class EfficiencyEntrySerializer(serializers.ModelSerializer):
    quarter = serializers.CharField(source="quarter.label")
    scheme = serializers.CharField(source="scheme.code", default=None, allow_null=True)

    class Meta:
        model = EfficiencyEntry
        fields = ["id", "quarter", "scheme", "title", "value", "assurance", "logged_at"]


# --- Improvement: views -----------------------------------------------------------------------------------------


class _Reader:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_improvement_reader(request.user)


@extend_schema(summary="Improvement processes opened by the scorecard's findings (Figure 9)")
class ProcessListView(_Reader, ListAPIView):
    serializer_class = ImprovementProcessSerializer

    def get_queryset(self):
        return improvement_selectors.improvement_processes_of(self.request.user)


@extend_schema(summary="Performance improvement plans")
class PlanListView(_Reader, ListAPIView):
    serializer_class = ImprovementPlanSerializer

    def get_queryset(self):
        return improvement_selectors.improvement_plans_of(self.request.user)


@extend_schema(summary="A plan with its aims, actions, queries and reports (seed 002's shape)")
class PlanDetailView(_Reader, RetrieveAPIView):
    serializer_class = ImprovementPlanDetailSerializer

    def get_object(self):
        plan = improvement_selectors.improvement_plan_for(self.request.user, self.kwargs["pk"])
        return type(plan).objects.prefetch_related(
            Prefetch("aims", queryset=PlanAim.objects.prefetch_related("actions").order_by("order")),
            "queries", "reports").get(pk=plan.pk)


@extend_schema(summary="Incidents (paras 180-184)")
class IncidentListView(_Reader, ListAPIView):
    serializer_class = IncidentSerializer

    def get_queryset(self):
        return improvement_selectors.incidents_of(self.request.user)


@extend_schema(summary="The efficiency register (seed 001)")
class EfficiencyListView(_Reader, ListAPIView):
    serializer_class = EfficiencyEntrySerializer

    def get_queryset(self):
        return improvement_selectors.efficiencies_of(self.request.user)
