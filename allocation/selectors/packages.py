"""Reads of allocation: who takes each lot's work where, what counts towards tolerance, and the registers.

The partners of a lot and the route from a region to a partner follow the applied membership changes
(paras 95-98): a terminated partner takes no new work; with one on-site partner gone, the two remaining
split Lot 3 by Lot 2's North/South regions (para 96); a newly procured partner restores the original
regions and resets the tolerance base (para 98).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum, Value, When
from django.http import Http404

from alliance.models import Area, Organisation, OrganisationKind, Region
from alliance.permissions import own_alliance_id
from allocation import permissions
from allocation.models import (
    AllocationRun,
    MembershipChange,
    MembershipChangeKind,
    MembershipChangeStatus,
    Package,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
)

if TYPE_CHECKING:
    from alliance.models import Person


AREA_ORDER: dict[str, int] = {Area.NORTH: 0, Area.MIDLANDS: 1, Area.SOUTH: 2}
# Tolerance bands (para 87): Lot 2 40-60%, Lot 3 25-40%; two remaining on-site partners 40-60% (para 96).
DESIGN_BAND = (Decimal("0.40"), Decimal("0.60"))
ON_SITE_BAND = (Decimal("0.25"), Decimal("0.40"))


def tolerance_band(lot: int, partner_count: int) -> tuple[Decimal, Decimal]:
    if lot == 3 and partner_count >= 3:
        return ON_SITE_BAND
    return DESIGN_BAND


def lot_value_field(lot: int) -> str:
    """The value a lot's tolerance counts: the design element for Lot 2, the construction element for Lot 3."""
    return "design_value" if lot == 2 else "construction_value"


def terminated_partner_ids(alliance_id: int) -> set[int]:
    return set(MembershipChange.objects.filter(
        alliance_id=alliance_id, kind=MembershipChangeKind.TERMINATION, status=MembershipChangeStatus.APPLIED,
    ).values_list("organisation_id", flat=True))


def lot_partners(alliance_id: int, lot: int, *, terminated: set[int] | None = None) -> list[Organisation]:
    """The partners of a lot that take work, North first (the order ties are broken in)."""
    terminated = terminated_partner_ids(alliance_id) if terminated is None else terminated
    partners = Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER, lot__number=lot)
    return sorted((p for p in partners if p.pk not in terminated), key=lambda p: (AREA_ORDER.get(p.area, 9), p.name))


def client_of(alliance_id: int) -> Organisation:
    return Organisation.objects.get(alliance_id=alliance_id, kind=OrganisationKind.CLIENT)


@dataclass(frozen=True)
class Routing:
    """Where each lot's work on a scheme goes by default (para 86), given the partners taking work now."""

    lot1: Organisation  # the PMP, or the client when there is none (para 96)
    lot2: list[Organisation]
    lot3: list[Organisation]

    def partner_for(self, lot: int, region: Region) -> Organisation:
        if lot == 1:
            return self.lot1
        partners = self.lot2 if lot == 2 else self.lot3
        if len(partners) == 1:
            return partners[0]
        by_area = {p.area: p for p in partners}
        if lot == 3 and {Area.NORTH, Area.MIDLANDS, Area.SOUTH} <= by_area.keys():
            return by_area[region.lot3_area]
        if lot == 2 and region.lot2_area in by_area:
            return by_area[region.lot2_area]
        # Two on-site partners remain: Lot 2's North/South split; the more northern takes North (para 96).
        northern, southern = partners[0], partners[-1]
        return northern if region.lot2_area == Area.NORTH else southern


def routing(alliance_id: int) -> Routing:
    terminated = terminated_partner_ids(alliance_id)
    pmp = lot_partners(alliance_id, 1, terminated=terminated)
    return Routing(
        lot1=pmp[0] if pmp else client_of(alliance_id),
        lot2=lot_partners(alliance_id, 2, terminated=terminated),
        lot3=lot_partners(alliance_id, 3, terminated=terminated),
    )


def tolerance_base_date(alliance_id: int) -> dt.date | None:
    """Packages notified before the last newly procured partner no longer count (para 98)."""
    change = MembershipChange.objects.filter(
        alliance_id=alliance_id, kind=MembershipChangeKind.NEW_PARTNER, status=MembershipChangeStatus.APPLIED,
    ).order_by("-effective_on", "-pk").first()
    return change.effective_on if change else None


