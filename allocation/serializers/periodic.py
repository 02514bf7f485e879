"""API shapes of Periodic Instructions for the PMP (paras 103-107)."""

from __future__ import annotations

from rest_framework import serializers

from allocation.models import PeriodicInstruction

__all__ = ["PeriodicInstructionSerializer"]


class PeriodicInstructionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    profile_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    has_profile_file = serializers.SerializerMethodField()

    class Meta:
        model = PeriodicInstruction
        fields = ["id", "period_start", "period_end", "scope", "status", "status_label", "requested_by",
                  "requested_at", "profile_summary", "profile_total", "has_profile_file", "profile_by", "profile_at",
                  "decision", "issued_by", "issued_at"]

    def get_has_profile_file(self, instruction) -> bool:
        return bool(instruction.profile_file)
