"""Reads of minor post-allocation changes (paras 99-100): the lists, a change with the affected partners'
answers, its timeline, and the partners that may support another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from alliance.models import Organisation, OrganisationKind
from alliance.permissions import own_alliance_id
from allocation import permissions
from allocation.models import MinorChange, MinorChangeStatus, PartnerAgreement
from allocation.selectors.business_cases import optimisation_partners

if TYPE_CHECKING:
    from alliance.models import Person



def minor_changes_of(user: Person, *, status: str | None = None) -> QuerySet[MinorChange]:
    if not permissions.can_view_allocation(user):
        return MinorChange.objects.none()
    qs = MinorChange.objects.filter(alliance_id=own_alliance_id(user)).select_related(
        "scheme", "responsible_partner", "supporting_partner", "raised_by", "decision",
    ).prefetch_related(Prefetch("agreements", queryset=PartnerAgreement.objects.select_related(
        "organisation", "recorded_by")))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at", "-pk")


def minor_change_for(user: Person, pk: int) -> MinorChange:
    change = minor_changes_of(user).filter(pk=pk).first()
    if change is None:
        raise Http404("No such minor change.")
    return change


def minor_change_agreements(change: MinorChange) -> list[dict]:
    """Each affected partner (para 100) with its recorded answer, or None while it has not answered."""
    answers = {a.organisation_id: a for a in change.agreements.all()}
    return [{"organisation": o, "agreement": answers.get(o.pk)}
            for o in (change.responsible_partner, change.supporting_partner)]


def agreeing_organisation(user: Person, change: MinorChange) -> Organisation | None:
    """The affected organisation this person may answer for, if any: tells the page whether to offer the form.
    The rule is allocation.permissions.can_record_minor_agreement, which the service checks too."""
    return user.organisation if permissions.can_record_minor_agreement(user, change) else None


def minor_change_history(change: MinorChange) -> QuerySet:
    return change.history.select_related("history_user").order_by("history_date", "history_id")


def minor_change_timeline(change: MinorChange) -> list[dict]:
    answers = minor_change_agreements(change)
    all_agreed = all(a["agreement"] is not None and a["agreement"].agreed for a in answers)
    refused = any(a["agreement"] is not None and not a["agreement"].agreed for a in answers)
    status = change.status
    withdrawn = status == MinorChangeStatus.WITHDRAWN
    return [
        {"label": "Raised by the Alliance Manager", "paragraph": "para 99", "state": "done",
         "when": change.raised_at, "note": ""},
        {"label": "The affected partners agree", "paragraph": "para 100",
         "state": "done" if all_agreed else "refused" if refused else "skipped" if withdrawn else "open",
         "when": None, "note": "; ".join(
             f"{a['organisation']}: {'agreed' if a['agreement'].agreed else 'did not agree'}" if a["agreement"]
             else f"{a['organisation']}: not yet" for a in answers)},
        {"label": "Unanimous approval by the Alliance Board", "paragraph": "para 100",
         "state": ("done" if status == MinorChangeStatus.APPROVED else
                   "refused" if status == MinorChangeStatus.REJECTED else
                   "open" if status == MinorChangeStatus.WITH_BOARD else "skipped" if withdrawn else "later"),
         "when": change.decision.closed_at if change.decision is not None and change.decision.closed_at else None, "note": ""},
        {"label": ("Withdrawn by the Alliance Manager: no support is instructed" if withdrawn
                   else "The Board instructs the supporting partner"), "paragraph": "para 100",
         "state": "done" if status in (MinorChangeStatus.APPROVED, MinorChangeStatus.WITHDRAWN) else "later",
         "when": None, "note": ""},
    ]


def optimisation_supporters(alliance_id: int) -> QuerySet[Organisation]:
    """The partners that may support another (para 99: any lot); the service excludes terminated ones."""
    return optimisation_partners(alliance_id).filter(kind=OrganisationKind.PARTNER)
