"""Reads of optimisation: business cases, minor changes, their timelines and the Lot 1 allocations
(paras 90-94, 99-102)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from alliance.models import Organisation, OrganisationKind, Role
from alliance.permissions import alliance_id_of, has_role
from allocation import permissions
from allocation.models import (
    BusinessCaseChange,
    BusinessCaseStatus,
    MinorChange,
    MinorChangeStatus,
    OptimisationBusinessCase,
    PartnerAgreement,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.packages import client_of, lot_partners

if TYPE_CHECKING:
    from alliance.models import Person

__all__ = [
    "agreeing_organisation",
    "business_case_for",
    "business_case_history",
    "business_case_lines",
    "business_case_timeline",
    "business_cases_of",
    "lot1_allocations",
    "lot1_takeable_schemes",
    "minor_change_agreements",
    "minor_change_for",
    "minor_change_history",
    "minor_change_timeline",
    "minor_changes_of",
    "optimisation_candidates",
    "optimisation_partners",
    "optimisation_schemes",
    "optimisation_supporters",
]


def _lines() -> Prefetch:
    return Prefetch("changes", queryset=BusinessCaseChange.objects.select_related(
        "scheme", "current_partner", "proposed_partner").order_by("scheme__code", "lot"))


def business_cases_of(user: Person, *, status: str | None = None) -> QuerySet[OptimisationBusinessCase]:
    if not permissions.can_view_allocation(user):
        return OptimisationBusinessCase.objects.none()
    qs = OptimisationBusinessCase.objects.filter(alliance_id=alliance_id_of(user)).select_related(
        "raised_by", "decision").prefetch_related(_lines())
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at", "-pk")


def business_case_for(user: Person, pk: int) -> OptimisationBusinessCase:
    """A case of the user's alliance; another alliance's is not found."""
    case = business_cases_of(user).select_related("client_decided_by").filter(pk=pk).first()
    if case is None:
        raise Http404("No such business case.")
    return case


def business_case_lines(case: OptimisationBusinessCase) -> list[BusinessCaseChange]:
    return list(case.changes.select_related("scheme", "current_partner", "proposed_partner")
                .order_by("scheme__code", "lot"))


def business_case_history(case: OptimisationBusinessCase) -> QuerySet:
    return case.history.select_related("history_user").order_by("history_date", "history_id")


def _state(done: bool, now: bool, skipped: bool = False) -> str:
    return "done" if done else "open" if now else "skipped" if skipped else "later"


def business_case_timeline(case: OptimisationBusinessCase) -> list[dict]:
    """The three conditions of para 92 in order, and where the case stands."""
    status = case.status
    history = list(case.history.order_by("history_date", "history_id").values(
        "status", "history_date", "history_change_reason"))

    def first(*statuses) -> dict | None:
        return next((h for h in history if h["status"] in statuses), None)

    submitted = first(BusinessCaseStatus.WITH_BOARD)
    board_done = first(BusinessCaseStatus.WITH_CLIENT) or (
        first(BusinessCaseStatus.REJECTED) if case.client_decided_at is None else None)
    rejected_by_board = status == BusinessCaseStatus.REJECTED and case.client_decided_at is None
    return [
        {"label": "Drafted by the Alliance Manager", "paragraph": "paras 91, 101", "state": "done",
         "when": case.raised_at, "note": ""},
        {"label": "Criteria met and submitted to the Board", "paragraph": "para 92",
         "state": _state(submitted is not None, status == BusinessCaseStatus.DRAFT),
         "when": submitted["history_date"] if submitted else None,
         "note": "" if case.criteria_met else "The criteria are not yet marked met."},
        {"label": "Approved by the Alliance Board", "paragraph": "para 92",
         "state": "refused" if rejected_by_board else _state(
             board_done is not None, status == BusinessCaseStatus.WITH_BOARD, status == BusinessCaseStatus.REJECTED),
         "when": board_done["history_date"] if board_done else None,
         "note": board_done["history_change_reason"] if board_done else ""},
        {"label": "Approved by the client", "paragraph": "para 92",
         "state": ("done" if status == BusinessCaseStatus.APPROVED else
                   "refused" if case.client_decided_at and status == BusinessCaseStatus.REJECTED else
                   _state(False, status == BusinessCaseStatus.WITH_CLIENT, status == BusinessCaseStatus.REJECTED)),
         "when": case.client_decided_at, "note": case.client_reason},
        {"label": ("The allocation is changed" if status != BusinessCaseStatus.REJECTED
                   else "Not approved: the initial allocation stands"),
         "paragraph": "para 93" if status == BusinessCaseStatus.REJECTED else "para 92",
         "state": "done" if status in (BusinessCaseStatus.APPROVED, BusinessCaseStatus.REJECTED) else "later",
         "when": case.client_decided_at if status == BusinessCaseStatus.APPROVED else None, "note": ""},
    ]


# --- Minor changes ----------------------------------------------------------------------------------------


def minor_changes_of(user: Person, *, status: str | None = None) -> QuerySet[MinorChange]:
    if not permissions.can_view_allocation(user):
        return MinorChange.objects.none()
    qs = MinorChange.objects.filter(alliance_id=alliance_id_of(user)).select_related(
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
    """The affected organisation this person may answer for (its Board representative or delegate), if any.
    The services hold the rule; this tells the page whether to offer the form."""
    if user.organisation_id not in (change.responsible_partner_id, change.supporting_partner_id):
        return None
    if not has_role(user, Role.BOARD_REPRESENTATIVE, Role.DELEGATE, Role.SRO):
        return None
    return user.organisation


def minor_change_history(change: MinorChange) -> QuerySet:
    return change.history.select_related("history_user").order_by("history_date", "history_id")


def minor_change_timeline(change: MinorChange) -> list[dict]:
    answers = minor_change_agreements(change)
    all_agreed = all(a["agreement"] is not None and a["agreement"].agreed for a in answers)
    refused = any(a["agreement"] is not None and not a["agreement"].agreed for a in answers)
    status = change.status
    return [
        {"label": "Raised by the Alliance Manager", "paragraph": "para 99", "state": "done",
         "when": change.raised_at, "note": ""},
        {"label": "The affected partners agree", "paragraph": "para 100",
         "state": "done" if all_agreed else "refused" if refused else "open",
         "when": None, "note": "; ".join(
             f"{a['organisation']}: {'agreed' if a['agreement'].agreed else 'did not agree'}" if a["agreement"]
             else f"{a['organisation']}: not yet" for a in answers)},
        {"label": "Unanimous approval by the Alliance Board", "paragraph": "para 100",
         "state": ("done" if status == MinorChangeStatus.APPROVED else
                   "refused" if status == MinorChangeStatus.REJECTED else
                   "open" if status == MinorChangeStatus.WITH_BOARD else "later"),
         "when": change.decision.closed_at if change.decision_id and change.decision.closed_at else None, "note": ""},
        {"label": "The Board instructs the supporting partner", "paragraph": "para 100",
         "state": "done" if status == MinorChangeStatus.APPROVED else "later", "when": None, "note": ""},
    ]


# --- Choices for the forms and the Lot 1 page ------------------------------------------------------------


def optimisation_schemes(alliance_id: int) -> QuerySet[Scheme]:
    """The schemes a business case or minor change may name: allocated and not cancelled."""
    return Scheme.objects.filter(alliance_id=alliance_id, allocations__isnull=False).exclude(
        status=SchemeStatus.CANCELLED).distinct().order_by("code")


def optimisation_partners(alliance_id: int) -> QuerySet[Organisation]:
    """Every organisation of the alliance (the service checks which may take which lot)."""
    return Organisation.objects.filter(alliance_id=alliance_id).select_related("lot").order_by(
        "kind", "lot__number", "name")


def optimisation_candidates(alliance_id: int) -> dict[int, list[Organisation]]:
    """Who may be Responsible Partner per lot: the lot's partners; for Lot 1 also the client (para 102)."""
    return {1: [*lot_partners(alliance_id, 1), client_of(alliance_id)], 2: lot_partners(alliance_id, 2),
            3: lot_partners(alliance_id, 3)}


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


def optimisation_supporters(alliance_id: int) -> QuerySet[Organisation]:
    """The partners that may support another (para 99: any lot); the service excludes terminated ones."""
    return optimisation_partners(alliance_id).filter(kind=OrganisationKind.PARTNER)
