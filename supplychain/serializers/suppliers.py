"""API shapes of the supplier register and the procurement pipeline (read only)."""

from __future__ import annotations

from rest_framework import serializers

from supplychain.models import Opportunity, Supplier

__all__ = ["OpportunitySerializer", "SupplierSerializer"]


class SupplierSerializer(serializers.ModelSerializer):
    accreditation_state = serializers.CharField(read_only=True)
    accreditation_expires_on = serializers.DateField(read_only=True, allow_null=True)
    relationship_owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "company_number", "category", "segment", "is_sme", "is_vcse", "inducted_on",
                  "relationship_owner", "accreditation_state", "accreditation_expires_on"]


class OpportunitySerializer(serializers.ModelSerializer):
    supplier = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = Opportunity
        fields = ["id", "title", "category", "value", "route", "pipeline_year", "advert_on", "award_on",
                  "published_at", "supplier", "override_reason"]
