"""REST API of key persons under /api/people/ (documented in the OpenAPI schema).

A CV is answered as an attachment with ``X-Content-Type-Options: nosniff`` to those who may read it, 404 to
everyone else; every download is logged.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_support import FastJSONRenderer
from alliance.documents import private_file_response
from people import selectors
from people.permissions import require_member
from people.serializers import (
    KeyPersonRoleSerializer,
    NominationCreateSerializer,
    NominationQuerySerializer,
    NominationSerializer,
)
from people.services import cvs, key_persons

ERR_NOT_MEMBER = "Only members of the Alliance can see its key person roles and nominations."
ERR_UNKNOWN_ROLE = "There is no key person role with that code."


def cv_response(handle, nomination) -> FileResponse:
    """The CV as an attachment, never rendered by the browser."""
    return private_file_response(handle, filename=nomination.cv_name or "cv", content_type=nomination.cv_content_type)


class RoleListView(ListAPIView):
    serializer_class = KeyPersonRoleSerializer
    pagination_class = None
    renderer_classes = [FastJSONRenderer]

    def get_queryset(self):
        require_member(self.request.user, ERR_NOT_MEMBER)
        return selectors.roles_catalogue(self.request.user.organisation.alliance_id)

    @extend_schema(summary="The Alliance key person roles (paras 49, 51) with how each is selected (para 57)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NominationListView(ListAPIView):
    serializer_class = NominationSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        require_member(self.request.user, ERR_NOT_MEMBER)
        query = read_query(self.request, NominationQuerySerializer)
        return selectors.nominations_list(self.request.user, route=query.get("route", ""),
                                          status=query.get("status", ""))

    @extend_schema(summary="The nominations you may see (a partner: its own organisation's only)",
                   parameters=[NominationQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Nominate a person for a key person role with their CV (paras 48-55)",
        request={"multipart/form-data": NominationCreateSerializer},
        responses={201: NominationSerializer, 400: OpenApiResponse(description="Refused, saying why; nothing stored.")},
    )
    def post(self, request, *args, **kwargs):
        require_member(request.user, ERR_NOT_MEMBER)
        form = NominationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        role = selectors.roles_catalogue(request.user.organisation.alliance_id).filter(code=data["role"]).first()
        if role is None:
            raise ValidationError({"role": [ERR_UNKNOWN_ROLE]})
        nomination = key_persons.nomination_submit(
            actor=request.user, role=role, person_name=data["person_name"], statement=data["statement"],
            full_time=data["full_time"], cv=data["cv"], via="api",
        )
        return Response(NominationSerializer(nomination).data, status=201)


class NominationDetailView(APIView):
    @extend_schema(summary="A nomination you may see", responses=NominationSerializer)
    def get(self, request, pk: int):
        require_member(request.user, ERR_NOT_MEMBER)
        return Response(NominationSerializer(selectors.nomination_for(request.user, pk),
                                             context={"request": request}).data)


class NominationCvView(APIView):
    @extend_schema(summary="Download a CV (logged); 404 for anyone who may not read it",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        nomination = selectors.nomination_for(request.user, pk)  # 404 for anyone who may not see it
        return cv_response(cvs.cv_open(actor=request.user, nomination=nomination, via="api"), nomination)
