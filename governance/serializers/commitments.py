"""API shapes of commitments, the Performance Table and assurance: read-only, the fields a partner's system
needs (paths, fields and values are promises to clients)."""

from __future__ import annotations

from rest_framework import serializers

from alliance import api_filters
from governance.models import (
    AssuranceReview,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableRow,
    PerformanceTableStatus,
)

__all__ = [
    "AssuranceReviewSerializer",
    "CommitmentSelectionSerializer",
    "CommitmentSerializer",
    "PerformancePeriodSerializer",
    "PerformanceTableQuerySerializer",
    "PerformanceTableRowSerializer",
    "PerformanceTableSerializer",
]


class PerformanceTableQuerySerializer(serializers.Serializer):
    status = api_filters.choice(PerformanceTableStatus.choices, help_text="Only versions in this status, e.g. agreed.")


class PerformancePeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformancePeriod
        fields = ["id", "name", "starts_on", "ends_on"]


class CommitmentSelectionSerializer(serializers.ModelSerializer):
    period = PerformancePeriodSerializer(read_only=True)
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="The Board decision, if Table 8 needs one.")

    class Meta:
        model = CommitmentSelection
        fields = ["id", "period", "status", "approval", "decision", "selected_at", "deselected_at"]


class CommitmentSerializer(serializers.ModelSerializer):
    lead_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    dependent_partners = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    conflicts_with = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)
    selections = CommitmentSelectionSerializer(many=True, read_only=True)

    class Meta:
        model = Commitment
        fields = ["id", "reference", "title", "description", "lead_partner", "dependent_partners", "conflicts_with",
                  "is_active", "selections"]


class PerformanceTableRowSerializer(serializers.ModelSerializer):
    commitment = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = PerformanceTableRow
        fields = ["order", "indicator", "measure", "target", "commitment"]


class PerformanceTableSerializer(serializers.ModelSerializer):
    period = PerformancePeriodSerializer(read_only=True)
    rows = PerformanceTableRowSerializer(many=True, read_only=True)

    class Meta:
        model = PerformanceTable
        fields = ["id", "period", "version", "reason", "status", "agreed_on", "created_at", "rows"]


class AssuranceReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssuranceReview
        fields = ["id", "kind", "due_on", "status", "held_on", "reviewer", "findings", "actions", "milestone_missed",
                  "audit_initiated", "recorded_at"]
