"""Read API of the supplier register and the procurement pipeline under /api/supplychain/ (every member
reads: open book). Changes go through the pages' services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView

from alliance.api_filters import read_query
from supplychain import permissions
from supplychain.selectors import suppliers as selectors
from supplychain.serializers.suppliers import (
    OpportunityQuerySerializer,
    OpportunitySerializer,
    SupplierQuerySerializer,
    SupplierSerializer,
)


def _member(request) -> None:
    if not permissions.can_view_supply_chain(request.user):
        raise PermissionDenied("Only members of the alliance can see its supply chain.")


class SupplierListView(ListAPIView):
    serializer_class = SupplierSerializer

    def get_queryset(self):
        _member(self.request)
        query = read_query(self.request, SupplierQuerySerializer)
        return selectors.suppliers_register(
            self.request.user, category=query.get("category") or None, segment=query.get("segment") or None,
            sme=query.get("sme"), vcse=query.get("vcse"), accreditation=query.get("accreditation") or None)

    @extend_schema(summary="The supplier register (para 128), with each supplier's accreditation state",
                   parameters=[SupplierQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OpportunityListView(ListAPIView):
    serializer_class = OpportunitySerializer

    def get_queryset(self):
        _member(self.request)
        return selectors.opportunities_of(self.request.user,
                                          year=read_query(self.request, OpportunityQuerySerializer).get("year"))

    @extend_schema(summary="The procurement pipeline (para 123)", parameters=[OpportunityQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
