"""REST API of the maturity plan under /api/mobilisation/maturity-plan/: the current plan (paras 216-221)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from mobilisation.permissions import can_view_mobilisation
from mobilisation.selectors import maturity as selectors
from mobilisation.serializers.maturity import MaturityPlanSerializer

__all__ = ["ERR_MATURITY_API_NONE", "ERR_MATURITY_API_NOT_MEMBER", "MaturityPlanCurrentView"]

ERR_MATURITY_API_NOT_MEMBER = "Only members of the Alliance can see its maturity plan."
ERR_MATURITY_API_NONE = "The Alliance has no maturity plan yet."


class MaturityPlanCurrentView(APIView):
    @extend_schema(
        summary="The current five-year rolling maturity plan (paras 216-221)",
        description=("The latest version signed off by the Board, else the latest version being drafted: each "
                     "focus area of para 217 with its level (base, developing, advanced: para 219) at six months "
                     "and at the end of each year 1-5 (para 218), and its actions."),
        responses={200: MaturityPlanSerializer, 403: OpenApiResponse(description="Not a member of an alliance"),
                   404: OpenApiResponse(description="No maturity plan yet")},
    )
    def get(self, request):
        if not can_view_mobilisation(request.user):
            raise PermissionDenied(ERR_MATURITY_API_NOT_MEMBER)
        plan = selectors.maturity_plan_current(request.user.organisation.alliance_id)
        if plan is None:
            raise NotFound(ERR_MATURITY_API_NONE)
        data = MaturityPlanSerializer.from_plan(plan, selectors.maturity_grid(plan))
        return Response(MaturityPlanSerializer(data).data)
