"""Reads of the client taking Lot 1 elements (para 102): every scheme's Lot 1 Responsible Partner and the
schemes the client could still take."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from allocation.models import Scheme, SchemeAllocation, SchemeStatus
from allocation.selectors.packages import client_of


def lot1_allocations(alliance_id: int) -> QuerySet[SchemeAllocation]:
    """Every scheme's Lot 1 Responsible Partner (not the cancelled ones), with the initial one."""
    return SchemeAllocation.objects.filter(scheme__alliance_id=alliance_id, lot=1).exclude(
        scheme__status=SchemeStatus.CANCELLED).select_related(
        "scheme__package", "initial_partner", "current_partner").order_by("scheme__code")


def lot1_takeable_schemes(alliance_id: int) -> QuerySet[Scheme]:
    """The schemes whose Lot 1 work the client could still take: allocated, not cancelled, not the client's."""
    takeable = SchemeAllocation.objects.filter(scheme_id=OuterRef("pk"), lot=1).exclude(
        current_partner=client_of(alliance_id))
    return Scheme.objects.filter(Exists(takeable), alliance_id=alliance_id).exclude(
        status=SchemeStatus.CANCELLED).order_by("code")
