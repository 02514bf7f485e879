"""Shapes of the Supply Chain Management Plan API: shape only, the rules are in services."""

from __future__ import annotations

from rest_framework import serializers

from alliance.api_input import InputSerializer
from supplychain.models import ManagementPlan
from supplychain.services.plans import plan_missing_items

__all__ = ["ChecklistItemSerializer", "ManagementPlanSerializer", "PlanCreateSerializer", "PlanReturnSerializer"]


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class ManagementPlanSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    not_addressed = serializers.SerializerMethodField(help_text="Checklist codes the plan leaves blank (para 133).")

    class Meta:
        model = ManagementPlan
        fields = ["id", "organisation", "version", "status", "status_label", "sections", "not_addressed", "missing",
                  "comments", "change_note", "submitted_at", "decided_at"]

    def get_not_addressed(self, plan: ManagementPlan) -> list[str]:
        return plan_missing_items(plan.sections)


class PlanCreateSerializer(InputSerializer):
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                     help_text="{checklist code: text}, codes from the checklist endpoint.")
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanReturnSerializer(InputSerializer):
    missing = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, default="")
