"""API shapes of membership changes (paras 95-98)."""

from __future__ import annotations

from rest_framework import serializers

from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField
from allocation.models import MembershipChange, MembershipChangeKind, Reallocation

__all__ = ["MembershipChangeCreateSerializer", "MembershipChangeSerializer", "ReallocationSerializer"]


class ReallocationSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Reallocation
        fields = ["scheme", "lot", "from_partner", "to_partner"]


class MembershipChangeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner = serializers.SlugRelatedField(source="organisation", slug_field="slug", read_only=True,
                                           help_text="The partner terminated or joining (the same as organisation).")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    applied_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reallocations = ReallocationSerializer(many=True, read_only=True)

    class Meta:
        model = MembershipChange
        fields = ["id", "kind", "kind_label", "organisation", "partner", "effective_on", "reason", "status", "status_label",
                  "recorded_by", "recorded_at", "applied_by", "applied_at", "reallocations"]


class MembershipChangeCreateSerializer(InputSerializer):
    """Record a membership change as the pages do (paras 95-98): its shape only; the service decides."""

    kind = serializers.ChoiceField(choices=MembershipChangeKind.choices)
    partner = serializers.SlugField(help_text="The slug of a partner of your alliance: the one terminated, or the "
                                              "newly procured one an administrator has created.")
    effective_on = BoundedDateField(help_text="A termination's effective date, from which the partner has no "
                                                   "seat on the Board; a new partner's start date (not in the future).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
