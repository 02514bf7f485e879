"""REST API of the Board under /api/governance/. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from governance import permissions, selectors, services
from governance.serializers import (
    DecisionCreateSerializer,
    DecisionQuerySerializer,
    DecisionSerializer,
    DecisionTypeSerializer,
    DecisionTypeWriteSerializer,
    VoteCastSerializer,
    VotingOrganisationSerializer,
)


def _board_member(request):
    if not permissions.can_view_board(request.user):
        raise PermissionDenied("Only members of the Alliance Board can see its decisions.")
    return request.user.organisation.alliance


class DecisionTypeListView(APIView):
    @extend_schema(responses=DecisionTypeSerializer(many=True), summary="The Decision Matrix")
    def get(self, request):
        alliance = _board_member(request)
        return Response(DecisionTypeSerializer(selectors.decision_types(alliance.pk), many=True).data)

    @extend_schema(request=DecisionTypeWriteSerializer, responses={201: DecisionTypeSerializer},
                   summary="Add a row to the Decision Matrix (Alliance Manager, administrator)")
    def post(self, request):
        alliance = _board_member(request)
        serializer = DecisionTypeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.decision_type_save(actor=request.user, alliance=alliance, **serializer.validated_data)
        return Response(DecisionTypeSerializer(row).data, status=status.HTTP_201_CREATED)


class DecisionListView(ListAPIView):
    serializer_class = DecisionSerializer

    def get_queryset(self):
        _board_member(self.request)
        data = read_query(self.request, DecisionQuerySerializer)
        return selectors.with_votes(selectors.board_decisions(
            self.request.user, status=data.get("status"), decision_type=data.get("decision_type"),
            outcome=data.get("outcome"), search=data.get("q"), closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
        ))

    @extend_schema(parameters=[DecisionQuerySerializer], summary="Decisions (open ones I have not voted on first)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer},
                   summary="Table a decision (Alliance Manager or SRO)")
    def post(self, request):
        alliance = _board_member(request)
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision_type = selectors.decision_types(alliance.pk).filter(code=data["decision_type"]).first()
        if decision_type is None:
            raise ValidationError({"decision_type": [f"No decision type {data['decision_type']!r} in the Decision Matrix."]})
        meeting = selectors.meeting_for(request.user, data["meeting"]) if data["meeting"] else None
        decision = services.decision_table(
            actor=request.user, alliance=alliance, title=data["title"], description=data["description"],
            decision_type=decision_type, closes_at=data["closes_at"], meeting=meeting,
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _visible_decision(request, pk: int):
    _board_member(request)
    return selectors.decision_for(request.user, pk)  # another alliance's decision: 404


class DecisionDetailView(APIView):
    @extend_schema(responses=DecisionSerializer, summary="A decision with its votes and tally")
    def get(self, request, pk: int):
        return Response(DecisionSerializer(_visible_decision(request, pk)).data)


class DecisionVoteView(APIView):
    @extend_schema(request=VoteCastSerializer, responses=DecisionSerializer,
                   summary="Cast or change my organisation's vote")
    def post(self, request, pk: int):
        decision = _visible_decision(request, pk)
        serializer = VoteCastSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = services.vote_cast(actor=request.user, decision=decision, **serializer.validated_data)
        return Response(DecisionSerializer(decision).data)


class DecisionCloseView(APIView):
    @extend_schema(request=None, responses=DecisionSerializer, summary="Close now (chair or Alliance Manager)")
    def post(self, request, pk: int):
        decision = services.decision_close(actor=request.user, decision=_visible_decision(request, pk))
        return Response(DecisionSerializer(decision).data)


class VotingOrganisationListView(APIView):
    @extend_schema(responses=VotingOrganisationSerializer(many=True),
                   summary="The organisations that vote today: the Alliance's members (paras 12, 35, 95-98)")
    def get(self, request):
        alliance = _board_member(request)
        return Response(VotingOrganisationSerializer(selectors.board_seats(alliance.pk), many=True).data)
