"""REST API of commitments, the Performance Table and assurance under /api/governance/: read-only lists."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView

from alliance.api_filters import read_query
from governance import permissions, selectors
from governance.serializers import (
    AssuranceReviewSerializer,
    CommitmentSerializer,
    PerformanceTableQuerySerializer,
    PerformanceTableSerializer,
)


def _member(request):
    if not permissions.is_alliance_member(request.user):
        raise PermissionDenied("Only people of the alliance's organisations can see its commitments and tables.")
    return request.user.organisation.alliance


class CommitmentListView(ListAPIView):
    serializer_class = CommitmentSerializer

    def get_queryset(self):
        return selectors.commitment_register(_member(self.request).pk)

    @extend_schema(summary="The Commitment SLA Register: lead partners, dependencies, conflicts, selections")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PerformanceTableListView(ListAPIView):
    serializer_class = PerformanceTableSerializer

    def get_queryset(self):
        tables = selectors.performance_tables(_member(self.request).pk)
        status = read_query(self.request, PerformanceTableQuerySerializer).get("status")
        return tables.filter(status=status) if status else tables

    @extend_schema(
        parameters=[PerformanceTableQuerySerializer],
        summary="Every version of the Performance Table per Performance Period, with its rows",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AssuranceReviewListView(ListAPIView):
    serializer_class = AssuranceReviewSerializer

    def get_queryset(self):
        if not permissions.can_view_assurance(self.request.user):
            raise PermissionDenied("Only the client's reviewers, the SRO and the Alliance Manager see assurance.")
        return selectors.assurance_reviews(self.request.user.organisation.alliance_id)

    @extend_schema(summary="The client's assurance calendar: reviews due, held (with findings) and cancelled")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
