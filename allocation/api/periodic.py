"""REST API of Periodic Instructions under /api/allocation/: read only (writes go through the pages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView

from allocation import permissions
from allocation.selectors import periodic as selectors
from allocation.serializers.periodic import PeriodicInstructionSerializer


def _queryset(request):
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the Alliance can see its Periodic Instructions.")
    return selectors.periodic_instructions_of(request.user)


class PeriodicInstructionListView(ListAPIView):
    serializer_class = PeriodicInstructionSerializer

    def get_queryset(self):
        return _queryset(self.request)

    @extend_schema(summary="The Periodic Instructions for the PMP (paras 103-107)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PeriodicInstructionDetailView(RetrieveAPIView):
    serializer_class = PeriodicInstructionSerializer

    def get_queryset(self):
        return _queryset(self.request)  # another alliance's: 404

    @extend_schema(summary="A Periodic Instruction with its cost resource profile")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
