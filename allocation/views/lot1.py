"""The page of the client taking Lot 1 elements (para 102). Thin: parse the form, call the service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from alliance.views import add_service_errors
from allocation import permissions
from allocation.forms import Lot1ClientForm
from allocation.selectors.lot1 import lot1_allocations, lot1_takeable_schemes
from allocation.selectors.packages import client_of
from allocation.services import lot1 as services


def lot1_client(request):
    """Every scheme's Lot 1 Responsible Partner; the SRO instructs that the client takes some (para 102)."""
    alliance_id = permissions.require_member(request.user)
    is_client = permissions.is_client_decider(request.user)
    if request.method == "POST" and not is_client:
        raise PermissionDenied(services.ERR_LOT1_NOT_CLIENT)
    allocations = lot1_allocations(alliance_id)
    client = client_of(alliance_id)
    form = Lot1ClientForm(request.POST or None, schemes=lot1_takeable_schemes(alliance_id)) if is_client else None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.lot1_client_take(actor=request.user, schemes=form.cleaned_data["schemes"],
                                                reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The client is now the Responsible Partner for Lot 1 of {len(changed)} "
                                      f"scheme{'s' if len(changed) != 1 else ''} (para 102).")
            return redirect("lot1-client")
    return render(request, "allocation/optimisation/lot1.html", {
        "allocations": allocations, "client": client, "form": form,
    }, status=400 if form is not None and form.errors else 200)
