"""REST API of the Implementation Plan under /api/governance/. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from governance import permissions, selectors, services
from governance.serializers import (
    PlanProposalCreateSerializer,
    PlanProposalQuerySerializer,
    PlanProposalSerializer,
    PlanVersionSerializer,
    PlanVersionSummarySerializer,
)


def _member(request):
    if not permissions.is_alliance_member(request.user):
        raise PermissionDenied("Only members of the alliance can see the Implementation Plan.")
    return request.user.organisation.alliance


class PlanCurrentView(APIView):
    @extend_schema(responses=PlanVersionSerializer, summary="The current Implementation Plan with its sections")
    def get(self, request):
        version = selectors.plan_current_version(_member(request).pk)
        if version is None:
            raise Http404(services.ERR_PLAN_NO_VERSION)
        return Response(PlanVersionSerializer(version).data)


class PlanVersionListView(ListAPIView):
    serializer_class = PlanVersionSummarySerializer

    def get_queryset(self):
        return selectors.plan_versions(_member(self.request).pk)

    @extend_schema(summary="Every published version of the Implementation Plan, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PlanProposalListView(ListAPIView):
    serializer_class = PlanProposalSerializer

    def get_queryset(self):
        _member(self.request)
        query_data = read_query(self.request, PlanProposalQuerySerializer)
        return selectors.plan_proposals_visible_to(self.request.user, status=query_data.get("status"))

    @extend_schema(parameters=[PlanProposalQuerySerializer], summary="Proposed changes to the Implementation Plan")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PlanProposalCreateSerializer, responses={201: PlanProposalSerializer},
                   summary="Propose a change to a section, or a new section (any member, para 3)")
    def post(self, request):
        alliance = _member(request)
        serializer = PlanProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.plan_change_propose(actor=request.user, alliance=alliance, **serializer.validated_data)
        return Response(PlanProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class PlanProposalDetailView(APIView):
    @extend_schema(responses=PlanProposalSerializer, summary="A proposed change and where it stands")
    def get(self, request, pk: int):
        _member(request)
        return Response(PlanProposalSerializer(selectors.plan_proposal_for(request.user, pk)).data)
