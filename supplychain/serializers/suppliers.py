"""API shapes of the supplier register and the procurement pipeline (read only)."""

from __future__ import annotations

from rest_framework import serializers

from alliance import api_filters
from supplychain.models import Opportunity, Segment, Supplier
from supplychain.selectors.suppliers import AccreditationState

__all__ = ["OpportunityQuerySerializer", "OpportunitySerializer", "SupplierQuerySerializer", "SupplierSerializer"]


class SupplierQuerySerializer(serializers.Serializer):
    """The filters of the supplier register (alliance.api_filters)."""

    category = api_filters.text(help_text="Only this category (any case).")
    segment = api_filters.choice(Segment.choices)
    sme = api_filters.QueryBooleanField(help_text="true: SMEs only; false: no SMEs; absent: both.")
    vcse = api_filters.QueryBooleanField(help_text="true: VCSEs only; false: no VCSEs; absent: both.")
    accreditation = api_filters.choice(AccreditationState.choices)


class OpportunityQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999,
                                    help_text="Only the opportunities of this pipeline year.")


class SupplierSerializer(serializers.ModelSerializer):
    accreditation_state = serializers.ChoiceField(choices=AccreditationState.choices, read_only=True)
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
