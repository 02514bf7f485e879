"""HTML pages of the core. Thin: parse a form, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from alliance import ical, permissions, selectors, services
from alliance.dates import local_today
from alliance.forms import (
    ObligationAddForm,
    ObligationCancelForm,
    ObligationMeetForm,
    ObligationRedateForm,
    WhatsDueFilterForm,
)
from alliance.portal_registry import may_open

WHATS_DUE_PAGE_SIZE = 50


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def record_step(request, pk: int, form_class, key: str, call, *, load, context, template: str, url_name: str,
                guard=None):
    """Take one step of a workflow from its record's page: validate the step's form, call its service; on
    refusal show the record's page again, status 400, with the form in error. Who may see the page is checked
    first: by ``guard(user)`` when given (an app's ``require_*`` permission, which raises PermissionDenied),
    else by the caller. ``load(user, pk)`` reads the record (404 for another alliance's), ``context(request,
    record, **forms)`` builds its page, ``call(record, cleaned_data)`` takes the step and returns the message to
    show."""
    if guard is not None:
        guard(request.user)
    record = load(request.user, pk)
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            message = call(record, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect(url_name, pk=pk)
    record = load(request.user, pk)
    page = context(request, record, **{key: form})
    page[key] = form  # shown even if the record moved on meanwhile, so the error is seen
    page["errors_form"] = form
    return render(request, template, page, status=400)


def _member_alliance_id(user) -> int:
    alliance_id = permissions.alliance_id_of(user)
    if alliance_id is None:
        raise PermissionDenied("You do not belong to an organisation of an alliance.")
    return alliance_id


def whats_due(request):
    today = local_today()
    form = WhatsDueFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        filters["kind"] = form.cleaned_data["kind"] or None
        if form.cleaned_data["overdue"]:
            filters["overdue_on"] = today
    page = Paginator(selectors.whats_due(request.user, **filters), WHATS_DUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "today": today,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "scope": "the whole alliance" if permissions.sees_whole_alliance(request.user) else "you and your organisation",
        "can_manage_obligations": permissions.can_manage_obligations(request.user),
    }
    return render(request, "alliance/whats_due.html", context)


def obligation_detail(request, pk: int, forms: dict | None = None):
    obligation = selectors.obligation_for(request.user, pk)
    can_manage = permissions.can_manage_obligation(request.user, obligation)
    forms = forms or {}
    subject = obligation.subject if obligation.subject_type_id else None
    subject_url = getattr(subject, "get_absolute_url", None)
    context = {
        "obligation": obligation,
        "subject": subject,
        # The record it belongs to, linked only if the user may open that area (a partner's staff: no Board pages).
        "subject_url": subject_url() if subject_url and may_open(request.user, subject_url()) else None,
        "today": local_today(),
        "history": selectors.obligation_history(obligation),
        "can_manage": can_manage,
        "meet_form": forms.get("meet") or ObligationMeetForm(),
        "cancel_form": forms.get("cancel") or ObligationCancelForm(),
        "redate_form": forms.get("redate") or ObligationRedateForm(initial={"due_date": obligation.due_date}),
        "forms_with_errors": [f for f in forms.values() if f.errors],
    }
    return render(request, "alliance/obligation_detail.html", context, status=400 if forms else 200)


def obligation_add(request):
    _member_alliance_id(request.user)
    if not permissions.can_manage_obligations(request.user):
        raise PermissionDenied(services.ERR_NOT_ALLOWED_OBLIGATIONS)
    form = ObligationAddForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            obligation = services.obligation_add(
                actor=request.user, alliance=request.user.organisation.alliance, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{obligation.title}” is now due on {obligation.due_date:%-d %b %Y}.")
            return redirect("obligation-detail", pk=obligation.pk)
    return render(request, "alliance/obligation_add.html", {"form": form}, status=400 if form.errors else 200)


def _obligation_action(request, pk: int, form_class, key: str, call, done: str):
    obligation = selectors.obligation_for(request.user, pk)
    if not permissions.can_manage_obligation(request.user, obligation):
        raise PermissionDenied(services.ERR_NOT_ALLOWED_OBLIGATIONS)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(obligation, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("obligation-detail", pk=pk)
    return obligation_detail(request, pk, forms={key: form})


@require_POST
def obligation_meet(request, pk: int):
    return _obligation_action(
        request, pk, ObligationMeetForm, "meet",
        lambda o, data: services.obligation_meet(actor=request.user, obligation=o, on=data["on"], reason=data["reason"]),
        "The obligation is marked as met.",
    )


@require_POST
def obligation_cancel(request, pk: int):
    return _obligation_action(
        request, pk, ObligationCancelForm, "cancel",
        lambda o, data: services.obligation_cancel(actor=request.user, obligation=o, reason=data["reason"]),
        "The obligation is cancelled.",
    )


@require_POST
def obligation_redate(request, pk: int):
    return _obligation_action(
        request, pk, ObligationRedateForm, "redate",
        lambda o, data: services.obligation_redate(
            actor=request.user, obligation=o, due_date=data["due_date"], reason=data["reason"]
        ),
        "The obligation has a new due date.",
    )


def notifications(request):
    page = Paginator(selectors.notifications_for(request.user).select_related("obligation"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "alliance/notifications.html", {"page": page})


@require_POST
def notification_read(request, pk: int):
    notification = selectors.notification_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(notification.link or "notifications")


@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(actor=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect("notifications")


def calendar_settings(request):
    token = selectors.calendar_token_live(request.user)
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[token.key])) if token else None
    return render(request, "alliance/calendar.html", {"token": token, "feed_url": feed_url})


@require_POST
def calendar_issue(request):
    services.calendar_token_issue(actor=request.user)
    messages.success(request, "Your calendar feed has a new address. Any earlier address no longer works.")
    return redirect("calendar-settings")


@require_POST
def calendar_revoke(request):
    services.calendar_token_revoke(actor=request.user)
    messages.success(request, "Your calendar feed address no longer works.")
    return redirect("calendar-settings")


@login_not_required  # the secret in the URL is the credential; a revoked one answers 404
def calendar_feed(request, key: str):
    person = selectors.person_for_calendar_key(key)
    body = ical.whats_due_calendar(person, selectors.whats_due(person), base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="whats-due.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_not_required
def healthz(request):
    """For load balancers and the compose health check: the app answers and its database too."""
    if not selectors.database_answers():
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def alliance_directory(request):
    alliance_id = _member_alliance_id(request.user)
    organisations = selectors.organisations_of_alliance(alliance_id)
    return render(
        request,
        "alliance/directory.html",
        {"alliance": request.user.organisation.alliance, "organisations": organisations},
    )
