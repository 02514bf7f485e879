"""Pages of Periodic Instructions for the PMP (paras 103-107).

Thin: parse a form, call one service or selector, render. Everyone in the alliance reads; the services decide
who may write (the SRO requests and issues, the Alliance Manager attaches the profile and tables it).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors, record_step
from allocation import permissions
from allocation.forms import (
    PeriodicFilterForm,
    PeriodicProfileForm,
    PeriodicRequestForm,
    PeriodicTableForm,
)
from allocation.models import PeriodicInstructionStatus
from allocation.selectors.periodic import (
    periodic_instruction_for,
    periodic_instruction_history,
    periodic_instruction_obligations,
    periodic_instructions_of,
)
from allocation.services import periodic as services
from governance.tabling import BOARD_CLOSING_HOUR

PAGE_SIZE = 50


def register(request):
    permissions.require_periodic_viewer(request.user)
    form = PeriodicFilterForm(request.GET or None)
    page = Paginator(periodic_instructions_of(request.user, **form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "allocation/periodic/list.html", {
        "form": form, "page": page, "can_request": permissions.can_request_periodic_instruction(request.user),
    })


def request_new(request):
    permissions.require_periodic_viewer(request.user)
    if not permissions.can_request_periodic_instruction(request.user):
        raise PermissionDenied(services.ERR_PERIODIC_NOT_SRO)
    form = PeriodicRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instruction = services.periodic_instruction_request(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"The Alliance Manager is asked for the cost resource profile, due in "
                                      f"{services.PERIODIC_PROFILE_DUE_DAYS} days.")
            return redirect("periodic-instruction", pk=instruction.pk)
    return render(request, "allocation/periodic/request.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, instruction, **forms) -> dict:
    user = request.user
    status = instruction.status
    prepare = permissions.can_prepare_periodic_instruction(user) and status == PeriodicInstructionStatus.REQUESTED
    return {
        "instruction": instruction,
        "obligations": periodic_instruction_obligations(instruction),
        "history": periodic_instruction_history(instruction),
        "today": local_today(),
        "profile_form": (forms.get("profile_form") or PeriodicProfileForm()) if prepare else None,
        "table_form": (forms.get("table_form") or PeriodicTableForm()) if (
            prepare and instruction.profile_total is not None) else None,
        "can_issue": permissions.can_issue_periodic_instruction(user) and status == PeriodicInstructionStatus.AGREED,
    }


def detail(request, pk: int):
    permissions.require_periodic_viewer(request.user)
    instruction = periodic_instruction_for(request.user, pk)
    return render(request, "allocation/periodic/detail.html", _detail_context(request, instruction))


# One step from the Periodic Instruction's page: _step_post(request, pk, form_class, context_key, call).
_step_post = partial(record_step, load=periodic_instruction_for, context=_detail_context,
                     template="allocation/periodic/detail.html", url_name="periodic-instruction",
                     guard=permissions.require_periodic_viewer)


@require_POST
def profile(request, pk: int):
    def call(instruction, data):
        services.periodic_profile_attach(actor=request.user, instruction=instruction, summary=data["summary"],
                                         total=data["total"], document=data["document"])
        return "The cost resource profile is attached."

    return _step_post(request, pk, PeriodicProfileForm, "profile_form", call)


@require_POST
def table(request, pk: int):
    def call(instruction, data):
        closes_at = None
        if data["closes_on"]:
            closes_at = timezone.make_aware(dt.datetime.combine(data["closes_on"], dt.time(
                BOARD_CLOSING_HOUR)))
        services.periodic_instruction_table(actor=request.user, instruction=instruction, closes_at=closes_at)
        return "The Periodic Instruction is tabled for the Board's unanimous agreement (para 107)."

    return _step_post(request, pk, PeriodicTableForm, "table_form", call)


@require_POST
def issue(request, pk: int):
    permissions.require_periodic_viewer(request.user)
    instruction = periodic_instruction_for(request.user, pk)
    try:
        services.periodic_instruction_issue(actor=request.user, instruction=instruction)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The Periodic Instruction is issued (para 107).")
    return redirect("periodic-instruction", pk=pk)
