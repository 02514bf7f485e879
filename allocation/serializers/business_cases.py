"""API shapes of optimisation business cases (partners named by their slugs, lots by their numbers, as in the
packages API)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from allocation.models import BusinessCaseChange, BusinessCaseStatus, OptimisationBusinessCase
from governance.models import Outcome

__all__ = [
    "BusinessCaseChangeSerializer",
    "BusinessCaseQuerySerializer",
    "BusinessCaseSerializer",
]


class BusinessCaseChangeSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    proposed_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BusinessCaseChange
        fields = ["scheme", "lot", "current_partner", "proposed_partner"]


class BusinessCaseSerializer(serializers.ModelSerializer):
    changes = BusinessCaseChangeSerializer(many=True, read_only=True)
    raised_by = serializers.StringRelatedField()
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    board_outcome = serializers.SerializerMethodField()

    class Meta:
        model = OptimisationBusinessCase
        fields = ["id", "title", "stage", "status", "scope", "effect_on_budget", "effect_on_time_days",
                  "effect_on_safety", "effect_on_customer", "effect_on_ris_delivery", "lump_sum_fee_change", "risks",
                  "criteria_met", "changes", "decision", "board_outcome", "raised_by", "raised_at",
                  "client_decided_at", "client_reason"]

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.choices, allow_null=True))
    def get_board_outcome(self, case) -> str | None:
        """approved, rejected or not_taken once the Board's decision has closed; null before."""
        return case.decision.outcome or None if case.decision_id else None


class BusinessCaseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BusinessCaseStatus.choices, required=False)
