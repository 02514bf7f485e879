"""Reads of commitments: the Commitment SLA Register and its selections (section 13). Another alliance's record
is 404 (alliance.permissions.own_alliance_id finds none of it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation, OrganisationKind
from alliance.permissions import own_alliance_id
from governance.models.commitments import Commitment, CommitmentSelection

if TYPE_CHECKING:
    from alliance.models import Person



# --- The Commitment SLA Register ------------------------------------------------------------------------


def partners_of(alliance_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER).order_by("name")


def commitment_register(alliance_id: int, *, active_only: bool = False) -> QuerySet[Commitment]:
    """Each commitment with its lead partner, the partners it depends on, its conflicts and its selections."""
    qs = Commitment.objects.filter(alliance_id=alliance_id)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("lead_partner").prefetch_related(
        Prefetch("dependent_partners", queryset=Organisation.objects.order_by("name")),
        Prefetch("conflicts_with", queryset=Commitment.objects.order_by("reference")),
        Prefetch("selections", queryset=CommitmentSelection.objects.select_related("period", "decision")
                 .order_by("period__starts_on", "-selected_at")),
    ).order_by("reference")


def commitment_for(user: Person, pk: int) -> Commitment:
    commitment = Commitment.objects.filter(alliance_id=own_alliance_id(user), pk=pk).select_related("lead_partner").first()
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def commitment_selection_for(user: Person, pk: int) -> CommitmentSelection:
    selection = (
        CommitmentSelection.objects.filter(commitment__alliance_id=own_alliance_id(user), pk=pk)
        .select_related("commitment", "period", "decision").first()
    )
    if selection is None:
        raise Http404("No such selection.")
    return selection


def commitments_selectable(alliance_id: int) -> QuerySet[Commitment]:
    return Commitment.objects.filter(alliance_id=alliance_id, is_active=True).order_by("reference")


def commitment_obligations(alliance_id: int) -> QuerySet[Obligation]:
    """The open commitments clocks: the first selection and the quarterly review (para 227)."""
    return Obligation.objects.filter(
        alliance_id=alliance_id, kind=ObligationKind.COMMITMENTS, status=ObligationStatus.OPEN
    ).order_by("due_date")
