"""REST API of the Implementation Plan under /api/governance/. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_input import InputSerializer
from governance import permissions
from governance.models.plan import ChangeProposal, ChangeProposalStatus, PlanSection, PlanVersion
from governance.selectors import plan as plan_selectors
from governance.services import plan as plan_services
from governance.services.plan import ERR_PLAN_SECTION_NUMBER, SECTION_NUMBER

# --- Serializers (beside their views) ------------------------------------------------------------------


class PlanSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanSection
        fields = ["number", "heading", "text", "order", "client_reserved"]


class PlanVersionSummarySerializer(serializers.ModelSerializer):
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    section_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "published_at", "published_by", "note", "section_count"]


class PlanVersionSerializer(serializers.ModelSerializer):
    published_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    sections = PlanSectionSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "published_at", "published_by", "note", "sections"]


class PlanProposalSerializer(serializers.ModelSerializer):
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    base_version = serializers.SlugRelatedField(slug_field="number", read_only=True)
    published_in = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = ChangeProposal
        fields = [
            "id", "section_number", "section_heading", "proposed_text", "reason", "status", "proposed_by",
            "organisation", "proposed_at", "base_version", "impact_assessment", "reviewed_at", "decision",
            "published_in",
        ]


class PlanProposalCreateSerializer(InputSerializer):
    # The service's rule, in the schema as a pattern too.
    section_number = serializers.CharField(max_length=20, help_text='An existing section\'s number or a new one, e.g. "2.5".',
                                           validators=[RegexValidator(SECTION_NUMBER.pattern, ERR_PLAN_SECTION_NUMBER)])
    section_heading = serializers.CharField(max_length=300)
    proposed_text = serializers.CharField(help_text="The whole section as it would read after the change.")
    reason = serializers.CharField()


class PlanProposalQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ChangeProposalStatus.choices, required=False)


# --- Views --------------------------------------------------------------------------------------------


class PlanCurrentView(APIView):
    @extend_schema(responses=PlanVersionSerializer, summary="The current Implementation Plan with its sections")
    def get(self, request):
        version = plan_selectors.plan_current_version(permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER).pk)
        if version is None:
            raise Http404(plan_services.ERR_PLAN_NO_VERSION)
        return Response(PlanVersionSerializer(version).data)


class PlanVersionListView(ListAPIView):
    serializer_class = PlanVersionSummarySerializer

    def get_queryset(self):
        return plan_selectors.plan_versions(permissions.require_alliance_member(self.request.user, permissions.ERR_PLAN_VIEWER).pk)

    @extend_schema(summary="Every published version of the Implementation Plan, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PlanProposalListView(ListAPIView):
    serializer_class = PlanProposalSerializer

    def get_queryset(self):
        permissions.require_alliance_member(self.request.user, permissions.ERR_PLAN_VIEWER)
        query_data = read_query(self.request, PlanProposalQuerySerializer)
        return plan_selectors.plan_proposals_visible_to(self.request.user, status=query_data.get("status"))

    @extend_schema(parameters=[PlanProposalQuerySerializer], summary="Proposed changes to the Implementation Plan")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PlanProposalCreateSerializer, responses={201: PlanProposalSerializer},
                   summary="Propose a change to a section, or a new section (any member, para 3)")
    def post(self, request):
        alliance = permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
        serializer = PlanProposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = plan_services.plan_change_propose(actor=request.user, alliance=alliance, **serializer.validated_data)
        return Response(PlanProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class PlanProposalDetailView(APIView):
    @extend_schema(responses=PlanProposalSerializer, summary="A proposed change and where it stands")
    def get(self, request, pk: int):
        permissions.require_alliance_member(request.user, permissions.ERR_PLAN_VIEWER)
        return Response(PlanProposalSerializer(plan_selectors.plan_proposal_for(request.user, pk)).data)
