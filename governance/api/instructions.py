"""REST API of client instructions under /api/governance/instructions/. Thin: parse, call, answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField
from alliance.dates import local_today
from alliance.models import ObligationKind, ObligationStatus
from governance import permissions
from governance.models.instructions import ClientInstruction, ImpactAssessment, InstructionStage
from governance.selectors import instructions as instructions_selectors
from governance.selectors.instructions import CLOCK_NAMES
from governance.services import instructions as instructions_services

# --- Serializers (beside their views) ------------------------------------------------------------------


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
        clocks = by_id.get(instruction.pk, []) if by_id is not None else instructions_selectors.instruction_clocks(instruction)
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


# --- Views --------------------------------------------------------------------------------------------


def _answer(instruction, *, created: bool = False) -> Response:
    instruction = ClientInstruction.objects.select_related("issued_by", "impact_assessment__submitted_by").get(
        pk=instruction.pk)
    return Response(InstructionSerializer(instruction).data,
                    status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class InstructionListView(ListAPIView):
    serializer_class = InstructionSerializer

    def get_queryset(self):
        permissions.require_instructions_viewer(self.request.user)
        query_data = read_query(self.request, InstructionQuerySerializer)
        return instructions_selectors.instructions_register(self.request.user, **query_data).select_related(
            "issued_by", "impact_assessment__submitted_by")

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page: the clocks of all its instructions in one query
            rows = list(args[0])
            args = (rows, *args[1:])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["clocks_by_id"] = instructions_selectors.instructions_clocks_by_id(i.pk for i in rows)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(parameters=[InstructionQuerySerializer],
                   summary="The instructions register (overdue first); ?overdue=true for the overdue ones")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InstructionCreateSerializer, responses={201: InstructionSerializer},
                   summary="Issue a proposed client instruction (SRO): the impact assessment clock starts")
    def post(self, request):
        permissions.require_instructions_viewer(request.user)
        serializer = InstructionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instruction = instructions_services.instruction_issue(actor=request.user, **serializer.validated_data)
        return _answer(instruction, created=True)


def _visible(request, pk: int):
    permissions.require_instructions_viewer(request.user)
    return instructions_selectors.instruction_for(request.user, pk)  # another alliance's instruction: 404


class InstructionDetailView(APIView):
    @extend_schema(responses=InstructionSerializer, summary="An instruction with its clocks")
    def get(self, request, pk: int):
        return _answer(_visible(request, pk))


class ImpactAssessmentView(APIView):
    @extend_schema(request=ImpactAssessmentWriteSerializer, responses=InstructionSerializer,
                   summary="Submit the impact assessment and recommendation (Alliance Manager): the Board's clock starts")
    def post(self, request, pk: int):
        instruction = _visible(request, pk)
        serializer = ImpactAssessmentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instruction = instructions_services.impact_assessment_submit(actor=request.user, instruction=instruction,
                                                        **serializer.validated_data)
        return _answer(instruction)


class ClientDecisionView(APIView):
    @extend_schema(request=ClientDecisionSerializer, responses=InstructionSerializer,
                   summary="Accept or reject the recommendation or change event (SRO, para 29)")
    def post(self, request, pk: int):
        instruction = _visible(request, pk)
        serializer = ClientDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(instructions_services.instruction_client_decide(actor=request.user, instruction=instruction,
                                                          **serializer.validated_data))


class InstructView(APIView):
    @extend_schema(request=InstructSerializer, responses=InstructionSerializer,
                   summary="Instruct the Alliance on an accepted instruction (Alliance Manager, para 30)")
    def post(self, request, pk: int):
        instruction = _visible(request, pk)
        serializer = InstructSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(instructions_services.instruction_instruct(actor=request.user, instruction=instruction,
                                                     **serializer.validated_data))