def awarded_allocations(alliance_id: int, lot: int, *, exclude_package: Package | None = None) -> QuerySet:
    """The awarded schemes' allocations of a lot that count towards tolerance, with their INITIAL partner
    (para 87, last bullet: future allocations use the initial proportions, not the optimised ones)."""
    qs = SchemeAllocation.objects.filter(
        scheme__alliance_id=alliance_id, scheme__status=SchemeStatus.AWARDED, lot=lot,
    ).select_related("scheme")
    base = tolerance_base_date(alliance_id)
    if base is not None:
        qs = qs.filter(scheme__package__notified_on__gte=base)
    if exclude_package is not None:
        qs = qs.exclude(scheme__package=exclude_package)
    return qs


# --- Registers and pages -----------------------------------------------------------------------------------


def packages_of(user: Person) -> QuerySet[Package]:
    if not permissions.can_view_allocation(user):
        return Package.objects.none()
    return Package.objects.filter(alliance_id=own_alliance_id(user))


def package_for(user: Person, pk: int) -> Package:
    package = packages_of(user).filter(pk=pk).first()
    if package is None:
        raise Http404("No such package.")
    return package


def package_schemes(package: Package) -> QuerySet[Scheme]:
    return package.schemes.select_related("region").prefetch_related(
        Prefetch("allocations", queryset=SchemeAllocation.objects.select_related("initial_partner", "current_partner")),
    ).order_by("code")


def scheme_for(user: Person, pk: int) -> Scheme:
    """A scheme of the user's alliance, else 404."""
    scheme = Scheme.objects.filter(alliance_id=own_alliance_id(user), pk=pk).first()
    if scheme is None or not permissions.can_view_allocation(user):
        raise Http404("No such scheme.")
    return scheme


def scheme_filter_choices(alliance_id: int) -> dict:
    """What the schemes register can be filtered by: the alliance's regions and organisations."""
    return {"regions": Region.objects.filter(alliance_id=alliance_id),
            "partners": Organisation.objects.filter(alliance_id=alliance_id)}


def run_for(user: Person, pk: int) -> AllocationRun:
    run = AllocationRun.objects.select_related("package", "run_by").filter(
        package__alliance_id=own_alliance_id(user), pk=pk).first()
    if run is None or not permissions.can_view_allocation(user):
        raise Http404("No such allocation run.")
    return run


def run_moves(run: AllocationRun) -> QuerySet:
    return run.moves.select_related("scheme", "from_partner", "to_partner").order_by("order")


def schemes_register(user: Person, *, package: int | None = None, region: str | None = None,
                     partner: str | None = None, status: str | None = None, search: str | None = None) -> QuerySet:
    """Every scheme of the alliance with its initial and current Responsible Partner per lot; a partner's
    own schemes (those it is currently responsible for in any lot) first."""
    if not permissions.can_view_allocation(user):
        return Scheme.objects.none()
    qs = Scheme.objects.filter(alliance_id=own_alliance_id(user)).select_related("package", "region").prefetch_related(
        Prefetch("allocations", queryset=SchemeAllocation.objects.select_related("initial_partner", "current_partner")
                 .order_by("lot")),
    )
    if package:
        qs = qs.filter(package_id=package)
    if region:
        qs = qs.filter(region__slug=region)
    if partner:
        qs = qs.filter(allocations__current_partner__slug=partner).distinct()
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id:
        mine = SchemeAllocation.objects.filter(scheme_id=OuterRef("pk"), current_partner_id=organisation_id)
        qs = qs.annotate(is_mine=Case(When(Exists(mine), then=Value(0)), default=Value(1), output_field=IntegerField()))
        return qs.order_by("is_mine", "package__notified_on", "code")
    return qs.order_by("package__notified_on", "code")


def lot_positions(alliance_id: int) -> list[dict]:
    """Each lot's partners with their value and share of the awarded schemes that count towards tolerance
    (initial Responsible Partners) and of all current work: the lots' standing between packages."""
    route = routing(alliance_id)
    rows = []
    for lot, partners in ((2, route.lot2), (3, route.lot3)):
        field = lot_value_field(lot)
        values = dict.fromkeys((p.pk for p in partners), Decimal(0))
        sums = awarded_allocations(alliance_id, lot).order_by().values("initial_partner_id").annotate(
            total=Sum(f"scheme__{field}"))
        for row in sums:
            if row["initial_partner_id"] in values:
                values[row["initial_partner_id"]] = row["total"] or Decimal(0)
        total = sum(values.values(), Decimal(0))
        lower, upper = tolerance_band(lot, len(partners))
        rows.append({
            "lot": lot, "lower": lower, "upper": upper, "total": total,
            "shares": [{"partner": p, "value": values[p.pk], "share": (values[p.pk] / total) if total else None}
                       for p in partners],
        })
    return rows
