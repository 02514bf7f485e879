"""REST API of the mobilisation plan under /api/mobilisation/deliverables/: read-only, every member reads."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView

from alliance.api_filters import read_query
from alliance.permissions import alliance_id_of
from mobilisation import permissions
from mobilisation.selectors import deliverables as selectors
from mobilisation.serializers.deliverables import DeliverableQuerySerializer, DeliverableSerializer

__all__ = ["DeliverableDetailView", "DeliverableListView"]

ERR_NOT_MEMBER = "Only members of the Alliance can see its mobilisation plan."


def _member(request) -> int:
    if not permissions.can_view_mobilisation(request.user):
        raise PermissionDenied(ERR_NOT_MEMBER)
    return alliance_id_of(request.user)


class DeliverableListView(ListAPIView):
    serializer_class = DeliverableSerializer

    def get_queryset(self):
        alliance_id = _member(self.request)
        query = read_query(self.request, DeliverableQuerySerializer)
        return selectors.deliverables_list(alliance_id, dimension=query.get("dimension", ""),
                                           status=query.get("status", ""))

    @extend_schema(
        summary="The mobilisation deliverables (Table 7 and those added), by due date",
        description="Each with its title, our reference (MOB-01...), its due date from the Alliance Start Date, "
                    "its status and its owner organisation's slug (null until the Alliance Manager assigns one).",
        parameters=[DeliverableQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DeliverableDetailView(RetrieveAPIView):
    serializer_class = DeliverableSerializer

    def get_object(self):
        _member(self.request)
        return selectors.deliverable_for(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="One mobilisation deliverable (another alliance's: 404)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
