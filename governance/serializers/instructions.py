"""API shapes of client instructions (issue 4's contract: paths, fields and values are promises to clients)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField
from alliance.dates import local_today
from alliance.models import ObligationKind, ObligationStatus
from governance import selectors
from governance.models import ClientInstruction, ImpactAssessment, InstructionStage
from governance.selectors.instructions import CLOCK_NAMES

__all__ = [
    "ClientDecisionSerializer",
    "ClockSerializer",
    "ImpactAssessmentSerializer",
    "ImpactAssessmentWriteSerializer",
    "InstructSerializer",
    "InstructionCreateSerializer",
    "InstructionQuerySerializer",
    "InstructionSerializer",
]


class ClockSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=[(kind, ObligationKind(kind).label) for kind in CLOCK_NAMES])
    paragraph = serializers.CharField()
    started_on = BoundedDateField()
    due_on = BoundedDateField()
    met_on = BoundedDateField(allow_null=True)
    status = serializers.ChoiceField(choices=ObligationStatus.choices, help_text="open, met or cancelled")
    days_left = serializers.SerializerMethodField()
    late_by_days = serializers.IntegerField(allow_null=True, help_text="Days late when met after its due date.")

    def get_days_left(self, clock) -> int | None:
        return clock.days_left(self.context.get("today") or local_today())


class ImpactAssessmentSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ImpactAssessment
        fields = ["summary", "cost_effect", "time_effect_days", "risk_effect", "submitted_on", "submitted_by"]


class InstructionSerializer(serializers.ModelSerializer):
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    stage_label = serializers.SerializerMethodField()
    clocks = serializers.SerializerMethodField()
    impact_assessment = serializers.SerializerMethodField()

    class Meta:
        model = ClientInstruction
        fields = [
            "id", "reference", "title", "description", "issued_on", "ministerial", "stage", "stage_label",
            "issued_by", "clocks", "impact_assessment", "decision", "board_recommendation", "board_decided_at",
            "client_decided_at", "client_reason", "instructed_at", "instruction_text",
        ]

    def get_stage_label(self, instruction) -> str:
        return instruction.get_stage_display()

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, instruction) -> list[dict]:
        """Plain dicts in ClockSerializer's shape: a page of 100 instructions has up to 200 clocks."""
        by_id = self.context.get("clocks_by_id")
        clocks = by_id.get(instruction.pk, []) if by_id is not None else selectors.instruction_clocks(instruction)
        today = self.context.setdefault("today", local_today())
        return [{
            "name": c.name, "kind": c.kind, "paragraph": c.paragraph, "started_on": c.started_on.isoformat(),
            "due_on": c.due_on.isoformat(), "met_on": c.met_on.isoformat() if c.met_on else None, "status": c.status,
            "days_left": c.days_left(today), "late_by_days": c.late_by_days,
        } for c in clocks]

    def get_impact_assessment(self, instruction) -> dict | None:
        assessment = getattr(instruction, "impact_assessment", None)
        return ImpactAssessmentSerializer(assessment).data if assessment else None


class InstructionCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    issued_on = BoundedDateField()
    ministerial = serializers.BooleanField(required=False, default=False)


class ImpactAssessmentWriteSerializer(InputSerializer):
    summary = serializers.CharField(help_text="The impact assessment and the recommendation to the Board.")
    cost_effect = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None)
    time_effect_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    risk_effect = serializers.CharField(required=False, allow_blank=True, default="")
    submitted_on = BoundedDateField(required=False, allow_null=True, default=None)


class ClientDecisionSerializer(InputSerializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class InstructSerializer(InputSerializer):
    instruction_text = serializers.CharField()


class InstructionQuerySerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=InstructionStage.choices, required=False)
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    ministerial = serializers.BooleanField(required=False, allow_null=True, default=None)
