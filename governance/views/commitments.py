"""Pages of commitments: the Commitment SLA Register, selection (Table 8) and the quarterly review. Thin: parse
a form, call one service or selector, render. Every member of the alliance reads the register; the Alliance
Manager writes it. ``_status`` is shared with performance_table.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.dates import local_today
from alliance.views import add_service_errors
from governance import permissions
from governance.forms.commitments import (
    CommitmentDeselectForm,
    CommitmentForm,
    CommitmentReviewForm,
    CommitmentSelectForm,
)
from governance.selectors import commitments as commitments_selectors
from governance.services import commitments as commitments_services


def _status(form) -> int:
    return 400 if form.errors else 200


# --- The Commitment SLA Register ------------------------------------------------------------------------


def commitments(request, review_form=None):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_COMMITMENTS_PAGES)
    is_manager = permissions.is_alliance_manager(request.user)
    return render(request, "governance/commitments/register.html", {
        "commitments": commitments_selectors.commitment_register(alliance.pk),
        "obligations": commitments_selectors.commitment_obligations(alliance.pk),
        "is_manager": is_manager,
        "can_view_board": permissions.can_view_board(request.user),
        "review_form": review_form or (CommitmentReviewForm() if is_manager else None),
        "today": local_today(),
    }, status=_status(review_form) if review_form else 200)


def commitments_csv(request):
    alliance = permissions.require_alliance_member(request.user, permissions.ERR_COMMITMENTS_PAGES)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="commitment-sla-register.csv"'
    writer = csv_writer(response)
    writer.writerow(["reference", "title", "lead partner", "depends on", "conflicts with", "in the register",
                     "selections"])
    for c in commitments_selectors.commitment_register(alliance.pk):
        writer.writerow([
            c.reference, c.title, c.lead_partner.name, "; ".join(o.name for o in c.dependent_partners.all()),
            "; ".join(x.reference for x in c.conflicts_with.all()), "yes" if c.is_active else "no",
            "; ".join(f"{s.period.name}: {s.get_status_display()}" for s in c.selections.all()),
        ])
    return response


@require_POST
def commitments_review(request):
    alliance = permissions.require_alliance_manager(
        request.user, commitments_services.ERR_COMMITMENT_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    form = CommitmentReviewForm(request.POST)
    if form.is_valid():
        try:
            obligation = commitments_services.commitments_review_record(
                actor=request.user, alliance=alliance, on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The quarterly review is recorded. The next is due {obligation.due_date:%-d %b %Y}.")
            return redirect("commitments")
    return commitments(request, review_form=form)


def commitment_edit(request, pk: int | None = None):
    alliance = permissions.require_alliance_manager(
        request.user, commitments_services.ERR_COMMITMENT_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    commitment = commitments_selectors.commitment_for(request.user, pk) if pk else None
    initial = None
    if commitment is not None:
        initial = {"reference": commitment.reference, "title": commitment.title, "description": commitment.description,
                   "lead_partner": commitment.lead_partner, "dependent_partners": list(commitment.dependent_partners.all()),
                   "conflicts_with": list(commitment.conflicts_with.all()), "is_active": commitment.is_active}
    form = CommitmentForm(request.POST or None, initial=initial, alliance_id=alliance.pk,
                          exclude_pk=commitment.pk if commitment else None)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = commitments_services.commitment_save(actor=request.user, alliance=alliance, commitment=commitment,
                                                  **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{commitment.reference} is saved in the Commitment SLA Register.")
            return redirect("commitments")
    history = commitment.history.select_related("history_user").order_by("-history_date")[:50] if commitment else []
    return render(request, "governance/commitments/commitment_form.html",
                  {"form": form, "commitment": commitment, "history": history}, status=_status(form))


def commitment_select(request, pk: int):
    alliance = permissions.require_alliance_manager(
        request.user, commitments_services.ERR_COMMITMENT_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    commitment = commitments_selectors.commitment_for(request.user, pk)
    form = CommitmentSelectForm(request.POST or None, alliance_id=alliance.pk)
    if request.method == "POST" and form.is_valid():
        try:
            selection = commitments_services.commitment_select(actor=request.user, commitment=commitment,
                                                   period=form.cleaned_data["period"], reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if selection.decision_id:
                messages.success(request, f"{commitment.reference} needs the Board's approval (Table 8): a decision is "
                                          "tabled, majority with client veto.")
            else:
                messages.success(request, f"{commitment.reference} is selected for {selection.period.name}: "
                                          "no approval is needed (Table 8).")
            return redirect("commitments")
    return render(request, "governance/commitments/commitment_select.html", {
        "form": form, "commitment": commitment,
        "dependants": commitment.dependent_partners.order_by("name"),
        "conflicts": commitment.conflicts_with.order_by("reference"),
    }, status=_status(form))


def commitment_deselect(request, pk: int):
    permissions.require_alliance_manager(
        request.user, commitments_services.ERR_COMMITMENT_NOT_MANAGER, member_message=permissions.ERR_COMMITMENTS_PAGES)
    selection = commitments_selectors.commitment_selection_for(request.user, pk)
    form = CommitmentDeselectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            commitments_services.commitment_deselect(actor=request.user, selection=selection, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{selection.commitment.reference} is deselected for {selection.period.name}.")
            return redirect("commitments")
    return render(request, "governance/commitments/commitment_deselect.html",
                  {"form": form, "selection": selection}, status=_status(form))
