"""REST API of optimisation under /api/allocation/: business cases and minor changes, read by every member
of the alliance. Thin: parse, call a selector, answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from allocation import permissions, selectors
from allocation.serializers import (
    BusinessCaseQuerySerializer,
    BusinessCaseSerializer,
    MinorChangeQuerySerializer,
    MinorChangeSerializer,
)


def _member(request) -> None:
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the alliance can see its allocation.")


class BusinessCaseListView(ListAPIView):
    serializer_class = BusinessCaseSerializer

    def get_queryset(self):
        _member(self.request)
        query_data = read_query(self.request, BusinessCaseQuerySerializer)
        return selectors.business_cases_of(self.request.user, **query_data)

    @extend_schema(parameters=[BusinessCaseQuerySerializer],
                   summary="Optimisation business cases, newest first (paras 90-94, 101)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BusinessCaseDetailView(APIView):
    @extend_schema(responses=BusinessCaseSerializer,
                   summary="An optimisation business case with its changes of Responsible Partner")
    def get(self, request, pk: int):
        _member(request)
        return Response(BusinessCaseSerializer(selectors.business_case_for(request.user, pk)).data)


class MinorChangeListView(ListAPIView):
    serializer_class = MinorChangeSerializer

    def get_queryset(self):
        _member(self.request)
        query_data = read_query(self.request, MinorChangeQuerySerializer)
        return selectors.minor_changes_of(self.request.user, **query_data)

    @extend_schema(parameters=[MinorChangeQuerySerializer],
                   summary="Minor post-allocation changes with the affected partners' agreement (paras 99-100)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
