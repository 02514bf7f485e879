"""Read API of the supplier register and the procurement pipeline under /api/supplychain/ (every member
reads: open book). Changes go through the pages' services."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView

from alliance.serializers import query_text
from supplychain import permissions
from supplychain.selectors import suppliers as selectors
from supplychain.serializers.suppliers import OpportunitySerializer, SupplierSerializer


def _member(request) -> None:
    if not permissions.can_view_supply_chain(request.user):
        raise PermissionDenied("Only members of the alliance can see its supply chain.")


def _yes_no(value: str | None) -> bool | None:
    return {"true": True, "yes": True, "false": False, "no": False}.get((value or "").lower())


class SupplierListView(ListAPIView):
    serializer_class = SupplierSerializer

    def get_queryset(self):
        _member(self.request)
        params = self.request.query_params
        return selectors.suppliers_register(
            self.request.user, category=query_text(self.request, "category") or None,
            segment=query_text(self.request, "segment") or None,
            sme=_yes_no(params.get("sme")), vcse=_yes_no(params.get("vcse")),
            accreditation=query_text(self.request, "accreditation") or None)

    @extend_schema(summary="The supplier register (para 128), with each supplier's accreditation state", parameters=[
        OpenApiParameter("category", OpenApiTypes.STR), OpenApiParameter("segment", OpenApiTypes.STR),
        OpenApiParameter("sme", OpenApiTypes.BOOL), OpenApiParameter("vcse", OpenApiTypes.BOOL),
        OpenApiParameter("accreditation", OpenApiTypes.STR, enum=list(selectors.AccreditationState.values))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OpportunityListView(ListAPIView):
    serializer_class = OpportunitySerializer

    def get_queryset(self):
        _member(self.request)
        year = self.request.query_params.get("year")
        return selectors.opportunities_of(self.request.user, year=int(year) if year and year.isdecimal() else None)

    @extend_schema(summary="The procurement pipeline (para 123)", parameters=[OpenApiParameter("year", OpenApiTypes.INT)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
