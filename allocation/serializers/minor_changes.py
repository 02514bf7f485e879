"""API shapes of minor post-allocation changes with the affected partners' agreement (partners named by their
slugs, as in the packages API)."""

from __future__ import annotations

from rest_framework import serializers

from allocation.models import MinorChange, MinorChangeStatus, PartnerAgreement

__all__ = ["MinorChangeQuerySerializer", "MinorChangeSerializer", "PartnerAgreementSerializer"]


class PartnerAgreementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = PartnerAgreement
        fields = ["organisation", "agreed", "recorded_by", "recorded_at", "note"]


class MinorChangeSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    supporting_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agreements = PartnerAgreementSerializer(many=True, read_only=True)
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = MinorChange
        fields = ["id", "scheme", "lot", "responsible_partner", "supporting_partner", "description", "status",
                  "agreements", "decision", "raised_at"]


class MinorChangeQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MinorChangeStatus.choices, required=False)
