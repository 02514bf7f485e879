"""REST API of mobilisation under /api/mobilisation/, documented in the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from mobilisation.permissions import ERR_API_NOT_MEMBER, ERR_MATURITY_API_NOT_MEMBER, require_member
from mobilisation.selectors import deliverables as deliverable_selectors
from mobilisation.selectors import maturity as maturity_selectors
from mobilisation.serializers import DeliverableQuerySerializer, DeliverableSerializer, MaturityPlanSerializer

# --- Deliverables -------------------------------------------------------------------------------------------
# REST API of the mobilisation plan under /api/mobilisation/deliverables/: read-only, every member reads.



class DeliverableListView(ListAPIView):
    serializer_class = DeliverableSerializer

    def get_queryset(self):
        alliance_id = require_member(self.request.user, ERR_API_NOT_MEMBER)
        query = read_query(self.request, DeliverableQuerySerializer)
        return deliverable_selectors.deliverables_list(alliance_id, dimension=query.get("dimension", ""),
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
        require_member(self.request.user, ERR_API_NOT_MEMBER)
        return deliverable_selectors.deliverable_for(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="One mobilisation deliverable (another alliance's: 404)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Maturity -----------------------------------------------------------------------------------------------
# REST API of the maturity plan under /api/mobilisation/maturity-plan/: the current plan (paras 216-221).

ERR_NO_MATURITY_PLAN = "The Alliance has no maturity plan yet."


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
        alliance_id = require_member(request.user, ERR_MATURITY_API_NOT_MEMBER)
        plan = maturity_selectors.maturity_plan_current(alliance_id)
        if plan is None:
            raise NotFound(ERR_NO_MATURITY_PLAN)
        data = MaturityPlanSerializer.from_plan(plan, maturity_selectors.maturity_grid(plan))
        return Response(MaturityPlanSerializer(data).data)
