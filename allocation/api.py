"""REST API of allocation under /api/allocation/, one section per workflow: packages, schemes and the allocation;
optimisation (business cases and minor changes, read by every member of the alliance); membership changes
(paras 95-98); Periodic Instructions (read only: writes go through the pages). Thin: parse, call one service or
selector, answer; the same services, and so the same rules and refusals, as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from allocation.models import MembershipChangeKind, Reallocation, SchemeStatus
from allocation.permissions import (
    require_member,
    require_membership_recorder,
    require_membership_viewer,
    require_periodic_viewer,
)
from allocation.selectors.business_cases import business_case_for, business_cases_of
from allocation.selectors.membership import (
    membership_change_for,
    membership_changes_of,
    new_partner_candidates,
    termination_candidates,
)
from allocation.selectors.minor_changes import minor_changes_of
from allocation.selectors.packages import (
    package_for,
    package_schemes,
    packages_of,
    run_moves,
    schemes_register,
)
from allocation.selectors.periodic import periodic_instructions_of
from allocation.serializers import (
    AllocationResultSerializer,
    BusinessCaseQuerySerializer,
    BusinessCaseSerializer,
    MembershipChangeCreateSerializer,
    MembershipChangeSerializer,
    MinorChangeQuerySerializer,
    MinorChangeSerializer,
    PackageCreateSerializer,
    PackageSerializer,
    PeriodicInstructionSerializer,
    SchemeInputSerializer,
    SchemeQuerySerializer,
    SchemeSerializer,
    allocation_result,
)
from allocation.services.membership import (
    membership_change_apply,
    membership_new_partner_record,
    membership_termination_record,
)
from allocation.services.packages import package_allocate, package_register, schemes_add

# --- Packages, schemes and the allocation ---------------------------------------------------------------------


class PackageListView(ListAPIView):
    serializer_class = PackageSerializer

    def get_queryset(self):
        require_member(self.request.user)
        # The Meta ordering does not apply to an aggregated (GROUP BY) query: pages need an explicit one.
        return packages_of(self.request.user).annotate(scheme_count=Count("schemes")).order_by(
            "notified_on", "code", "pk"
        )

    @extend_schema(summary="Packages of work")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PackageCreateSerializer, responses={201: PackageSerializer},
                   summary="Register a package (SRO or Alliance Manager, para 81)")
    def post(self, request):
        require_member(request.user)
        serializer = PackageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        package = package_register(actor=request.user, **serializer.validated_data)
        return Response(PackageSerializer(package).data, status=status.HTTP_201_CREATED)


class PackageSchemesView(APIView):
    parser_classes = [JSONParser]  # a list of rows: a form cannot carry one (the pages take a CSV file)
    @extend_schema(request=SchemeInputSerializer(many=True, allow_empty=False), responses={201: SchemeSerializer(many=True)},
                   summary="Add schemes to a package: all or none; each wrong row reported with its position")
    def post(self, request, pk: int):
        require_member(request.user)
        package = package_for(request.user, pk)
        rows = request.data if isinstance(request.data, list) else [request.data]
        schemes = schemes_add(actor=request.user, package=package, rows=rows)
        return Response(SchemeSerializer(schemes, many=True).data, status=status.HTTP_201_CREATED)


class PackageAllocateView(APIView):
    @extend_schema(request=None, responses=AllocationResultSerializer,
                   summary="Run the initial allocation and tolerance balancing (Alliance Manager, paras 86-88)")
    def post(self, request, pk: int):
        require_member(request.user)
        package = package_for(request.user, pk)
        run = package_allocate(actor=request.user, package=package)
        return Response(allocation_result(run, run_moves(run),
                                          package_schemes(package).exclude(status=SchemeStatus.CANCELLED)))


class SchemeListView(ListAPIView):
    serializer_class = SchemeSerializer

    def get_queryset(self):
        require_member(self.request.user)
        query = read_query(self.request, SchemeQuerySerializer)
        return schemes_register(
            self.request.user, package=query.get("package"), region=query.get("region") or None,
            partner=query.get("partner") or None, status=query.get("status") or None,
        )

    @extend_schema(summary="Every scheme with its current and initial Responsible Partners (yours first)",
                   parameters=[SchemeQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Optimisation: business cases and minor changes -----------------------------------------------------------


class BusinessCaseListView(ListAPIView):
    serializer_class = BusinessCaseSerializer

    def get_queryset(self):
        require_member(self.request.user)
        query_data = read_query(self.request, BusinessCaseQuerySerializer)
        return business_cases_of(self.request.user, **query_data)

    @extend_schema(parameters=[BusinessCaseQuerySerializer],
                   summary="Optimisation business cases, newest first (paras 90-94, 101)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BusinessCaseDetailView(APIView):
    @extend_schema(responses=BusinessCaseSerializer,
                   summary="An optimisation business case with its changes of Responsible Partner")
    def get(self, request, pk: int):
        require_member(request.user)
        return Response(BusinessCaseSerializer(business_case_for(request.user, pk)).data)


class MinorChangeListView(ListAPIView):
    serializer_class = MinorChangeSerializer

    def get_queryset(self):
        require_member(self.request.user)
        query_data = read_query(self.request, MinorChangeQuerySerializer)
        return minor_changes_of(self.request.user, **query_data)

    @extend_schema(parameters=[MinorChangeQuerySerializer],
                   summary="Minor post-allocation changes with the affected partners' agreement (paras 99-100)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- Membership changes (paras 95-98) -------------------------------------------------------------------------


ERR_NO_SUCH_PARTNER = "No partner {slug!r} of your alliance can be recorded as {kind}."


def _membership_changes(request):
    require_membership_viewer(request.user)
    return membership_changes_of(request.user).prefetch_related(Prefetch(
        "reallocations", queryset=Reallocation.objects.select_related("scheme", "from_partner", "to_partner")))


def _answer(request, change, code: int = status.HTTP_200_OK) -> Response:
    """The change as GET shows it, re-read with its reallocations."""
    return Response(MembershipChangeSerializer(_membership_changes(request).get(pk=change.pk)).data, status=code)


class MembershipChangeListView(ListAPIView):
    serializer_class = MembershipChangeSerializer

    def get_queryset(self):
        return _membership_changes(self.request)

    @extend_schema(summary="The Alliance's membership changes (paras 95-98) with their reallocations")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=MembershipChangeCreateSerializer,
        responses={
            201: MembershipChangeSerializer,
            400: OpenApiResponse(description=(
                "Refused, saying why; nothing recorded: not a partner of the alliance with a lot, already terminated, "
                "no remaining partner to take the work, a termination before the partner joined, a new partner "
                "dated in the future or with no vacancy to fill.")),
            403: OpenApiResponse(description="Neither the SRO nor the Alliance Manager."),
        },
        summary="Record a termination (its reallocation proposed, paras 95-96) or a newly procured partner (para 98)",
    )
    def post(self, request):
        # The wrong role is refused before the body is read, as the pages refuse it before showing the form.
        alliance_id = require_membership_recorder(request.user)
        serializer = MembershipChangeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        termination = data["kind"] == MembershipChangeKind.TERMINATION
        candidates = (termination_candidates(alliance_id) if termination
                      else new_partner_candidates(alliance_id))
        partner = candidates.filter(slug=data["partner"]).first()
        if partner is None:
            raise ValidationError({"partner": [ERR_NO_SUCH_PARTNER.format(
                slug=data["partner"], kind="terminated" if termination else "newly procured")]})
        record = membership_termination_record if termination else membership_new_partner_record
        try:
            change = record(actor=request.user, organisation=partner, effective_on=data["effective_on"],
                            reason=data["reason"])
        except ValidationError as refusal:
            # The service names the partner "organisation" (the pages' field); the API's field is "partner".
            if hasattr(refusal, "error_dict") and "organisation" in refusal.error_dict:
                refusal.error_dict["partner"] = refusal.error_dict.pop("organisation")
            raise
        return _answer(request, change, status.HTTP_201_CREATED)


class MembershipChangeDetailView(RetrieveAPIView):
    serializer_class = MembershipChangeSerializer

    def get_queryset(self):
        return _membership_changes(self.request)  # another alliance's change: 404

    @extend_schema(summary="A membership change with its proposed or applied reallocation")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MembershipChangeApplyView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: MembershipChangeSerializer,
            400: OpenApiResponse(description=(
                "Refused, saying why; nothing reallocated: not a proposed termination, its effective date not "
                "reached yet, or the allocation changed since it was proposed (record it again).")),
            403: OpenApiResponse(description="Not the SRO: applying a reallocation is the client's (paras 19, 96)."),
            404: OpenApiResponse(description="No such membership change in your alliance."),
        },
        summary="Apply a proposed termination's reallocation (the SRO, para 96)",
    )
    def post(self, request, pk: int):
        require_membership_viewer(request.user)
        change = membership_change_for(request.user, pk)  # another alliance's change: 404
        change = membership_change_apply(actor=request.user, change=change)
        return _answer(request, change)


# --- Periodic Instructions (paras 103-107) --------------------------------------------------------------------


def _periodic_instructions(request):
    require_periodic_viewer(request.user)
    return periodic_instructions_of(request.user)


class PeriodicInstructionListView(ListAPIView):
    serializer_class = PeriodicInstructionSerializer

    def get_queryset(self):
        return _periodic_instructions(self.request)

    @extend_schema(summary="The Periodic Instructions for the PMP (paras 103-107)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PeriodicInstructionDetailView(RetrieveAPIView):
    serializer_class = PeriodicInstructionSerializer

    def get_queryset(self):
        return _periodic_instructions(self.request)  # another alliance's: 404

    @extend_schema(summary="A Periodic Instruction with its cost resource profile")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
