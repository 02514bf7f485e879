"""REST API of the supply chain under /api/supplychain/, documented in the OpenAPI schema."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.dates import local_today
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.permissions import (
    ERR_PLANS_API_NOT_MEMBER,
    ERR_RISKS_NOT_MEMBER,
    require_member,
    require_risk_updater,
)
from supplychain.selectors import plans as plan_selectors
from supplychain.selectors import risks as risk_selectors
from supplychain.selectors import suppliers as supplier_selectors
from supplychain.serializers import (
    ChecklistItemSerializer,
    ManagementPlanSerializer,
    OpportunityQuerySerializer,
    OpportunitySerializer,
    PlanCreateSerializer,
    PlanReturnSerializer,
    RiskActionSerializer,
    RiskCreateSerializer,
    RiskDetailSerializer,
    RiskEscalationSerializer,
    RiskQuerySerializer,
    RiskSerializer,
    RiskUpdateCreateSerializer,
    RiskUpdateSerializer,
    SupplierQuerySerializer,
    SupplierSerializer,
)
from supplychain.services import plans as plan_services
from supplychain.services import risks as risk_services

# --- Plans --------------------------------------------------------------------------------------------------
# REST API of the Supply Chain Management Plan under /api/supplychain/management-plans/.
#
# Accepting a plan that misses items of para 133 answers 400 with ``missing``: the checklist codes, in order; the
# plan stays submitted.

_MISSING = inline_serializer("PlanIncomplete", {
    "status": serializers.IntegerField(), "code": serializers.CharField(), "detail": serializers.CharField(),
    # Not required: a refusal for another reason (the plan is not submitted) has the usual error shape.
    "missing": serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text="With code incomplete: the checklist codes of para 133 that the plan misses, in order.",
    ),
    "errors": serializers.DictField(required=False, help_text="With code invalid: the messages per field."),
})


class ChecklistView(APIView):
    @extend_schema(summary="The required contents of a Supply Chain Management Plan (para 133), in order",
                   responses=ChecklistItemSerializer(many=True))
    def get(self, request):
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        return Response([{"code": code, "text": text} for code, text in MANAGEMENT_PLAN_CHECKLIST])


class PlanListView(ListAPIView):
    serializer_class = ManagementPlanSerializer

    def get_queryset(self):
        require_member(self.request.user, ERR_PLANS_API_NOT_MEMBER)
        return plan_selectors.plans_visible_to(self.request.user).order_by("organisation__name", "-version")

    @extend_schema(summary="The plans you may see: every submitted one, and your own organisation's drafts")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="Draft the next version of your organisation's plan (paras 132-133)",
                   request=PlanCreateSerializer, responses={201: ManagementPlanSerializer})
    def post(self, request):
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        form = PlanCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = plan_services.plan_draft(actor=request.user, sections=form.validated_data["sections"],
                                   change_note=form.validated_data["change_note"])
        return Response(ManagementPlanSerializer(plan).data, status=201)


class PlanDetailView(APIView):
    @extend_schema(summary="One plan (another organisation's draft: 404)", responses=ManagementPlanSerializer)
    def get(self, request, pk: int):
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        return Response(ManagementPlanSerializer(plan_selectors.plan_for(request.user, pk)).data)


class PlanSubmitView(APIView):
    @extend_schema(summary="Submit the plan to the Alliance Manager (para 132)", request=None,
                   responses=ManagementPlanSerializer)
    def post(self, request, pk: int):
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        plan = plan_services.plan_submit(actor=request.user, plan=plan_selectors.plan_for(request.user, pk))
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
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        try:
            plan = plan_services.plan_accept(actor=request.user, plan=plan_selectors.plan_for(request.user, pk))
        except plan_services.PlanIncomplete as refusal:
            return Response({"status": 400, "code": "incomplete", "detail": refusal.messages[0],
                             "missing": refusal.missing}, status=400)
        return Response(ManagementPlanSerializer(plan).data)


class PlanReturnView(APIView):
    @extend_schema(summary="Return the plan naming the missing items (Alliance Manager, para 132)",
                   request=PlanReturnSerializer, responses=ManagementPlanSerializer)
    def post(self, request, pk: int):
        require_member(request.user, ERR_PLANS_API_NOT_MEMBER)
        form = PlanReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        plan = plan_services.plan_return(actor=request.user, plan=plan_selectors.plan_for(request.user, pk),
                                    missing=form.validated_data["missing"], comments=form.validated_data["comments"])
        return Response(ManagementPlanSerializer(plan).data)


# --- Suppliers ----------------------------------------------------------------------------------------------
# Read API of the supplier register and the procurement pipeline under /api/supplychain/ (every member
# reads: open book). Changes go through the pages' services.

class SupplierListView(ListAPIView):
    serializer_class = SupplierSerializer

    def get_queryset(self):
        require_member(self.request.user)
        query = read_query(self.request, SupplierQuerySerializer)
        return supplier_selectors.suppliers_register(
            self.request.user, category=query.get("category") or None, segment=query.get("segment") or None,
            sme=query.get("sme"), vcse=query.get("vcse"), accreditation=query.get("accreditation") or None)

    @extend_schema(summary="The supplier register (para 128), with each supplier's accreditation state",
                   parameters=[SupplierQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class OpportunityListView(ListAPIView):
    serializer_class = OpportunitySerializer

    def get_queryset(self):
        require_member(self.request.user)
        return supplier_selectors.opportunities_of(self.request.user,
                                          year=read_query(self.request, OpportunityQuerySerializer).get("year"))

    @extend_schema(summary="The procurement pipeline (para 123)", parameters=[OpportunityQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Risks --------------------------------------------------------------------------------------------------
# REST API of the risk register under /api/supplychain/risks/ (seed 002), documented in the OpenAPI schema.
#
# Every member reads the register (open book) and raises risks; the owner or the supply chain team posts the
# monthly update. Refusals come back in the one error shape of alliance.api_support, naming the field.


_REFUSED = OpenApiResponse(description="Refused, naming the field; nothing saved.")


class RiskListView(ListAPIView):
    serializer_class = RiskSerializer

    def get_queryset(self):
        alliance_id = require_member(self.request.user, ERR_RISKS_NOT_MEMBER)
        query = read_query(self.request, RiskQuerySerializer)
        owner = None
        if query.get("owner"):
            owner = risk_selectors.risk_person_by_username(query["owner"]) or -1  # unknown owner: no risks
        return risk_selectors.risks_register(
            alliance_id, today=local_today(), stale=query["stale"], strategy=query.get("strategy", ""),
            status=query.get("status", ""), owner=owner,
        )

    def get_serializer_context(self):
        return super().get_serializer_context() | {"stale_before": risk_selectors.risk_stale_before(local_today())}

    @extend_schema(
        summary="The risk register, highest score first (seed 002)",
        parameters=[RiskQuerySerializer],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Raise a risk with its owner, likelihood, impact and strategy (seed 002)",
        request=RiskCreateSerializer,
        responses={201: RiskSerializer, 400: _REFUSED},
    )
    def post(self, request, *args, **kwargs):
        require_member(request.user, ERR_RISKS_NOT_MEMBER)
        form = RiskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        risk = risk_services.risk_raise(actor=request.user, **form.validated_data)
        context = {"stale_before": risk_selectors.risk_stale_before(local_today())}
        return Response(RiskSerializer(risk, context=context).data, status=201)


class RiskDetailView(APIView):
    @extend_schema(summary="A risk with its monthly updates, actions and escalations",
                   responses=RiskDetailSerializer)
    def get(self, request, pk: int):
        require_member(request.user, ERR_RISKS_NOT_MEMBER)
        risk = risk_selectors.risk_for(request.user, pk)  # 404 for another alliance's
        detail = risk_selectors.risk_detail(risk)
        context = {"stale_before": risk_selectors.risk_stale_before(local_today())}
        return Response(RiskSerializer(risk, context=context).data | {
            "updates": RiskUpdateSerializer(detail["updates"], many=True).data,
            "actions": RiskActionSerializer(detail["actions"], many=True).data,
            "escalations": RiskEscalationSerializer(detail["escalations"], many=True).data,
        })


class RiskUpdateCreateView(APIView):
    @extend_schema(
        summary="The monthly update of a risk, even when nothing changed (seed 002)",
        request=RiskUpdateCreateSerializer,
        responses={201: RiskUpdateSerializer, 400: _REFUSED,
                   403: OpenApiResponse(description="Neither the owner nor the supply chain team.")},
    )
    def post(self, request, pk: int):
        require_member(request.user, ERR_RISKS_NOT_MEMBER)
        risk = risk_selectors.risk_for(request.user, pk)  # 404 for another alliance's
        require_risk_updater(request.user, risk)
        form = RiskUpdateCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        update = risk_services.risk_update(actor=request.user, risk=risk, **form.validated_data)
        return Response(RiskUpdateSerializer(update).data, status=201)
