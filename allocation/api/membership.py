"""REST API of membership changes under /api/allocation/: read only (writes go through the pages)."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView

from allocation import permissions
from allocation.models import Reallocation
from allocation.selectors import membership as selectors
from allocation.serializers.membership import MembershipChangeSerializer


def _queryset(request):
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the Alliance can see its membership changes.")
    return selectors.membership_changes_of(request.user).prefetch_related(Prefetch(
        "reallocations", queryset=Reallocation.objects.select_related("scheme", "from_partner", "to_partner")))


class MembershipChangeListView(ListAPIView):
    serializer_class = MembershipChangeSerializer

    def get_queryset(self):
        return _queryset(self.request)

    @extend_schema(summary="The Alliance's membership changes (paras 95-98) with their reallocations")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MembershipChangeDetailView(RetrieveAPIView):
    serializer_class = MembershipChangeSerializer

    def get_queryset(self):
        return _queryset(self.request)  # another alliance's change: 404

    @extend_schema(summary="A membership change with its proposed or applied reallocation")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
