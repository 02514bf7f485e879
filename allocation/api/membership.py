"""REST API of membership changes under /api/allocation/ (paras 95-98): read them, record a termination or a
newly procured partner, and apply a termination's reallocation: the same services, and so the same rules and
refusals, as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.permissions import alliance_id_of
from allocation import permissions
from allocation.models import MembershipChangeKind, Reallocation
from allocation.selectors import membership as selectors
from allocation.serializers.membership import MembershipChangeCreateSerializer, MembershipChangeSerializer
from allocation.services import membership as services

ERR_NO_SUCH_PARTNER = "No partner {slug!r} of your alliance can be recorded as {kind}."


def _queryset(request):
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the Alliance can see its membership changes.")
    return selectors.membership_changes_of(request.user).prefetch_related(Prefetch(
        "reallocations", queryset=Reallocation.objects.select_related("scheme", "from_partner", "to_partner")))


def _answer(request, change, code: int = status.HTTP_200_OK) -> Response:
    """The change as GET shows it, re-read with its reallocations."""
    return Response(MembershipChangeSerializer(_queryset(request).get(pk=change.pk)).data, status=code)


class MembershipChangeListView(ListAPIView):
    serializer_class = MembershipChangeSerializer

    def get_queryset(self):
        return _queryset(self.request)

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
        _queryset(request)
        # The wrong role is refused before the body is read, as the pages refuse it before showing the form.
        if not permissions.can_record_membership_change(request.user):
            raise PermissionDenied(services.ERR_MEMBERSHIP_NOT_RECORDER)
        serializer = MembershipChangeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        alliance_id = alliance_id_of(request.user) or 0
        termination = data["kind"] == MembershipChangeKind.TERMINATION
        candidates = (selectors.termination_candidates(alliance_id) if termination
                      else selectors.new_partner_candidates(alliance_id))
        partner = candidates.filter(slug=data["partner"]).first()
        if partner is None:
            raise ValidationError({"partner": [ERR_NO_SUCH_PARTNER.format(
                slug=data["partner"], kind="terminated" if termination else "newly procured")]})
        record = services.membership_termination_record if termination else services.membership_new_partner_record
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
        return _queryset(self.request)  # another alliance's change: 404

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
        _queryset(request)
        change = selectors.membership_change_for(request.user, pk)  # another alliance's change: 404
        change = services.membership_change_apply(actor=request.user, change=change)
        return _answer(request, change)
