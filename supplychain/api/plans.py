"""REST API of the Supply Chain Management Plan under /api/supplychain/management-plans/.

Accepting a plan that misses items of para 133 answers 400 with ``missing``: the checklist codes, in order; the
plan stays submitted.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from supplychain import permissions, selectors, services
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.serializers.plans import (
    ChecklistItemSerializer,
    ManagementPlanSerializer,
    PlanCreateSerializer,
    PlanReturnSerializer,
)

__all__ = ["ChecklistView", "PlanAcceptView", "PlanDetailView", "PlanListView", "PlanReturnView", "PlanSubmitView"]

ERR_NOT_MEMBER = "Only members of the Alliance can see its supply chain."
_MISSING = inline_serializer("PlanIncomplete", {
    "status": serializers.IntegerField(), "code": serializers.CharField(), "detail": serializers.CharField(),
    # Not required: a refusal for another reason (the plan is not submitted) has the usual error shape.
    "missing": serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="With code incomplete: the checklist codes of para 133 that the plan misses, in order.",
    ),
    "errors": serializers.DictField(required=False, help_text="With code invalid: the messages per field."),
})


def _member(request) -> None:
    if not permissions.can_view_supply_chain(request.user):
        raise PermissionDenied(ERR_NOT_MEMBER)


class ChecklistView(APIView):
    @extend_schema(summary="The required contents of a Supply Chain Management Plan (para 133), in order",
                   responses=ChecklistItemSerializer(many=True))
    def get(self, request):
        _member(request)
        return Response([{"code": code, "text": text} for code, text in MANAGEMENT_PLAN_CHECKLIST])


class PlanListView(ListAPIView):
    serializer_class = ManagementPlanSerializer

    def get_queryset(self):
        _member(self.request)
        return selectors.plans_visible_to(self.request.user).order_by("organisation__name", "-version")

    @extend_schema(summary="The plans you may see: every submitted one, and your own organisation's drafts")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Draft the next version of your organisation's plan (paras 132-133)",
                   request=PlanCreateSerializer, responses={201: ManagementPlanSerializer})
    def post(self, request):
        _member(request)
        form = PlanCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = services.plan_draft(actor=request.user, sections=form.validated_data["sections"],
                                   change_note=form.validated_data["change_note"])
        return Response(ManagementPlanSerializer(plan).data, status=201)


class PlanDetailView(APIView):
    @extend_schema(summary="One plan (another organisation's draft: 404)", responses=ManagementPlanSerializer)
    def get(self, request, pk: int):
        _member(request)
        return Response(ManagementPlanSerializer(selectors.plan_for(request.user, pk)).data)


class PlanSubmitView(APIView):
    @extend_schema(summary="Submit the plan to the Alliance Manager (para 132)", request=None,
                   responses=ManagementPlanSerializer)
    def post(self, request, pk: int):
        _member(request)
        plan = services.plan_submit(actor=request.user, plan=selectors.plan_for(request.user, pk))
        return Response(ManagementPlanSerializer(plan).data)


class PlanAcceptView(APIView):
    @extend_schema(summary="Accept the plan (Alliance Manager); refused naming the missing items (para 132)",
                   request=None, responses={
                       200: ManagementPlanSerializer,
                       400: OpenApiResponse(
                           _MISSING, description="Items of para 133 missing (code incomplete), or another refusal"
                       ),
                   })
    def post(self, request, pk: int):
        _member(request)
        try:
            plan = services.plan_accept(actor=request.user, plan=selectors.plan_for(request.user, pk))
        except services.PlanIncomplete as refusal:
            return Response({"status": 400, "code": "incomplete", "detail": refusal.messages[0],
                             "missing": refusal.missing}, status=400)
        return Response(ManagementPlanSerializer(plan).data)


class PlanReturnView(APIView):
    @extend_schema(summary="Return the plan naming the missing items (Alliance Manager, para 132)",
                   request=PlanReturnSerializer, responses=ManagementPlanSerializer)
    def post(self, request, pk: int):
        _member(request)
        form = PlanReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = services.plan_return(actor=request.user, plan=selectors.plan_for(request.user, pk),
                                    missing=form.validated_data["missing"], comments=form.validated_data["comments"])
        return Response(ManagementPlanSerializer(plan).data)
