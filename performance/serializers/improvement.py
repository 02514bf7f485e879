"""Serializers of improvement: read-only shapes of processes, plans (seed 002's table), incidents and the
efficiency register."""

from __future__ import annotations

from rest_framework import serializers

from performance.models import (
    EfficiencyEntry,
    ImprovementPlan,
    ImprovementProcess,
    Incident,
    MonthlyReport,
    PlanAction,
    PlanAim,
    PlanQuery,
)

__all__ = [
    "EfficiencyEntrySerializer",
    "ImprovementPlanDetailSerializer",
    "ImprovementPlanSerializer",
    "ImprovementProcessSerializer",
    "IncidentSerializer",
]


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
