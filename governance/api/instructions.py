"""REST API of client instructions under /api/governance/instructions/. Thin: parse, call, answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from governance import permissions, selectors, services
from governance.models import ClientInstruction
from governance.serializers import (
    ClientDecisionSerializer,
    ImpactAssessmentWriteSerializer,
    InstructionCreateSerializer,
    InstructionQuerySerializer,
    InstructionSerializer,
    InstructSerializer,
)


def _viewer(request) -> None:
    if not permissions.can_view_instructions(request.user):
        raise PermissionDenied("Only the Alliance Board and the client's reviewers can see client instructions.")


def _answer(instruction, *, created: bool = False) -> Response:
    instruction = ClientInstruction.objects.select_related("issued_by", "impact_assessment__submitted_by").get(
        pk=instruction.pk)
    return Response(InstructionSerializer(instruction).data,
                    status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class InstructionListView(ListAPIView):
    serializer_class = InstructionSerializer

    def get_queryset(self):
        _viewer(self.request)
        query_data = read_query(self.request, InstructionQuerySerializer)
        return selectors.instructions_register(self.request.user, **query_data).select_related(
            "issued_by", "impact_assessment__submitted_by")

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page: the clocks of all its instructions in one query
            rows = list(args[0])
            args = (rows, *args[1:])
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["clocks_by_id"] = selectors.instructions_clocks_by_id(i.pk for i in rows)
        return super().get_serializer(*args, **kwargs)

    @extend_schema(parameters=[InstructionQuerySerializer],
                   summary="The instructions register (overdue first); ?overdue=true for the overdue ones")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=InstructionCreateSerializer, responses={201: InstructionSerializer},
                   summary="Issue a proposed client instruction (SRO): the impact assessment clock starts")
    def post(self, request):
        _viewer(request)
        serializer = InstructionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instruction = services.instruction_issue(actor=request.user, **serializer.validated_data)
        return _answer(instruction, created=True)


def _visible(request, pk: int):
    _viewer(request)
    return selectors.instruction_for(request.user, pk)  # another alliance's instruction: 404


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
        instruction = services.impact_assessment_submit(actor=request.user, instruction=instruction,
                                                        **serializer.validated_data)
        return _answer(instruction)


class ClientDecisionView(APIView):
    @extend_schema(request=ClientDecisionSerializer, responses=InstructionSerializer,
                   summary="Accept or reject the recommendation or change event (SRO, para 29)")
    def post(self, request, pk: int):
        instruction = _visible(request, pk)
        serializer = ClientDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(services.instruction_client_decide(actor=request.user, instruction=instruction,
                                                          **serializer.validated_data))


class InstructView(APIView):
    @extend_schema(request=InstructSerializer, responses=InstructionSerializer,
                   summary="Instruct the Alliance on an accepted instruction (Alliance Manager, para 30)")
    def post(self, request, pk: int):
        instruction = _visible(request, pk)
        serializer = InstructSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _answer(services.instruction_instruct(actor=request.user, instruction=instruction,
                                                     **serializer.validated_data))
