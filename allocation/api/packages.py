"""REST API of packages, schemes and the allocation under /api/allocation/. Thin: parse, call, answer."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from allocation import permissions, selectors, services
from allocation.models import SchemeStatus
from allocation.serializers import (
    AllocationResultSerializer,
    PackageCreateSerializer,
    PackageSerializer,
    SchemeInputSerializer,
    SchemeQuerySerializer,
    SchemeSerializer,
    allocation_result,
)


def _member(request) -> None:
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the alliance can see its allocation.")


class PackageListView(ListAPIView):
    serializer_class = PackageSerializer

    def get_queryset(self):
        _member(self.request)
        # The Meta ordering does not apply to an aggregated (GROUP BY) query: pages need an explicit one.
        return selectors.packages_of(self.request.user).annotate(scheme_count=Count("schemes")).order_by(
            "notified_on", "code", "pk"
        )

    @extend_schema(summary="Packages of work")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PackageCreateSerializer, responses={201: PackageSerializer},
                   summary="Register a package (SRO or Alliance Manager, para 81)")
    def post(self, request):
        _member(request)
        serializer = PackageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        package = services.package_register(actor=request.user, **serializer.validated_data)
        return Response(PackageSerializer(package).data, status=status.HTTP_201_CREATED)


class PackageSchemesView(APIView):
    parser_classes = [JSONParser]  # a list of rows: a form cannot carry one (the pages take a CSV file)
    @extend_schema(request=SchemeInputSerializer(many=True, allow_empty=False), responses={201: SchemeSerializer(many=True)},
                   summary="Add schemes to a package: all or none; each wrong row reported with its position")
    def post(self, request, pk: int):
        _member(request)
        package = selectors.package_for(request.user, pk)
        rows = request.data if isinstance(request.data, list) else [request.data]
        schemes = services.schemes_add(actor=request.user, package=package, rows=rows)
        return Response(SchemeSerializer(schemes, many=True).data, status=status.HTTP_201_CREATED)


class PackageAllocateView(APIView):
    @extend_schema(request=None, responses=AllocationResultSerializer,
                   summary="Run the initial allocation and tolerance balancing (Alliance Manager, paras 86-88)")
    def post(self, request, pk: int):
        _member(request)
        package = selectors.package_for(request.user, pk)
        run = services.package_allocate(actor=request.user, package=package)
        return Response(allocation_result(run, selectors.run_moves(run),
                                          selectors.package_schemes(package).exclude(status=SchemeStatus.CANCELLED)))


class SchemeListView(ListAPIView):
    serializer_class = SchemeSerializer

    def get_queryset(self):
        _member(self.request)
        query = read_query(self.request, SchemeQuerySerializer)
        return selectors.schemes_register(
            self.request.user, package=query.get("package"), region=query.get("region") or None,
            partner=query.get("partner") or None, status=query.get("status") or None,
        )

    @extend_schema(summary="Every scheme with its current and initial Responsible Partners (yours first)",
                   parameters=[SchemeQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
