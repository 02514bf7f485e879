"""Pages of the client's assurance calendar (paras 22-24). Thin: parse a form, call one service or selector,
render. The calendar is for ``can_view_assurance``; reviews are recorded by ``can_record_assurance``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.views import add_service_errors
from governance import permissions
from governance.forms.assurance import AssuranceCancelForm, AssuranceRecordForm
from governance.models.commitments import AssuranceStatus
from governance.selectors import assurance as assurance_selectors
from governance.services import assurance as assurance_services

# --- The assurance calendar ------------------------------------------------------------------------------


def assurance(request):
    alliance = permissions.require_assurance_viewer(request.user)
    return render(request, "governance/commitments/assurance.html", assurance_selectors.assurance_calendar(alliance.pk) | {
        "can_record": permissions.can_record_assurance(request.user), "today": local_today(),
    })


@require_POST
def assurance_start(request):
    alliance = permissions.require_assurance_recorder(request.user, assurance_services.ERR_ASSURANCE_NOT_RECORDER)
    reviews = assurance_services.assurance_calendar_start(alliance, actor=request.user)
    messages.success(request, f"{len(reviews)} review(s) added to the calendar." if reviews
                     else "Every kind of review already has one due.")
    return redirect("assurance")


def assurance_record(request, pk: int):
    permissions.require_assurance_recorder(request.user, assurance_services.ERR_ASSURANCE_NOT_RECORDER)
    review = assurance_selectors.assurance_review_for(request.user, pk)
    form = AssuranceRecordForm(request.POST or None, initial={"held_on": local_today()})
    cancel_form = AssuranceCancelForm()
    if request.method == "POST" and "cancel" in request.POST:
        cancel_form = AssuranceCancelForm(request.POST)
        form = AssuranceRecordForm(initial={"held_on": local_today()})
        if cancel_form.is_valid():
            try:
                assurance_services.assurance_review_cancel(actor=request.user, review=review, **cancel_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(cancel_form, error)
            else:
                messages.success(request, "The review is cancelled; the next one of its kind is on the calendar.")
                return redirect("assurance")
    elif request.method == "POST" and form.is_valid():
        try:
            assurance_services.assurance_review_record(actor=request.user, review=review, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The review is recorded; the next one of its kind is on the calendar.")
            return redirect("assurance")
    failed = [f for f in (form, cancel_form) if f.errors]
    return render(request, "governance/commitments/assurance_record.html", {
        "review": review, "form": form, "cancel_form": cancel_form, "forms_with_errors": failed,
        "is_due": review.status == AssuranceStatus.DUE,
    }, status=400 if failed else 200)
