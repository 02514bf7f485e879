"""What the optimisation pages share: the member check, pagination, and taking one step from a record's page
(business case or minor change). Written once here; imported by ``business_cases`` and ``minor_changes``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from alliance.permissions import alliance_id_of
from alliance.views import add_service_errors
from allocation import permissions

PAGE_SIZE = 50


def member(request) -> int:
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the alliance can see its allocation.")
    return alliance_id_of(request.user)


def paginate(request, queryset):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


def record_step(request, pk: int, form_class, key: str, call: Callable, *, load: Callable, context: Callable,
                template: str, url_name: str):
    """Validate the step's form, call its service; on refusal show the record's page again with the form in
    error. ``load(user, pk)`` reads the record (404 for another alliance's), ``context(request, record, **forms)``
    builds its page, ``call(record, cleaned_data)`` takes the step and returns the message to show."""
    member(request)
    record = load(request.user, pk)
    form = form_class(request.POST)
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
