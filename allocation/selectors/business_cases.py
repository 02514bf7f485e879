"""Reads of optimisation business cases (paras 90-94, 101): the lists, a case with its lines, its timeline,
and the choices its form offers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from alliance.models import Organisation
from alliance.permissions import own_alliance_id
from allocation import permissions
from allocation.models import (
    LOTS,
    BusinessCaseChange,
    BusinessCaseStatus,
    OptimisationBusinessCase,
    Scheme,
    SchemeStatus,
)
from allocation.selectors.packages import client_of, lot_partners

if TYPE_CHECKING:
    from alliance.models import Person



def _lines() -> Prefetch:
    return Prefetch("changes", queryset=BusinessCaseChange.objects.select_related(
        "scheme", "current_partner", "proposed_partner").order_by("scheme__code", "lot"))


def business_cases_of(user: Person, *, status: str | None = None) -> QuerySet[OptimisationBusinessCase]:
    if not permissions.can_view_allocation(user):
        return OptimisationBusinessCase.objects.none()
    qs = OptimisationBusinessCase.objects.filter(alliance_id=own_alliance_id(user)).select_related(
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
    withdrawn = first(BusinessCaseStatus.WITHDRAWN)
    closed = status in (BusinessCaseStatus.REJECTED, BusinessCaseStatus.WITHDRAWN)
    return [
        {"label": "Drafted by the Alliance Manager", "paragraph": "paras 91, 101", "state": "done",
         "when": case.raised_at, "note": ""},
        {"label": "Criteria met and submitted to the Board", "paragraph": "para 92",
         "state": _state(submitted is not None, status == BusinessCaseStatus.DRAFT, withdrawn is not None),
         "when": submitted["history_date"] if submitted else None,
         "note": "" if case.criteria_met else "The criteria are not yet marked met."},
        {"label": "Approved by the Alliance Board", "paragraph": "para 92",
         "state": "refused" if rejected_by_board else _state(
             board_done is not None, status == BusinessCaseStatus.WITH_BOARD, closed),
         "when": board_done["history_date"] if board_done else None,
         "note": board_done["history_change_reason"] if board_done else ""},
        {"label": "Approved by the client", "paragraph": "para 92",
         "state": ("done" if status == BusinessCaseStatus.APPROVED else
                   "refused" if case.client_decided_at and status == BusinessCaseStatus.REJECTED else
                   _state(False, status == BusinessCaseStatus.WITH_CLIENT, closed)),
         "when": case.client_decided_at, "note": case.client_reason},
        _case_end(case, withdrawn),
    ]


def _case_end(case: OptimisationBusinessCase, withdrawn: dict | None) -> dict:
    """The last step: the allocation changed, the initial allocation stands (para 93), or the draft withdrawn."""
    status = case.status
    if withdrawn is not None:
        return {"label": "Withdrawn by the Alliance Manager: the allocation is unchanged", "paragraph": "paras 91, 101",
                "state": "done", "when": withdrawn["history_date"], "note": ""}
    return {"label": ("The allocation is changed" if status != BusinessCaseStatus.REJECTED
                      else "Not approved: the initial allocation stands"),
            "paragraph": "para 93" if status == BusinessCaseStatus.REJECTED else "para 92",
            "state": "done" if status in (BusinessCaseStatus.APPROVED, BusinessCaseStatus.REJECTED) else "later",
            "when": case.client_decided_at if status == BusinessCaseStatus.APPROVED else None, "note": ""}


# --- Choices for the forms (a minor change names its scheme from the same list) ---------------------------


def optimisation_schemes(alliance_id: int) -> QuerySet[Scheme]:
    """The schemes a business case or minor change may name: allocated and not cancelled."""
    return Scheme.objects.filter(alliance_id=alliance_id, allocations__isnull=False).exclude(
        status=SchemeStatus.CANCELLED).distinct().order_by("code")


def optimisation_partners(alliance_id: int) -> QuerySet[Organisation]:
    """Every organisation of the alliance (the service checks which may take which lot)."""
    return Organisation.objects.filter(alliance_id=alliance_id).select_related("lot").order_by(
        "kind", "lot__number", "name")


def lot_candidates(alliance_id: int, lot: int) -> list[Organisation]:
    """Who may be Responsible Partner for a lot: its partners taking work; for Lot 1 also the client (para 102).
    The form's choices and the business case's check both read it."""
    partners = lot_partners(alliance_id, lot)
    return [*partners, client_of(alliance_id)] if lot == 1 else partners


def optimisation_candidates(alliance_id: int) -> dict[int, list[Organisation]]:
    """Who may be Responsible Partner, lot by lot (``lot_candidates``)."""
    return {lot: lot_candidates(alliance_id, lot) for lot in LOTS}
