"""REST API of the risk register under /api/supplychain/risks/ (seed 002), documented in the OpenAPI schema.

Every member reads the register (open book) and raises risks; the owner or the supply chain team posts the
monthly update. Refusals come back in the one error shape of alliance.api_support, naming the field.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.dates import local_today
from alliance.permissions import alliance_id_of
from supplychain import selectors, services
from supplychain.permissions import can_update_risk, can_view_supply_chain
from supplychain.serializers.risks import (
    RiskActionSerializer,
    RiskCreateSerializer,
    RiskDetailSerializer,
    RiskEscalationSerializer,
    RiskQuerySerializer,
    RiskSerializer,
    RiskUpdateCreateSerializer,
    RiskUpdateSerializer,
)

__all__ = ["RiskDetailView", "RiskListView", "RiskUpdateCreateView"]

ERR_RISK_API_NOT_MEMBER = "Only members of the Alliance read its risk register."

_REFUSED = OpenApiResponse(description="Refused, naming the field; nothing saved.")


def _member(request) -> int:
    if not can_view_supply_chain(request.user):
        raise PermissionDenied(ERR_RISK_API_NOT_MEMBER)
    return alliance_id_of(request.user)


class RiskListView(ListAPIView):
    serializer_class = RiskSerializer

    def get_queryset(self):
        alliance_id = _member(self.request)
        query = read_query(self.request, RiskQuerySerializer)
        owner = None
        if query.get("owner"):
            owner = selectors.risk_person_by_username(query["owner"]) or -1  # unknown owner: no risks
        return selectors.risks_register(
            alliance_id, today=local_today(), stale=query["stale"], strategy=query.get("strategy", ""),
            status=query.get("status", ""), owner=owner,
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {"stale_before": selectors.risk_stale_before(local_today())}

    @extend_schema(
        summary="The risk register, highest score first (seed 002)",
        parameters=[RiskQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Raise a risk with its owner, likelihood, impact and strategy (seed 002)",
        request=RiskCreateSerializer,
        responses={201: RiskSerializer, 400: _REFUSED},
    )
    def post(self, request, *args, **kwargs):
        _member(request)
        form = RiskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        risk = services.risk_raise(actor=request.user, **form.validated_data)
        context = {"stale_before": selectors.risk_stale_before(local_today())}
        return Response(RiskSerializer(risk, context=context).data, status=201)


class RiskDetailView(APIView):
    @extend_schema(summary="A risk with its monthly updates, actions and escalations",
                   responses=RiskDetailSerializer)
    def get(self, request, pk: int):
        _member(request)
        risk = selectors.risk_for(request.user, pk)  # 404 for another alliance's
        detail = selectors.risk_detail(risk)
        context = {"stale_before": selectors.risk_stale_before(local_today())}
        return Response(RiskSerializer(risk, context=context).data | {
            "updates": RiskUpdateSerializer(detail["updates"], many=True).data,
            "actions": RiskActionSerializer(detail["actions"], many=True).data,
            "escalations": RiskEscalationSerializer(detail["escalations"], many=True).data,
        })


class RiskUpdateCreateView(APIView):
    @extend_schema(
        summary="The monthly update of a risk, even when nothing changed (seed 002)",
        request=RiskUpdateCreateSerializer,
        responses={201: RiskUpdateSerializer, 400: _REFUSED,
                   403: OpenApiResponse(description="Neither the owner nor the supply chain team.")},
    )
    def post(self, request, pk: int):
        _member(request)
        risk = selectors.risk_for(request.user, pk)  # 404 for another alliance's
        if not can_update_risk(request.user, risk):
            raise PermissionDenied(services.ERR_RISK_NOT_UPDATER)
        form = RiskUpdateCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        update = services.risk_update(actor=request.user, risk=risk, **form.validated_data)
        return Response(RiskUpdateSerializer(update).data, status=201)
