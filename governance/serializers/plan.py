"""API shapes of the Implementation Plan (paths, fields and values are promises to clients)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from rest_framework import serializers

from alliance.api_input import InputSerializer
from governance.models import ChangeProposal, ChangeProposalStatus, PlanSection, PlanVersion
from governance.services.plan import ERR_PLAN_SECTION_NUMBER, SECTION_NUMBER

__all__ = [
    "PlanProposalCreateSerializer",
    "PlanProposalQuerySerializer",
    "PlanProposalSerializer",
    "PlanSectionSerializer",
    "PlanVersionSerializer",
    "PlanVersionSummarySerializer",
]


class PlanSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanSection
        fields = ["number", "heading", "text", "order", "client_reserved"]


class PlanVersionSummarySerializer(serializers.ModelSerializer):
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    section_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "published_at", "published_by", "note", "section_count"]


class PlanVersionSerializer(serializers.ModelSerializer):
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    sections = PlanSectionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "published_at", "published_by", "note", "sections"]


class PlanProposalSerializer(serializers.ModelSerializer):
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    base_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    published_in = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = ChangeProposal
        fields = [
            "id", "section_number", "section_heading", "proposed_text", "reason", "status", "proposed_by",
            "organisation", "proposed_at", "base_version", "impact_assessment", "reviewed_at", "decision",
            "published_in",
        ]


class PlanProposalCreateSerializer(InputSerializer):
    # The service's rule, in the schema as a pattern too.
    section_number = serializers.CharField(max_length=20, help_text='An existing section\'s number or a new one, e.g. "2.5".',
                                           validators=[RegexValidator(SECTION_NUMBER.pattern, ERR_PLAN_SECTION_NUMBER)])
    section_heading = serializers.CharField(max_length=300)
    proposed_text = serializers.CharField(help_text="The whole section as it would read after the change.")
    reason = serializers.CharField()


class PlanProposalQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChangeProposalStatus.choices, required=False)
