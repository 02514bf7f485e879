"""API shapes of membership changes (paras 95-98)."""

from __future__ import annotations

from rest_framework import serializers

from allocation.models import MembershipChange, Reallocation

__all__ = ["MembershipChangeSerializer", "ReallocationSerializer"]


class ReallocationSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Reallocation
        fields = ["scheme", "lot", "from_partner", "to_partner"]


class MembershipChangeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    applied_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reallocations = ReallocationSerializer(many=True, read_only=True)

    class Meta:
        model = MembershipChange
        fields = ["id", "kind", "kind_label", "organisation", "effective_on", "reason", "status", "status_label",
                  "recorded_by", "recorded_at", "applied_by", "applied_at", "reallocations"]
