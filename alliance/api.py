"""REST API of the core (/api/): who am I, What's due, obligations, notifications. Thin views."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance import permissions, selectors, services
from alliance.api_filters import read_query
from alliance.dates import local_today
from alliance.serializers import (
    MeSerializer,
    NotificationQuerySerializer,
    NotificationSerializer,
    ObligationCancelSerializer,
    ObligationCreateSerializer,
    ObligationMeetSerializer,
    ObligationRedateSerializer,
    ObligationSerializer,
    WhatsDueQuerySerializer,
)


def _member_alliance(user):
    if permissions.alliance_id_of(user) is None:
        raise PermissionDenied("You do not belong to an organisation of an alliance.")
    return user.organisation.alliance


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="Who I am: organisation and roles")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class ObligationListView(ListAPIView):
    """What's due: the open obligations that concern me, overdue first."""

    serializer_class = ObligationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": local_today()}

    def get_queryset(self):
        data = read_query(self.request, WhatsDueQuerySerializer)
        return selectors.whats_due(
            self.request.user,
            kind=data.get("kind"),
            due_before=data.get("due_before"),
            due_after=data.get("due_after"),
            overdue_on=local_today() if data.get("overdue") else None,
        )

    @extend_schema(parameters=[WhatsDueQuerySerializer], summary="What's due (open obligations, overdue first)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ObligationCreateSerializer, responses={201: ObligationSerializer},
                   summary="Add an obligation by hand (Alliance Manager or SRO)")
    def post(self, request):
        alliance = _member_alliance(request.user)
        serializer = ObligationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obligation = services.obligation_add(actor=request.user, alliance=alliance, **serializer.validated_data)
        return Response(
            ObligationSerializer(obligation, context={"today": local_today()}).data, status=status.HTTP_201_CREATED
        )


class ObligationDetailView(APIView):
    @extend_schema(responses=ObligationSerializer, summary="One obligation")
    def get(self, request, pk: int):
        obligation = selectors.obligation_for(request.user, pk)
        return Response(ObligationSerializer(obligation, context={"today": local_today()}).data)


class _ObligationActionView(APIView):
    input_serializer: type
    service = None

    def post(self, request, pk: int):
        obligation = selectors.obligation_for(request.user, pk)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obligation = type(self).service(actor=request.user, obligation=obligation, **serializer.validated_data)
        return Response(ObligationSerializer(obligation, context={"today": local_today()}).data)


@extend_schema(request=ObligationMeetSerializer, responses=ObligationSerializer, summary="Mark met")
class ObligationMeetView(_ObligationActionView):
    input_serializer = ObligationMeetSerializer
    service = staticmethod(services.obligation_meet)


@extend_schema(request=ObligationCancelSerializer, responses=ObligationSerializer, summary="Cancel (with a reason)")
class ObligationCancelView(_ObligationActionView):
    input_serializer = ObligationCancelSerializer
    service = staticmethod(services.obligation_cancel)


@extend_schema(request=ObligationRedateSerializer, responses=ObligationSerializer, summary="Re-date (with a reason)")
class ObligationRedateView(_ObligationActionView):
    input_serializer = ObligationRedateSerializer
    service = staticmethod(services.obligation_redate)


class NotificationListView(ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):
        if read_query(self.request, NotificationQuerySerializer)["unread"]:
            return selectors.unread_notifications(self.request.user)
        return selectors.notifications_for(self.request.user)

    @extend_schema(parameters=[NotificationQuerySerializer], summary="My notifications, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one notification read")
    def post(self, request, pk: int):
        notification = selectors.notification_for(request.user, pk)
        services.notification_mark_read(actor=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)
