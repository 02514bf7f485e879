"""Reads of membership changes (paras 95-98): the register, a change with its proposed reallocation and each
lot's shares before and after it, and the partners a change may name."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.http import Http404

from alliance.models import Obligation, ObligationKind, Organisation, OrganisationKind
from alliance.permissions import own_alliance_id
from allocation import permissions
from allocation.models import (
    MembershipChange,
    MembershipChangeKind,
    MembershipChangeStatus,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.packages import (
    lot_value_field,
    terminated_partner_ids,
    tolerance_band,
    tolerance_base_date,
)

if TYPE_CHECKING:
    from alliance.models import Person



def membership_changes_of(user: Person) -> QuerySet[MembershipChange]:
    """Every membership change of the user's alliance, newest first; nothing for someone outside one."""
    if not permissions.can_view_allocation(user):
        return MembershipChange.objects.none()
    return (MembershipChange.objects.filter(alliance_id=own_alliance_id(user))
            .select_related("organisation", "organisation__lot", "recorded_by", "applied_by")
            .annotate(reallocation_count=Count("reallocations")).order_by("-effective_on", "-pk"))


def membership_change_for(user: Person, pk: int) -> MembershipChange:
    change = membership_changes_of(user).filter(pk=pk).first()
    if change is None:
        raise Http404("No such membership change.")
    return change


def membership_reallocations(change: MembershipChange) -> QuerySet:
    return change.reallocations.select_related("scheme", "scheme__region", "scheme__package", "from_partner",
                                               "to_partner").order_by("lot", "scheme__code")


def membership_change_history(change: MembershipChange) -> QuerySet:
    return change.history.select_related("history_user").order_by("-history_date")


def membership_lot_shares(change: MembershipChange) -> list[dict]:
    """Per lot of the reallocation (Lots 2 and 3), each partner's value and share before and after it.

    What counts is what the proposal was balanced on (allocation.services.membership): the reallocated schemes
    (before with the terminated partner, after with their new partner) and the receiving partners' current
    allocations of awarded schemes in the tolerance base.
    """
    rows = list(membership_reallocations(change))
    by_lot: dict[int, list] = defaultdict(list)
    for r in rows:
        if r.lot in (2, 3):
            by_lot[r.lot].append(r)
    base = tolerance_base_date(change.alliance_id)
    result = []
    for lot, reallocations in sorted(by_lot.items()):
        field = lot_value_field(lot)
        receivers = {r.to_partner_id: r.to_partner for r in reallocations}
        partners = {change.organisation_id: change.organisation, **receivers}
        before = dict.fromkeys(partners, Decimal(0))
        after = dict.fromkeys(partners, Decimal(0))
        moving = {r.scheme_id for r in reallocations}
        others = SchemeAllocation.objects.filter(
            scheme__alliance_id=change.alliance_id, scheme__status=SchemeStatus.AWARDED, lot=lot,
            current_partner_id__in=receivers,
        ).exclude(scheme_id__in=moving).select_related("scheme")
        if base is not None:
            others = others.filter(scheme__package__notified_on__gte=base)
        for a in others:
            value = getattr(a.scheme, field)
            before[a.current_partner_id] += value
            after[a.current_partner_id] += value
        for r in reallocations:
            value = getattr(r.scheme, field)
            before[r.from_partner_id] += value
            after[r.to_partner_id] += value
        total = sum(before.values(), Decimal(0))
        lower, upper = tolerance_band(lot, len(receivers))
        shares = [{
            "partner": p, "terminated": p.pk == change.organisation_id,
            "value_before": before[p.pk], "value_after": after[p.pk],
            "share_before": before[p.pk] / total if total else None,
            "share_after": after[p.pk] / total if total else None,
            "percent_before": _percent(before[p.pk], total), "percent_after": _percent(after[p.pk], total),
        } for p in partners.values()]
        within = all(s["share_after"] is None or lower <= s["share_after"] <= upper
                     for s in shares if not s["terminated"])
        result.append({"lot": lot, "total": total, "lower": lower, "upper": upper, "shares": shares,
                       "within": within, "balanced": len(receivers) > 1})
    return result


def _percent(value: Decimal, total: Decimal) -> Decimal | None:
    return (value * 100 / total).quantize(Decimal("0.1")) if total else None


def termination_candidates(alliance_id: int) -> QuerySet[Organisation]:
    """The partners that may be terminated: those of the alliance not already terminated."""
    return (Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER, lot__isnull=False)
            .exclude(pk__in=terminated_partner_ids(alliance_id)).select_related("lot")
            .order_by("lot__number", "name"))


def new_partner_candidates(alliance_id: int) -> QuerySet[Organisation]:
    """Partners with a lot not terminated and not yet recorded as newly procured (the administrator created
    the new one beforehand); the service checks it fills a vacancy."""
    recorded = MembershipChange.objects.filter(alliance_id=alliance_id, kind=MembershipChangeKind.NEW_PARTNER,
                                               status=MembershipChangeStatus.APPLIED).values("organisation_id")
    return termination_candidates(alliance_id).exclude(pk__in=recorded)


def transition_plan_obligation(alliance_id: int) -> Obligation | None:
    return Obligation.objects.filter(alliance_id=alliance_id, kind=ObligationKind.TRANSITION_PLAN).order_by(
        "pk").first()
