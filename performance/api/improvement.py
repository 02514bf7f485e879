"""REST API of improvement under /api/performance/: read-only. Writes go through the pages (and their
services); everyone of the alliance reads, another alliance's plan is not found."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView

from performance.models import PlanAim
from performance.permissions import can_read_improvement
from performance.selectors import improvement as selectors
from performance.serializers.improvement import (
    EfficiencyEntrySerializer,
    ImprovementPlanDetailSerializer,
    ImprovementPlanSerializer,
    ImprovementProcessSerializer,
    IncidentSerializer,
)


class _Reader:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_read_improvement(request.user):
            raise PermissionDenied("Only people of the alliance's organisations see its improvement records.")


@extend_schema(summary="Improvement processes opened by the scorecard's findings (Figure 9)")
class ProcessListView(_Reader, ListAPIView):
    serializer_class = ImprovementProcessSerializer

    def get_queryset(self):
        return selectors.improvement_processes_of(self.request.user)


@extend_schema(summary="Performance improvement plans")
class PlanListView(_Reader, ListAPIView):
    serializer_class = ImprovementPlanSerializer

    def get_queryset(self):
        return selectors.improvement_plans_of(self.request.user)


@extend_schema(summary="A plan with its aims, actions, queries and reports (seed 002's shape)")
class PlanDetailView(_Reader, RetrieveAPIView):
    serializer_class = ImprovementPlanDetailSerializer

    def get_object(self):
        plan = selectors.improvement_plan_for(self.request.user, self.kwargs["pk"])
        return type(plan).objects.prefetch_related(
            Prefetch("aims", queryset=PlanAim.objects.prefetch_related("actions").order_by("order")),
            "queries", "reports").get(pk=plan.pk)


@extend_schema(summary="Incidents (paras 180-184)")
class IncidentListView(_Reader, ListAPIView):
    serializer_class = IncidentSerializer

    def get_queryset(self):
        return selectors.incidents_of(self.request.user)


@extend_schema(summary="The efficiency register (seed 001)")
class EfficiencyListView(_Reader, ListAPIView):
    serializer_class = EfficiencyEntrySerializer

    def get_queryset(self):
        return selectors.efficiencies_of(self.request.user)
