"""REST API of commitments, the Performance Table and assurance under /api/governance/: read-only lists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView

from alliance import api_filters
from alliance.api_filters import read_query
from governance import permissions
from governance.models.commitments import (
    AssuranceReview,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableRow,
    PerformanceTableStatus,
)
from governance.selectors import assurance as assurance_selectors
from governance.selectors import commitments as commitments_selectors
from governance.selectors import performance_table as performance_table_selectors

# --- Serializers (beside their views) ------------------------------------------------------------------


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


# --- Views --------------------------------------------------------------------------------------------


class CommitmentListView(ListAPIView):
    serializer_class = CommitmentSerializer

    def get_queryset(self):
        return commitments_selectors.commitment_register(permissions.require_alliance_member(self.request.user, permissions.ERR_COMMITMENTS_API).pk)

    @extend_schema(summary="The Commitment SLA Register: lead partners, dependencies, conflicts, selections")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PerformanceTableListView(ListAPIView):
    serializer_class = PerformanceTableSerializer

    def get_queryset(self):
        tables = performance_table_selectors.performance_tables(permissions.require_alliance_member(self.request.user, permissions.ERR_COMMITMENTS_API).pk)
        status = read_query(self.request, PerformanceTableQuerySerializer).get("status")
        return tables.filter(status=status) if status else tables

    @extend_schema(
        parameters=[PerformanceTableQuerySerializer],
        summary="Every version of the Performance Table per Performance Period, with its rows",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AssuranceReviewListView(ListAPIView):
    serializer_class = AssuranceReviewSerializer

    def get_queryset(self):
        alliance = permissions.require_assurance_viewer(self.request.user, permissions.ERR_ASSURANCE_API)
        return assurance_selectors.assurance_reviews(alliance.pk)

    @extend_schema(summary="The client's assurance calendar: reviews due, held (with findings) and cancelled")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
